/** The training loop: seeded epochs of mini-batches, evaluation on validation and test, per-epoch records, stop and resume at epoch boundaries. */

import type { LayerEpochStats, Model } from "../network/model.js";
import { Rng } from "../random/rng.js";

/** Labelled samples, row-major float32 features [count × dim], labels in 0…classes−1. */
export interface LabelledData {
  readonly features: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly dim: number;
  readonly classes: number;
}

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
  const clock = options.clock ?? (() => performance.now());
  const { train } = data;
  const { batchSize } = options;
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
