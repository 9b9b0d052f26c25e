/**
 * The entry of a local worker process of `infomorph search` (started by the coordinator with
 * an IPC channel; not a command to run by hand): trains the trials it is sent with the CLI's
 * TrialRunner, keeping its datasets loaded between them. Arguments: --threads N --kernels K.
 */

import { parseArgs } from "node:util";
import { serveLocalWorker } from "@infomorph/search";
import type { KernelChoice } from "../training/session.js";
import { CliTrialRunner } from "./trial-runner.js";

const { values } = parseArgs({
  options: {
    threads: { type: "string", default: "1" },
    kernels: { type: "string", default: "auto" },
  },
});

serveLocalWorker(
  new CliTrialRunner({
    kernels: values.kernels as KernelChoice,
    threads: Number(values.threads),
    env: process.env,
  }),
);
