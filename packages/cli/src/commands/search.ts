import { availableParallelism } from "node:os";
import { InfomorphError, PRESET_NAMES, SAMPLER_KINDS } from "@infomorph/core";
import {
  Coordinator,
  DEFAULT_LEASE_SECONDS,
  DEFAULT_TRIAL_TIMEOUT_SECONDS,
  type StudyResult,
  redactedError,
  redactor,
} from "@infomorph/search";
import { defineCommand } from "../cli/command.js";
import {
  type OpenStudy,
  defaultStudyName,
  openDatabaseStudy,
  openFolderStudy,
} from "../search/open-study.js";
import { SearchProgress } from "../search/progress.js";
import { type StudyFlags, studyInput } from "../search/study-input.js";
import { studySummary, summaryText } from "../search/summary.js";
import { EXIT_INTERRUPTED } from "./train.js";

/** Trials queued or running at once in a database study, by default. */
const DATABASE_JOBS = 8;

/** Flags that set the study; with --resume only --trials (the new total) may be given among them. */
const STUDY_FLAGS = [
  "config",
  "preset",
  "dataset",
  "data-dir",
  "hidden",
  "epochs",
  "batch-size",
  "train-samples",
  "seeds",
  "range",
  "fixed",
  "free",
  "objective",
  "sampler",
  "sampler-seed",
  "startup-trials",
  "ei-candidates",
  "multivariate",
  "constant-liar",
  "retries",
  "out",
] as const;

