/**
 * The CLI's `--dataset embedded` in the page, with the CLI's own code (core's splits): one
 * seeded permutation takes 1500 validation and 1500 test digits, the rest is train, each part
 * in the original order; one global mean and std over the train split's values standardise
 * all three; training uses the first `trainSamples` train digits (`--train-samples`). So a
 * run trained here resumes under `infomorph train --resume` on the same data; dataset.test.ts
 * checks it value for value against the CLI.
 */

import {
  type LabelledData,
  type NamedData,
  Rng,
  splitTrainValidationTest,
  standardize,
} from "@infomorph/core";
import type { Digits } from "./digits.js";

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
  const all: NamedData = { name: "embedded", ...digits, dim: 784, classes: 10 };
  const { train, validation, test } = splitTrainValidationTest(
    all,
    { validation: VALIDATION, test: TEST },
    new Rng(seed),
  );
  const standardization = standardize(train, validation, test);
  const used = Math.min(trainSamples, train.count);
  return {
    train: {
      ...train,
      features: train.features.subarray(0, used * train.dim),
      labels: train.labels.subarray(0, used),
      count: used,
    },
    validation,
    test,
    standardization,
  };
}
