/**
 * The embedded backend: a study folder and local worker processes. Each dispatch starts an
 * attempt (logged), a failed attempt (an error, or a worker process that died) is logged and
 * run again up to the study's retries (resuming the trial's run folders from their last
 * checkpoints), then reported failed. An attempt interrupted by a stop or a dead coordinator
 * is not a failure: the resumed study continues it.
 */

import { hostname } from "node:os";
import type { Trial } from "@infomorph/core";
import { AsyncQueue } from "../async-queue.js";
import type { StudyBackend, TrialReport } from "../coordinator.js";
import { type StudyFolder, trialDir } from "../study-folder.js";
import type { TrialJob, TrialOutcome } from "../trial-job.js";
import { trialSummaries } from "../trials.js";
import { LocalWorkerPool, type PoolReport } from "./pool.js";

export interface FolderBackendOptions {
  /** The local worker script (the CLI's). */
  readonly script: string;
  /** Worker processes at most (the coordinator's jobs). */
  readonly workers: number;
  /** Arguments for each worker process (e.g. ["--threads", "1"]). */
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

export class FolderBackend implements StudyBackend {
  private readonly pool: LocalWorkerPool;
  private readonly reports = new AsyncQueue<TrialReport>();
  /** Attempts started per trial (this session and before), for the next attempt's number. */
  private readonly attempts = new Map<number, number>();
  /** Failed attempts per trial. */
  private readonly failures = new Map<number, number>();
  private readonly jobs = new Map<number, TrialJob>();
  /** Attempts waiting for a free worker process (a resumed study may hold more interrupted trials than --jobs). */
  private readonly waiting: TrialJob[] = [];
  private stopping = false;

  constructor(
    private readonly folder: StudyFolder,
    options: FolderBackendOptions,
  ) {
    this.pool = new LocalWorkerPool({
      script: options.script,
      size: options.workers,
      args: options.args,
      env: options.env,
      onReport: (report) => this.onPoolReport(report),
    });
    for (const t of trialSummaries(folder.records)) {
      this.attempts.set(t.id, t.attempts);
      this.failures.set(t.id, t.failures.length);
    }
  }

  get config() {
    return this.folder.config;
  }

  async records() {
    return this.folder.records;
  }

  async recordAsk(trial: Trial): Promise<void> {
    this.folder.append({ ask: trial.id, params: trial.params, at: now() });
  }

  async recordTell(
    trial: number,
    result: { outcome: TrialOutcome } | { error: string },
  ): Promise<void> {
    this.jobs.delete(trial);
    this.folder.append(
      "outcome" in result
        ? { tell: trial, result: result.outcome.value, at: now(), outcome: result.outcome }
        : { tell: trial, result: "failed", at: now(), error: result.error },
    );
  }

  async dispatch(job: TrialJob): Promise<void> {
    this.jobs.set(job.trial, job);
    this.startAttempt(job);
  }

  next(): Promise<TrialReport> {
    return this.reports.take();
  }

  stop(): void {
    this.stopping = true;
    for (const job of this.waiting.splice(0))
      this.reports.push({ kind: "stopped", trial: job.trial });
    this.pool.stop();
  }

  /** End the worker processes and give up the study's lock. */
  close(): void {
    this.pool.close();
    this.folder.close();
  }

  private startAttempt(job: TrialJob): void {
    if (this.stopping) {
      this.reports.push({ kind: "stopped", trial: job.trial });
      return;
    }
    if (!this.pool.hasRoom()) {
      this.waiting.push(job);
      return;
    }
    const attempt = (this.attempts.get(job.trial) ?? 0) + 1;
    this.attempts.set(job.trial, attempt);
    this.folder.append({ start: job.trial, attempt, worker: `${hostname()} local`, at: now() });
    this.pool.run(job, trialDir(this.folder.dir, job.trial));
  }

  private onPoolReport(report: PoolReport): void {
    this.handle(report);
    // A worker process freed by this report takes the next waiting attempt.
    if (report.type !== "epoch" && this.waiting.length > 0 && this.pool.hasRoom()) {
      this.startAttempt(this.waiting.shift() as TrialJob);
    }
  }

  private handle(report: PoolReport): void {
    switch (report.type) {
      case "epoch":
        this.reports.push({ kind: "epoch", ...withoutType(report) });
        return;
      case "done":
        this.reports.push({ kind: "done", trial: report.trial, outcome: report.outcome });
        return;
      case "stopped":
        this.reports.push({ kind: "stopped", trial: report.trial });
        return;
      case "error":
      case "crashed": {
        const trial = report.trial;
        const attempt = this.attempts.get(trial) ?? 1;
        this.folder.append({ fail: trial, attempt, error: report.message, at: now() });
        const failures = (this.failures.get(trial) ?? 0) + 1;
        this.failures.set(trial, failures);
        const job = this.jobs.get(trial);
        if (job && failures <= this.folder.config.retries) {
          this.startAttempt(job);
        } else {
          this.reports.push({
            kind: "failed",
            trial,
            error: `${report.message} (attempt ${attempt}, ${failures} failed of ${this.folder.config.retries + 1} allowed)`,
          });
        }
      }
    }
  }
}

function withoutType<T extends { type: string }>(report: T): Omit<T, "type"> {
  const { type: _, ...rest } = report;
  return rest;
}

function now(): string {
  return new Date().toISOString();
}
