/** metrics.jsonl's lines: one per epoch and split, made from an epoch's record and checked when read back. */

import type { EpochRecord, SplitMetrics } from "@infomorph/core";

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
