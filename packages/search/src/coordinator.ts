/**
 * The coordinator of a study: it replays the study's log into a fresh sampler, finishes the
 * trials an earlier coordinator left running, then asks the sampler for new trials while
 * fewer than `jobs` are outstanding, hands them to the backend (local worker processes, or a
 * PostgreSQL queue) and tells the sampler each result as it arrives, in arrival order. Every
 * ask and tell is recorded by the backend before the coordinator acts on it, so a coordinator
 * killed at any moment resumes to exactly the state it had (asks and tells are replayed; a
 * trial told is never run or told again).
 */

import { type Sampler, type Trial, createSampler, replay } from "@infomorph/core";
import { type StudyConfig, studySpace } from "./study-config.js";
import { type TrialJob, type TrialOutcome, trialJob } from "./trial-job.js";
import { type LogRecord, samplerEvents } from "./trial-log.js";
import { type TrialSummary, bestTrial, trialSummaries } from "./trials.js";

/** What a backend reports about a trial it runs. */
export type TrialReport =
  | { readonly kind: "done"; readonly trial: number; readonly outcome: TrialOutcome }
  /** The trial failed for good (its retries are used up, or it cannot run). */
  | { readonly kind: "failed"; readonly trial: number; readonly error: string }
  /** The trial stopped because the study is stopping; it stays running in the log. */
  | { readonly kind: "stopped"; readonly trial: number }
  /** An epoch of one of the trial's seeds has completed (progress only). */
  | {
      readonly kind: "epoch";
      readonly trial: number;
      readonly seed: number;
      readonly epoch: number;
      readonly epochs: number;
      readonly validation: number;
    };

/** Where a study lives and how its trials run: a study folder with local workers, or PostgreSQL with remote workers. */
export interface StudyBackend {
  readonly config: StudyConfig;
  /** The study's log so far, in order (asks, attempts, tells). */
  records(): Promise<readonly LogRecord[]>;
  /** Record an ask durably (before its trial is dispatched). */
  recordAsk(trial: Trial): Promise<void>;
  /** Record a trial's final result durably; a trial is told at most once. */
  recordTell(trial: number, result: { outcome: TrialOutcome } | { error: string }): Promise<void>;
  /** Have the trial run (or continue where an interrupted attempt stopped). */
  dispatch(job: TrialJob): Promise<void>;
  /** The next report about a dispatched trial; waits for one. */
  next(): Promise<TrialReport>;
  /** Ask the running trials to stop (Ctrl-C); each then reports "stopped" (or finishes first). */
  stop(): void;
}

/** Progress after each event, for a progress line. */
export interface StudyProgress {
  readonly trials: number;
  /** Trials told (complete or failed). */
  readonly done: number;
  readonly failed: number;
  readonly running: number;
  readonly best: { readonly trial: number; readonly value: number } | null;
  /** The event that caused this update. */
  readonly event: TrialReport | { readonly kind: "asked"; readonly trial: number };
  /** Seconds to the last trial at this session's rate; null before a trial has finished. */
  readonly etaSeconds: number | null;
}

export interface CoordinatorOptions {
  /** Trials outstanding at once (the number of workers). */
  readonly jobs: number;
  readonly onProgress?: (progress: StudyProgress) => void;
  /** Seconds since some fixed point (default: performance.now() / 1000), for the ETA. */
  readonly clock?: () => number;
}

/** How a coordinator session ended. */
export interface StudyResult {
  readonly trials: TrialSummary[];
  /** True when stop() ended the session before every trial was told. */
  readonly stopped: boolean;
  /** The sampler's own estimate of the best parameters at the end (CMA-ES: its mean), else null. */
  readonly recommended: Record<string, number> | null;
}

/**
 * Run the study in `backend` until every trial is told, or until `coordinator.stop()` is
 * called and the running trials have stopped.
 */
export class Coordinator {
  private stopping = false;

  constructor(
    private readonly backend: StudyBackend,
    private readonly options: CoordinatorOptions,
  ) {}

  /** Stop asking, and ask the running trials to stop after their current batch. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.backend.stop();
  }

  async run(): Promise<StudyResult> {
    const { config } = this.backend;
    const clock = this.options.clock ?? (() => performance.now() / 1000);
    const records = await this.backend.records();
    const sampler: Sampler = createSampler(studySpace(config), config.sampler);
    replay(sampler, samplerEvents(records));
    const summaries = trialSummaries(records);
    const outstanding = new Set(summaries.filter((t) => t.state === "running").map((t) => t.id));
    let asked = summaries.length;
    let done = summaries.length - outstanding.size;
    let failed = summaries.filter((t) => t.state === "failed").length;
    const first = bestTrial(summaries);
    let best = first ? { trial: first.id, value: first.value as number } : null;
    const started = clock();
    let finishedHere = 0;
    const progress = (event: StudyProgress["event"]) => {
      const elapsed = clock() - started;
      const remaining = config.trials - done;
      this.options.onProgress?.({
        trials: config.trials,
        done,
        failed,
        running: outstanding.size,
        best,
        event,
        etaSeconds: finishedHere > 0 ? (remaining * elapsed) / finishedHere : null,
      });
    };

    for (const t of summaries) {
      if (t.state === "running") await this.backend.dispatch(trialJob(config, t.id, t.params));
    }
    // A trial's result is shown once the freed slot has its next trial, so "running" counts it.
    let told: TrialReport | null = null;
    while (done < config.trials) {
      while (!this.stopping && outstanding.size < this.options.jobs && asked < config.trials) {
        const trial = sampler.ask();
        await this.backend.recordAsk(trial);
        outstanding.add(trial.id);
        asked++;
        await this.backend.dispatch(trialJob(config, trial.id, trial.params));
        progress({ kind: "asked", trial: trial.id });
      }
      if (told !== null) progress(told);
      told = null;
      if (outstanding.size === 0) break; // stopping, nothing left running
      const report = await this.backend.next();
      if (!outstanding.has(report.trial)) continue; // a late report of a trial told already
      if (report.kind === "epoch") {
        progress(report);
        continue;
      }
      outstanding.delete(report.trial);
      if (report.kind === "stopped") {
        progress(report);
        continue;
      }
      if (report.kind === "done") {
        await this.backend.recordTell(report.trial, { outcome: report.outcome });
        sampler.tell(report.trial, report.outcome.value);
        const value = report.outcome.value;
        if (best === null || value > best.value) best = { trial: report.trial, value };
      } else {
        await this.backend.recordTell(report.trial, { error: report.error });
        sampler.tell(report.trial, "failed");
        failed++;
      }
      done++;
      finishedHere++;
      told = report;
    }
    if (told !== null) progress(told);
    return {
      trials: trialSummaries(await this.backend.records()),
      stopped: done < config.trials,
      recommended: sampler.recommend?.() ?? null,
    };
  }
}
