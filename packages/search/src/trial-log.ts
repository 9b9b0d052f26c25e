/**
 * A study's trial log: one JSON line per event, appended durably, never rewritten. It holds
 * every ask with the parameters the sampler returned and every tell with its result (what
 * replay needs to bring a fresh sampler to the same state), and between them each attempt's
 * start and failure (what a resumed study needs to count retries). A line cut short by a
 * crash is dropped when the log is opened for writing.
 */

import { InfomorphError, type TrialEvent } from "@infomorph/core";
import { FILE_START, appendDurable, fileSize, readJsonLines, truncateTo } from "@infomorph/runs";
import type { TrialOutcome } from "./trial-job.js";

/** One line of the log. `at` is an ISO 8601 time. */
export type LogRecord =
  | { readonly ask: number; readonly params: Readonly<Record<string, number>>; readonly at: string }
  | {
      readonly start: number;
      readonly attempt: number;
      readonly worker: string;
      readonly at: string;
    }
  | { readonly fail: number; readonly attempt: number; readonly error: string; readonly at: string }
  | {
      readonly tell: number;
      readonly result: number | "failed";
      readonly at: string;
      /** The completed trial's seeds (absent for a failed trial). */
      readonly outcome?: TrialOutcome;
      /** Why a failed trial failed: its last attempt's error. */
      readonly error?: string;
    };

/** The sampler's events in a log: its asks and tells, in order. */
export function samplerEvents(records: readonly LogRecord[]): TrialEvent[] {
  const events: TrialEvent[] = [];
  for (const r of records) {
    if ("ask" in r) events.push({ ask: r.ask, params: r.params });
    else if ("tell" in r) events.push({ tell: r.tell, result: r.result });
  }
  return events;
}

/** Read the log at `path` (empty when it does not exist). Throws "study/corrupt-log" naming the line of a damaged record. */
export function readTrialLog(path: string): { records: LogRecord[]; bytes: number } {
  if (fileSize(path) === 0) return { records: [], bytes: 0 };
  try {
    const { records, cursor } = readJsonLines<LogRecord>(path, FILE_START, checkRecord);
    return { records, bytes: cursor.offset };
  } catch (err) {
    if (!(err instanceof InfomorphError)) throw err;
    throw new InfomorphError({
      code: "study/corrupt-log",
      path: err.path,
      message: err.message.replace(
        / The file was damaged.*$/,
        " The trial log was damaged or edited by hand; restore it from a copy, or start a new study.",
      ),
    });
  }
}

/** The log of a study opened for writing by its one coordinator (the study folder's lock holder). */
export class TrialLog {
  private constructor(readonly path: string) {}

  /** Open the log at `path`, cut off a last line left incomplete by a crash, and return its records. */
  static open(path: string): { log: TrialLog; records: LogRecord[] } {
    const { records, bytes } = readTrialLog(path);
    truncateTo(path, bytes);
    return { log: new TrialLog(path), records };
  }

  append(record: LogRecord): void {
    appendDurable(this.path, `${JSON.stringify(record)}\n`);
  }
}

/** null when `value` is a log record, else what is wrong with it. */
function checkRecord(value: unknown): string | null {
  const r = value as Record<string, unknown> | null;
  if (r === null || typeof r !== "object" || Array.isArray(r)) return "a record must be an object";
  const id = (key: string) => Number.isSafeInteger(r[key]) && (r[key] as number) >= 0;
  if (typeof r.at !== "string") return "a record needs its time (at)";
  if ("ask" in r) {
    const params = r.params as Record<string, unknown> | null;
    const ok =
      params !== null &&
      typeof params === "object" &&
      Object.values(params).every((v) => typeof v === "number" && Number.isFinite(v));
    return id("ask") && ok ? null : "an ask needs a trial id and finite params";
  }
  if ("start" in r)
    return id("start") && id("attempt") && typeof r.worker === "string"
      ? null
      : "a start needs a trial id, an attempt and a worker";
  if ("fail" in r)
    return id("fail") && id("attempt") && typeof r.error === "string"
      ? null
      : "a fail needs a trial id, an attempt and an error";
  if ("tell" in r) {
    const ok = r.result === "failed" || (typeof r.result === "number" && Number.isFinite(r.result));
    return id("tell") && ok ? null : 'a tell needs a trial id and a finite result or "failed"';
  }
  return "a record is an ask, start, fail or tell";
}
