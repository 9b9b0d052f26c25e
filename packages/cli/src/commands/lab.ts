/** `infomorph lab`: serve the lab page for a runs folder: every run, followed while it trains, and its goal-search studies; start, stop and resume trainings from the page; train a network in the page. */

import { fileURLToPath } from "node:url";
import { TOKEN_ENV, startLabServer } from "@infomorph/lab";
import { defineCommand } from "../cli/command.js";
import { openHiddenLayer } from "../training/hidden-layer.js";
import { packageVersion } from "../training/session.js";

/** The infomorph command itself, which the lab runs for the trainings it starts. */
const INFOMORPH_BIN = fileURLToPath(new URL("../../bin/infomorph.js", import.meta.url));

export const labCommand = defineCommand({
  name: "lab",
  summary:
    "serve the lab: every run of a folder, live while it trains, and its goal-search studies; start, stop and resume trainings; train in the browser.",
  positionals: [
    {
      name: "RUNS_DIR",
      description: "the folder whose run folders it serves, those directly in it (default: runs)",
    },
  ],
  flags: [
    {
      name: "host",
      type: "string",
      placeholder: "ADDRESS",
      default: "127.0.0.1",
      description: "where to listen; an address other machines reach (e.g. 0.0.0.0) needs a token",
    },
    {
      name: "port",
      type: "integer",
      min: 0,
      default: 8080,
      description: "the port (0: any free one)",
    },
    {
      name: "token",
      type: "string",
      placeholder: "SECRET",
      description:
        "the token every request must carry, at least 16 characters; never printed (default: $INFOMORPH_LAB_TOKEN, which no process list shows; else none on 127.0.0.1, a new random one elsewhere, printed in the address)",
    },
    {
      name: "threads",
      type: "integer",
      min: 1,
      placeholder: "N",
      description: "--threads for the trainings started from the page (default: every core)",
    },
  ],
  example: "infomorph lab runs",
  async run(args, io) {
    const runs = args.positionals[0] ?? "runs";
    const chosenToken = args.flags.token ?? (io.env[TOKEN_ENV] || undefined);
    const lab = await startLabServer({
      runs,
      host: args.flags.host,
      port: args.flags.port,
      token: chosenToken,
      threads: args.flags.threads,
      trainCommand: [process.execPath, INFOMORPH_BIN],
      openHiddenLayer: openHiddenLayer(io.env),
      version: packageVersion(),
      runsLabel: runs,
    });
    // A token the user chose is never printed (it may be a password they use elsewhere);
    // one the lab made is, once, in the address, since that is how the user learns it.
    const chosen = chosenToken !== undefined;
    const access = !lab.token
      ? ""
      : chosen
        ? " (with the token you chose: add ?token=YOUR_TOKEN to the address once)"
        : " (with a token: keep the address private)";
    io.stderr.write(
      `infomorph lab: serving ${runs}${access}; Ctrl-C stops it and the trainings it started (they checkpoint). Open:\n`,
    );
    io.stdout.write(`${chosen ? lab.url.replace(/\?token=.*$/, "") : lab.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        io.stderr.write("\nstopping the lab…\n");
        lab.close().then(resolve);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  },
});
