/** The training loop: seeded epochs of mini-batches, evaluation on validation and test, per-epoch records, stop and resume at epoch boundaries. */

import type { LayerEpochStats, Model } from "../network/model.js";
import { Rng } from "../random/rng.js";
import {
  argumentError,
  checkInteger,
  checkObject,
  checkOptionalFunction,
  describeValue,
} from "../validate/arguments.js";
import { type LabelledData, checkLabelledData } from "./data.js";

export type { LabelledData };

export interface SplitMetrics {
  readonly accuracy: number;
  /** [true class × predicted class] counts. */
  readonly confusion: Int32Array;
}

export interface EpochRecord {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Running accuracy and mean goals over the epoch's training batches (as trained). */
  readonly train: { readonly accuracy: number; readonly goals: readonly number[] };
  readonly validation: SplitMetrics;
  readonly test: SplitMetrics | null;
  readonly seconds: { readonly train: number; readonly evaluate: number };
  readonly layers: readonly LayerEpochStats[];
}

export interface BatchProgress {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly accuracy: number;
  readonly goals: readonly number[];
}

export interface TrainLoopOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Epochs already completed (when resuming from a checkpoint). */
  readonly startEpoch?: number;
  readonly onBatch?: (progress: BatchProgress) => void;
  /** Awaited after every epoch: the place to write metrics and a checkpoint. */
  readonly onEpoch?: (record: EpochRecord) => void | Promise<void>;
  /** Checked between batches; when true the loop ends after the current epoch is abandoned. */
  readonly shouldStop?: () => boolean;
  /** Milliseconds; default performance.now. */
  readonly clock?: () => number;
}

export interface TrainResult {
  readonly records: EpochRecord[];
  /** True when shouldStop() ended the run early; the last completed epoch is in records. */
  readonly stopped: boolean;
}

/**
 * Train for epochs startEpoch+1 … epochs. Each epoch visits the training set in a
 * seeded order that depends only on (seed, epoch), so a run resumed at an epoch
 * boundary sees exactly the batches an uninterrupted run would; the last batch of an
 * epoch may be smaller. Evaluation never touches the model's training RNG.
 */
export async function trainModel(
  model: Model,
  data: { train: LabelledData; validation: LabelledData; test?: LabelledData | null },
  options: TrainLoopOptions,
): Promise<TrainResult> {
  checkModel(model);
  const splits = checkObject(
    data,
    ["data"],
    "Pass { train, validation, test? }, each made with labelledData().",
  );
  const train = checkLabelledData(splits.train, ["data", "train"], model);
  checkLabelledData(splits.validation, ["data", "validation"], model);
  if (splits.test !== undefined && splits.test !== null)
    checkLabelledData(splits.test, ["data", "test"], model);
  const { batchSize } = checkLoopOptions(options, model);
  const clock = options.clock ?? (() => performance.now());
  const batches = Math.ceil(train.count / batchSize);
  const x = model.allocInput(batchSize * train.dim);
  const labels = new Uint8Array(batchSize);
  const records: EpochRecord[] = [];
  for (let epoch = (options.startEpoch ?? 0) + 1; epoch <= options.epochs; epoch++) {
    const started = clock();
    const order = new Rng(epochSeed(options.seed, epoch)).permutation(train.count);
    let correct = 0;
    const goalSums: number[] = [];
    for (let b = 0; b < batches; b++) {
      if (options.shouldStop?.()) return { records, stopped: true };
      const from = b * batchSize;
      const count = Math.min(batchSize, train.count - from);
      for (let i = 0; i < count; i++) {
        const row = order[from + i];
        x.set(train.features.subarray(row * train.dim, (row + 1) * train.dim), i * train.dim);
        labels[i] = train.labels[row];
      }
      const stats = model.trainBatch(x, labels, count);
      correct += stats.accuracy * count;
      stats.goals.forEach((g, l) => {
        goalSums[l] = (goalSums[l] ?? 0) + g;
      });
      options.onBatch?.({
        epoch,
        batch: b + 1,
        batches,
        accuracy: stats.accuracy,
        goals: stats.goals,
      });
      // Let signal handlers (Ctrl-C) and the browser run between batches.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const { layers } = model.endEpoch();
    const trained = clock();
    const validation = evaluate(model, data.validation);
    const test = data.test ? evaluate(model, data.test) : null;
    const record: EpochRecord = {
      epoch,
      train: { accuracy: correct / train.count, goals: goalSums.map((g) => g / batches) },
      validation,
      test,
      seconds: { train: (trained - started) / 1000, evaluate: (clock() - trained) / 1000 },
      layers,
    };
    records.push(record);
    await options.onEpoch?.(record);
  }
  return { records, stopped: false };
}

/** Accuracy and confusion matrix of the model's argmax prediction. */
export function evaluate(model: Model, data: LabelledData): SplitMetrics {
  checkModel(model);
  checkLabelledData(data, ["data"], model);
  const classes = model.classes;
  const scores = new Float32Array(data.count * classes);
  model.predict(data.features, data.count, scores);
  const confusion = new Int32Array(classes * classes);
  let correct = 0;
  for (let i = 0; i < data.count; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++)
      if (scores[i * classes + k] > scores[i * classes + best]) best = k;
    confusion[data.labels[i] * classes + best]++;
    if (best === data.labels[i]) correct++;
  }
  return { accuracy: correct / data.count, confusion };
}

/** The seed of an epoch's data order: a function of (seed, epoch) only. */
function epochSeed(seed: number, epoch: number): number {
  return (seed * 1_000_003 + epoch * 7919) % 2 ** 52;
}

/** A model as createModel or loadModel make it (or any object with the Model methods). */
function checkModel(model: unknown): void {
  const m = model as Partial<Model> | null;
  const ok =
    m !== null &&
    typeof m === "object" &&
    typeof m.trainBatch === "function" &&
    typeof m.predict === "function" &&
    Number.isInteger(m.inputs) &&
    Number.isInteger(m.classes);
  if (!ok) {
    throw argumentError(
      "argument/wrong-type",
      ["model"],
      `must be a model (got ${describeValue(model)})`,
      'Build one with await createModel({ preset: "trivariate", inputs, classes }).',
    );
  }
}

/** epochs ≥ 1, 0 ≤ startEpoch ≤ epochs, 1 ≤ batchSize ≤ the model's capacity, seed ≥ 0, callbacks functions. */
function checkLoopOptions(value: unknown, model: Model): { batchSize: number } {
  const o = checkObject(value, ["options"], "Pass { epochs, batchSize, seed }.");
  const epochs = checkInteger(
    o.epochs,
    ["options", "epochs"],
    { min: 1 },
    "Train for at least one epoch, e.g. epochs: 10.",
  );
  checkInteger(
    o.startEpoch ?? 0,
    ["options", "startEpoch"],
    { min: 0, max: epochs },
    "startEpoch counts the epochs already trained (0 for a new run).",
  );
  const batchSize = checkInteger(
    o.batchSize,
    ["options", "batchSize"],
    { min: 1, max: model.capacity },
    `The model takes batches of at most ${model.capacity} samples (its capacity); create it with a larger capacity for larger batches.`,
  );
  checkInteger(
    o.seed,
    ["options", "seed"],
    { min: 0 },
    "Any integer ≥ 0 seeds the data order, e.g. seed: 1.",
  );
  for (const key of ["onBatch", "onEpoch", "shouldStop", "clock"])
    checkOptionalFunction(o[key], ["options", key]);
  return { batchSize };
}
