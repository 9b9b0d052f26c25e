/** `infomorph worker --db URL`: train trials of the database's studies, one at a time, on this machine, until Ctrl-C. */

import { hostname } from "node:os";
import { InfomorphError } from "@infomorph/core";
import { connectPgWorker } from "@infomorph/search";
import { defineCommand } from "../cli/command.js";
import { CliTrialRunner } from "../search/trial-runner.js";
import type { KernelChoice } from "../training/session.js";
import { EXIT_INTERRUPTED } from "./train.js";

export const workerCommand = defineCommand({
  name: "worker",
  summary:
    "take trials of goal-search studies from a PostgreSQL queue (infomorph search --db) and train them here, one at a time; run one per core, on any number of machines.",
  flags: [
    {
      name: "db",
      type: "string",
      placeholder: "URL",
      description: "the studies' database: postgres://user:password@host:5432/db",
    },
    {
      name: "dir",
      type: "string",
      placeholder: "DIR",
      default: "runs/worker",
      description: "where this worker keeps its run folders (<dir>/<study>/<trial>/s<seed>)",
    },
    {
      name: "data-dir",
      type: "string",
      placeholder: "DIR",
      description:
        "folder holding the datasets' IDX files (else $INFOMORPH_DATA, the cache, a download)",
    },
    { name: "threads", type: "integer", min: 1, default: 1, description: "threads per training" },
    {
      name: "kernels",
      type: "string",
      default: "auto",
      choices: ["auto", "wasm", "ts"],
      description: "compute kernels",
    },
    {
      name: "heartbeat",
      type: "number",
      min: 0.05,
      default: 10,
      description: "seconds between heartbeats (keep it well below the studies' --lease)",
    },
    {
      name: "poll",
      type: "number",
      min: 0.05,
      default: 2,
      description: "seconds between looks at an empty queue",
    },
    {
      name: "name",
      type: "string",
      placeholder: "NAME",
      description: "how the worker names itself in the database (default <host>/<pid>)",
    },
  ],
  example:
    "infomorph worker --db postgres://infomorph:secret@db.lab:5432/studies --data-dir ../shared/data/mnist",
  async run(args, io) {
    const { flags } = args;
    if (flags.db === undefined) {
      throw new InfomorphError({
        code: "usage/missing-flag",
        path: ["db"],
        message:
          "infomorph worker needs --db URL, the database of the studies (as given to infomorph search --db).",
      });
    }
    const name = flags.name ?? `${hostname()}/${process.pid}`;
    const log = (line: string) => io.stderr.write(`${new Date().toISOString()} ${line}\n`);
    const runner = new CliTrialRunner({
      kernels: flags.kernels as KernelChoice,
      threads: flags.threads,
      dataDir: flags.dataDir,
      env: io.env,
    });
    const { worker, close } = await connectPgWorker(flags.db, runner, {
      dir: flags.dir,
      name,
      heartbeatSeconds: flags.heartbeat,
      pollSeconds: flags.poll,
      log,
      onQueueError: (message) => log(`queue: ${message}`),
    });
    let signals = 0;
    const onSignal = (): void => {
      signals++;
      if (signals === 1) {
        log("stopping after this trial (Ctrl-C again to hand it back to the queue now)…");
        worker.drain();
      } else if (signals === 2) {
        log("handing the trial back after this batch (Ctrl-C again to quit at once)…");
        worker.abandon();
      } else {
        process.exit(EXIT_INTERRUPTED);
      }
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    log(`worker ${name} takes trials; run folders in ${flags.dir}`);
    let completed = 0;
    try {
      completed = await worker.run();
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await close();
    }
    io.stdout.write(`${completed} trial${completed === 1 ? "" : "s"} completed by ${name}\n`);
    return signals > 0 ? EXIT_INTERRUPTED : undefined;
  },
});
