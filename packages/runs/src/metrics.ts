/** metrics.jsonl of a run folder: one line per epoch and split, written from an epoch's record, read back checked line by line (committed part, or a live tail by byte offset). */

import { join } from "node:path";
import { type EpochRecord, InfomorphError, type SplitMetrics } from "@infomorph/core";
import { fileSize } from "./files.js";
import { FILE_START, type LinesCursor, readJsonLines } from "./lines.js";

export const METRICS_FILE = "metrics.jsonl";

/** One line of metrics.jsonl. */
export interface MetricLine {
  epoch: number;
  split: "train" | "validation" | "test";
  accuracy: number;
  /** train: mean goal per layer over the epoch's batches (backprop: [cross-entropy]). */
  goals?: number[];
  /** validation, test: [true class][predicted class] counts. */
  confusion?: number[][];
  /** The epoch's wall-clock seconds: training, and evaluation of validation and test together. */
  seconds: { train: number; evaluate: number };
}

/** The three metrics lines of an epoch. */
export function metricLines(record: EpochRecord): MetricLine[] {
  const seconds = { train: record.seconds.train, evaluate: record.seconds.evaluate };
  const lines: MetricLine[] = [
    {
      epoch: record.epoch,
      split: "train",
      accuracy: record.train.accuracy,
      goals: [...record.train.goals],
      seconds,
    },
    {
      epoch: record.epoch,
      split: "validation",
      ...splitMetrics(record.validation),
      seconds,
    },
  ];
  if (record.test) {
    lines.push({ epoch: record.epoch, split: "test", ...splitMetrics(record.test), seconds });
  }
  return lines;
}

function splitMetrics(metrics: SplitMetrics): { accuracy: number; confusion: number[][] } {
  const classes = Math.round(Math.sqrt(metrics.confusion.length));
  const confusion = Array.from({ length: classes }, (_, t) =>
    Array.from(metrics.confusion.subarray(t * classes, (t + 1) * classes)),
  );
  return { accuracy: metrics.accuracy, confusion };
}

/**
 * The committed metrics of the run in `dir`: the lines in its first `bytes` bytes (the length
 * its checkpoint records), every one checked. Throws InfomorphError "run/corrupt-file" naming
 * the file and line of the first line that is not a metrics record, or when the committed
 * part does not end at the end of a line.
 */
export function readMetrics(dir: string, bytes: number): MetricLine[] {
  const path = join(dir, METRICS_FILE);
  const { records, cursor } = readJsonLines<MetricLine>(path, FILE_START, checkMetricLine, bytes);
  if (cursor.offset !== bytes) {
    throw readMetricsError(path, cursor.line, bytes);
  }
  return records;
}

/**
 * The metrics lines appended since `from` (FILE_START at first), for a reader following a
 * run while it trains, and the cursor to continue from. Counts bytes; a line still being
 * written is left for the next call. Lines past the checkpoint are included, so a crash
 * followed by a resume may repeat an epoch: a reader keeps the last line per epoch and split.
 *
 * @example
 * let cursor = FILE_START;
 * setInterval(() => { const r = tailMetrics(dir, cursor); show(r.lines); cursor = r.cursor; }, 1000);
 */
export function tailMetrics(
  dir: string,
  from: LinesCursor = FILE_START,
): { lines: MetricLine[]; cursor: LinesCursor } {
  const { records, cursor } = readJsonLines<MetricLine>(
    join(dir, METRICS_FILE),
    from,
    checkMetricLine,
  );
  return { lines: records, cursor };
}

const SPLITS = ["train", "validation", "test"];

/** null when `value` is a MetricLine, else what is wrong with it. */
export function checkMetricLine(value: unknown): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return "not a JSON object";
  }
  const m = value as Partial<MetricLine>;
  if (!Number.isSafeInteger(m.epoch) || (m.epoch as number) < 1) {
    return "epoch must be a positive integer";
  }
  if (!SPLITS.includes(m.split as string)) return "split must be train, validation or test";
  if (typeof m.accuracy !== "number" || !(m.accuracy >= 0 && m.accuracy <= 1)) {
    return "accuracy must be a number from 0 to 1";
  }
  if (m.goals !== undefined && !isNumbers(m.goals)) return "goals must be a list of numbers";
  if (m.confusion !== undefined && !(Array.isArray(m.confusion) && m.confusion.every(isNumbers))) {
    return "confusion must be a list of lists of counts";
  }
  const s = m.seconds;
  if (!s || typeof s.train !== "number" || typeof s.evaluate !== "number") {
    return "seconds must hold the numbers train and evaluate";
  }
  return null;
}

function isNumbers(value: unknown): boolean {
  return Array.isArray(value) && value.every((x) => typeof x === "number");
}

/** The committed part of metrics.jsonl does not end where the checkpoint says it does. */
function readMetricsError(path: string, line: number, bytes: number): InfomorphError {
  const size = fileSize(path);
  return new InfomorphError({
    code: "run/corrupt-file",
    path: [path, line],
    message:
      size < bytes
        ? `${path} is shorter (${size} bytes) than its checkpoint says (${bytes}): line ${line} and after are missing. The folder was changed; train the run again.`
        : `${path} line ${line} runs past byte ${bytes}, where the checkpoint says the committed metrics end. The file was damaged or edited by hand; restore it, or train the run again.`,
  });
}
