/**
 * The CLI's `--dataset embedded` in the page, split and standardised exactly as the CLI does
 * (packages/cli/src/data/registry.ts and splits.ts): one seeded permutation takes 1500
 * validation and 1500 test digits, the rest is train, each part in the original order; one
 * global mean and std over the train split's values standardise all three. So a run trained
 * here resumes under `infomorph train --resume` on the same data; lab's dataset.test.ts
 * checks it value for value against the CLI.
 */

import { type LabelledData, Rng } from "@infomorph/core";
import type { Digits } from "./digits.js";

const DIM = 784;
const CLASSES = 10;
export const VALIDATION = 1500;
export const TEST = 1500;

export interface PlaySplits {
  train: LabelledData;
  validation: LabelledData;
  test: LabelledData;
  standardization: { mean: number; std: number };
}

/** The splits of `seed`, training on the first `trainSamples` train digits (all when larger). */
export function embeddedSplits(digits: Digits, seed: number, trainSamples: number): PlaySplits {
  const order = new Rng(seed).permutation(digits.count);
  const part = (from: number, to: number) => rows(digits, order.slice(from, to).sort());
  const validation = part(0, VALIDATION);
  const test = part(VALIDATION, VALIDATION + TEST);
  const train = part(VALIDATION + TEST, digits.count);
  const standardization = standardize(train, [validation, test]);
  const used = Math.min(trainSamples, train.count);
  return {
    train: {
      ...train,
      features: train.features.subarray(0, used * DIM),
      labels: train.labels.subarray(0, used),
      count: used,
    },
    validation,
    test,
    standardization,
  };
}

function rows(digits: Digits, indices: Int32Array): LabelledData {
  const features = new Float32Array(indices.length * DIM);
  const labels = new Uint8Array(indices.length);
  indices.forEach((i, r) => {
    features.set(digits.features.subarray(i * DIM, (i + 1) * DIM), r * DIM);
    labels[r] = digits.labels[i];
  });
  return { features, labels, count: indices.length, dim: DIM, classes: CLASSES };
}

/** x ← (x − mean) / std with the train split's global mean and population std (float64 sums). */
function standardize(train: LabelledData, others: LabelledData[]): { mean: number; std: number } {
  const x = train.features;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  const mean = sum / x.length;
  let squares = 0;
  for (let i = 0; i < x.length; i++) squares += (x[i] - mean) ** 2;
  const std = Math.sqrt(squares / x.length);
  for (const data of [train, ...others]) {
    const f = data.features;
    for (let i = 0; i < f.length; i++) f[i] = (f[i] - mean) / std;
  }
  return { mean, std };
}