export const searchCommand = defineCommand({
  name: "search",
  summary:
    "search the hidden layer's goal: a sampler (TPE, CMA-ES, …) proposes atom weights, local worker processes train each trial, the study folder keeps every trial.",
  flags: [
    {
      name: "config",
      type: "string",
      placeholder: "FILE",
      description:
        "YAML or JSON study: trial (preset, dataset, dataDir, hidden, epochs, batchSize, trainSamples, seeds), space (range, ranges, fixed, free), objective (epoch), sampler (kind, seed, options), trials, retries; flags override it",
    },
    {
      name: "preset",
      type: "string",
      placeholder: "NAME",
      choices: PRESET_NAMES,
      description: "the network of every trial (default trivariate)",
    },
    {
      name: "dataset",
      type: "string",
      placeholder: "NAME",
      description: "embedded (default), mnist, fashion-mnist, csv:PATH or idx:DIR",
    },
    {
      name: "data-dir",
      type: "string",
      placeholder: "DIR",
      description: "folder holding the dataset's four IDX files",
    },
    { name: "hidden", type: "integer", min: 1, description: "hidden neurons (default 100)" },
    { name: "epochs", type: "integer", min: 1, description: "epochs per trial (default 5)" },
    {
      name: "batch-size",
      type: "integer",
      min: 1,
      description: "samples per batch (default 1024)",
    },
    {
      name: "train-samples",
      type: "integer",
      min: 1,
      description: "train each trial on the first N training samples (default all)",
    },
    {
      name: "seeds",
      type: "list",
      placeholder: "S1,S2,…",
      description: "seeds of each trial; its value is the mean over them (default 1)",
    },
    {
      name: "range",
      type: "string",
      placeholder: "LOW,HIGH",
      description: "range of every free atom weight (default -1,1; write --range=-2,2)",
    },
    {
      name: "fixed",
      type: "string",
      placeholder: "ATOM=V,…",
      description: "atoms held at a value instead of searched (default H_res=0)",
    },
    {
      name: "free",
      type: "list",
      placeholder: "ATOM,…",
      description: "the atoms searched (default every atom not fixed); the rest are 0",
    },
    {
      name: "objective",
      type: "string",
      choices: ["last", "best"],
      description:
        "validation accuracy at the last epoch, or the best epoch, of each seed (default last)",
    },
    {
      name: "sampler",
      type: "string",
      choices: SAMPLER_KINDS,
      description: "the sampler (default tpe)",
    },
    {
      name: "sampler-seed",
      type: "integer",
      min: 0,
      description: "seed of the sampler (default 1)",
    },
    {
      name: "startup-trials",
      type: "integer",
      min: 0,
      description: "TPE: random trials before the model starts (default 10)",
    },
    {
      name: "ei-candidates",
      type: "integer",
      min: 1,
      description: "TPE: candidates per ask (default 24)",
    },
    {
      name: "multivariate",
      type: "boolean",
      description: "TPE: one joint Parzen estimator over all atoms",
    },
    {
      name: "constant-liar",
      type: "boolean",
      description: "TPE: count running trials as bad, so parallel trials spread out",
    },
    {
      name: "trials",
      type: "integer",
      min: 1,
      description: "trials in all (default 100; with --resume: the new total)",
    },
    {
      name: "retries",
      type: "integer",
      min: 0,
      description: "runs of a failed trial before it counts as failed (default 2)",
    },
    {
      name: "out",
      type: "string",
      placeholder: "DIR",
      description: "study folder (default runs/search-<preset>-<dataset>-<yyyymmdd-hhmmss>)",
    },
    {
      name: "resume",
      type: "string",
      placeholder: "DIR|NAME",
      description:
        "continue the study in DIR (with --db: named NAME); interrupted trials resume from their checkpoints",
    },
    {
      name: "jobs",
      type: "integer",
      min: 1,
      placeholder: "N",
      description: `trials at once: local worker processes (default: every core); with --db, trials queued or running at once (default ${DATABASE_JOBS})`,
    },
    {
      name: "threads",
      type: "integer",
      min: 1,
      default: 1,
      description: "threads per trial's training",
    },
    {
      name: "kernels",
      type: "string",
      default: "auto",
      choices: ["auto", "wasm", "ts"],
      description: "compute kernels",
    },
    {
      name: "db",
      type: "string",
      placeholder: "URL",
      description:
        "keep the study in PostgreSQL (postgres://user:password@host:5432/db) and queue its trials for `infomorph worker` processes on any machine",
    },
    {
      name: "name",
      type: "string",
      placeholder: "NAME",
      description:
        "with --db: the new study's name (default search-<yyyymmdd-hhmmss>); --resume NAME continues it",
    },
    {
      name: "lease",
      type: "number",
      min: 1,
      description: `with --db: seconds without a worker's heartbeat before its trial goes to another worker (default ${DEFAULT_LEASE_SECONDS})`,
    },
    {
      name: "trial-timeout",
      type: "number",
      min: 1,
      description: `with --db: seconds a trial may run before the queue fails it, heartbeats or not (default ${DEFAULT_TRIAL_TIMEOUT_SECONDS}, below pg-boss's 24 h)`,
    },
    {
      name: "poll",
      type: "number",
      min: 0.05,
      description: "with --db: seconds between the coordinator's looks at the database (default 1)",
    },
    { name: "json", type: "boolean", description: "print only a JSON summary on stdout" },
  ],
  example:
    "infomorph search --dataset embedded --epochs 2 --train-samples 2000 --trials 20 --jobs 2 --out runs/search-demo",
  async run(args, io) {
    const { flags, given } = args;
    if (flags.resume !== undefined) {
      const conflicting = STUDY_FLAGS.filter((name) => given.has(name));
      if (conflicting.length > 0) {
        throw new InfomorphError({
          code: "usage/resume-conflict",
          path: [conflicting[0]],
          message: `--${conflicting[0]} cannot be given with --resume: a resumed study keeps its settings (${flags.db === undefined ? `${flags.resume}/study.json` : "in the database"}). Only --trials (the new total), --jobs, --threads, --kernels, --lease, --trial-timeout, --poll and --json may be added.`,
        });
      }
    }
    for (const name of ["lease", "trial-timeout", "poll", "name"] as const) {
      if (flags.db === undefined && given.has(name)) {
        throw new InfomorphError({
          code: "usage/needs-db",
          path: [name],
          message: `--${name} applies to a study in a database; give --db URL too, or leave --${name} out.`,
        });
      }
    }
    if (flags.db !== undefined && given.has("out")) {
      throw new InfomorphError({
        code: "usage/db-conflict",
        path: ["out"],
        message:
          "a database study has no folder (its workers keep the run folders); give --name NAME instead of --out.",
      });
    }
    const jobs = flags.jobs ?? (flags.db === undefined ? availableParallelism() : DATABASE_JOBS);
    const study =
      flags.db === undefined
        ? openFolderStudy(flags, jobs, io.env)
        : await openDatabaseStudy(
            {
              url: flags.db,
              resume: flags.resume ?? null,
              name: flags.name ?? defaultStudyName(),
              input:
                flags.resume === undefined ? studyInput(flags.config, flags as StudyFlags) : {},
              where: flags.config ?? "flags",
              trials: flags.resume === undefined ? undefined : flags.trials,
              options: {
                leaseSeconds: flags.lease,
                trialTimeoutSeconds: flags.trialTimeout,
                pollMs: flags.poll === undefined ? undefined : flags.poll * 1000,
              },
            },
            io.stderr,
          );
    const progress = new SearchProgress(io.stderr);
    const coordinator = new Coordinator(study.backend, {
      jobs,
      onProgress: (p) => progress.update(p),
    });
    let result: StudyResult;
    try {
      const records = await study.backend.records();
      io.stderr.write(
        startLine(study, records.length > 0, jobs, flags.db === undefined ? flags.threads : null),
      );
      let interrupted = false;
      const onSigint = (): void => {
        if (interrupted) {
          io.stderr.write(
            "\ninterrupted again; exiting now (the running trials resume from their last epoch).\n",
          );
          process.exit(EXIT_INTERRUPTED);
        }
        interrupted = true;
        progress.finish();
        io.stderr.write(
          flags.db === undefined
            ? "\nstopping: the running trials stop after their batch (Ctrl-C again to quit at once)…\n"
            : "\nstopping: the workers finish their trials and the database keeps the results for --resume…\n",
        );
        coordinator.stop();
      };
      process.on("SIGINT", onSigint);
      process.on("SIGTERM", onSigint);
      try {
        result = await coordinator.run().catch((err: unknown) => {
          // A database error may quote the URL: never with its password.
          throw flags.db === undefined ? err : redactedError(err, redactor(flags.db));
        });
      } finally {
        process.off("SIGINT", onSigint);
        process.off("SIGTERM", onSigint);
        progress.finish();
      }
    } finally {
      await study.close();
    }
    const summary = studySummary(study.label, study.backend.config, result);
    io.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : summaryText(summary));
    if (result.stopped) {
      io.stderr.write(`interrupted; resume with: ${study.resume}\n`);
      return EXIT_INTERRUPTED;
    }
  },
});

function startLine(
  study: OpenStudy,
  resumed: boolean,
  jobs: number,
  threads: number | null,
): string {
  const c = study.backend.config;
  const t = c.trial;
  const free = Object.values(c.space).filter((s) => !("fixed" in s)).length;
  const workers =
    threads === null
      ? `${jobs} trial${jobs === 1 ? "" : "s"} at once, for infomorph worker processes`
      : `${jobs} worker${jobs === 1 ? "" : "s"} × ${threads} thread${threads === 1 ? "" : "s"}`;
  return `${resumed ? "resuming" : "searching"} ${study.label}: ${c.sampler.kind} over ${free} atoms, ${c.trials} trials of ${t.preset} (${t.hidden} hidden) on ${t.dataset}${t.trainSamples ? ` (first ${t.trainSamples} training samples)` : ""}, ${t.epochs} epoch${t.epochs === 1 ? "" : "s"}, seed${t.seeds.length === 1 ? "" : "s"} ${t.seeds.join(",")}; objective: validation accuracy at the ${c.objective.epoch} epoch; ${workers}\n`;
}
