/** What trains a trial, as the search's workers (local processes, database workers) see it; the CLI implements it with its training sessions. */

import type { SeedResult, TrialJob, TrialOutcome } from "./trial-job.js";

/** Progress of one seed of a trial: an epoch has been trained, written and checkpointed. */
export interface EpochProgress {
  readonly seed: number;
  readonly epoch: number;
  readonly epochs: number;
  readonly train: number;
  readonly validation: number;
  readonly test: number | null;
  readonly goals: readonly number[];
  readonly seconds: number;
}

export interface TrialHooks {
  readonly onEpoch?: (progress: EpochProgress) => void | Promise<void>;
  /** A seed finished (its run folder holds every epoch). */
  readonly onSeed?: (result: SeedResult) => void | Promise<void>;
  /** Checked between batches: true stops training after the current batch (the last checkpoint stays). */
  readonly shouldStop?: () => boolean;
}

/**
 * Trains the seeds of a trial, one run folder per seed under `dir` (`s<seed>`), resuming a
 * seed whose folder holds a checkpoint of the same trial and reading the result of one that
 * has finished. Resolves to the trial's outcome, or null when shouldStop() stopped it.
 */
export interface TrialRunner {
  run(job: TrialJob, dir: string, hooks?: TrialHooks): Promise<TrialOutcome | null>;
}
