/** The messages between a study's coordinator and its local worker processes (Node IPC, structured clone). */

import type { TrialJob, TrialOutcome } from "../trial-job.js";

/** Coordinator → worker. */
export type ToWorker =
  /** Train this trial into `dir` (the trial's folder in the study). */
  | { readonly type: "trial"; readonly job: TrialJob; readonly dir: string }
  /** Stop the current trial after its batch and report "stopped"; then wait for more. */
  | { readonly type: "stop" };

/** Worker → coordinator. */
export type FromWorker =
  | { readonly type: "ready" }
  | {
      readonly type: "epoch";
      readonly trial: number;
      readonly seed: number;
      readonly epoch: number;
      readonly epochs: number;
      readonly validation: number;
    }
  | { readonly type: "done"; readonly trial: number; readonly outcome: TrialOutcome }
  | { readonly type: "error"; readonly trial: number; readonly message: string }
  | { readonly type: "stopped"; readonly trial: number };
