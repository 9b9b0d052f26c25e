/** The state of every trial of a study, derived from its log records: parameters, attempts, failures, result. */

import type { TrialOutcome } from "./trial-job.js";
import type { LogRecord } from "./trial-log.js";

/** One trial as a report or a resumed coordinator sees it. */
export interface TrialSummary {
  readonly id: number;
  readonly params: Readonly<Record<string, number>>;
  /** running: asked and not told (queued, training, or interrupted). */
  state: "running" | "complete" | "failed";
  /** The objective (mean over seeds) of a complete trial. */
  value: number | null;
  outcome: TrialOutcome | null;
  /** Why a failed trial failed (its last attempt's error). */
  error: string | null;
  /** Attempts started (a resumed interruption starts one more). */
  attempts: number;
  /** The attempts that failed, with their errors. */
  failures: { attempt: number; error: string; at: string }[];
  asked: string;
  started: string | null;
  finished: string | null;
  worker: string | null;
}

/** Every trial in ask order, from a study's log records. */
export function trialSummaries(records: readonly LogRecord[]): TrialSummary[] {
  const trials: TrialSummary[] = [];
  for (const r of records) {
    if ("ask" in r) {
      trials[r.ask] = {
        id: r.ask,
        params: r.params,
        state: "running",
        value: null,
        outcome: null,
        error: null,
        attempts: 0,
        failures: [],
        asked: r.at,
        started: null,
        finished: null,
        worker: null,
      };
      continue;
    }
    const id = "start" in r ? r.start : "fail" in r ? r.fail : r.tell;
    const t = trials[id];
    if (!t) continue; // a record of a trial never asked: the log check (replay) reports it
    if ("start" in r) {
      t.attempts = Math.max(t.attempts, r.attempt);
      t.started ??= r.at;
      t.worker = r.worker;
    } else if ("fail" in r) {
      t.failures.push({ attempt: r.attempt, error: r.error, at: r.at });
    } else {
      t.state = r.result === "failed" ? "failed" : "complete";
      t.value = r.result === "failed" ? null : r.result;
      t.outcome = r.outcome ?? null;
      t.error = r.error ?? null;
      t.finished = r.at;
    }
  }
  return trials.filter((t) => t !== undefined);
}

/** The best complete trial (highest value; the earliest on ties), or null. */
export function bestTrial<T extends { state: string; value: number | null; id: number }>(
  trials: readonly T[],
): T | null {
  let best: T | null = null;
  for (const t of trials) {
    if (t.state !== "complete" || t.value === null) continue;
    if (best === null || t.value > (best.value as number)) best = t;
  }
  return best;
}
