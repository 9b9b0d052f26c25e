/**
 * Seeded train/validation/test splits and the papers' global standardisation with
 * training-split statistics, for any labelled data with a name: the CLI's datasets, and the
 * lab's page, which splits the embedded digits exactly as the CLI does.
 */

import { InfomorphError } from "../errors.js";
import type { Rng } from "../random/rng.js";
import type { LabelledData } from "./loop.js";

/** Labelled data with a name ("mnist/train"): what the splits take and give (other fields are kept). */
export interface NamedData extends LabelledData {
  readonly name: string;
}

/**
 * Standardise in place with ONE global mean and std over every feature value of `train`
 * (as torchvision's Normalize((0.1307,), (0.3081,)) for MNIST), then apply the same
 * x ← (x − mean) / std to `others`. Statistics come from `train` only, so nothing leaks
 * from validation or test. std is the population std (divide by N), in float64.
 *
 * @example standardize(splits.train, splits.validation, splits.test) // { mean: 0.1307, std: 0.3081 } for MNIST
 */
export function standardize(
  train: NamedData,
  ...others: LabelledData[]
): { mean: number; std: number } {
  const x = train.features;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  const mean = sum / x.length;
  let squares = 0;
  for (let i = 0; i < x.length; i++) squares += (x[i] - mean) ** 2;
  const std = Math.sqrt(squares / x.length);
  if (!(std > 0)) {
    throw new InfomorphError({
      code: "data/constant-features",
      path: [train.name],
      message: `${train.name} has ${x.length === 0 ? "no feature values" : `every feature value equal to ${mean}`}, so it cannot be standardised. Check the data file.`,
    });
  }
  for (const ds of [train, ...others]) {
    const f = ds.features;
    for (let i = 0; i < f.length; i++) f[i] = (f[i] - mean) / std;
  }
  return { mean, std };
}

/**
 * Split off `validationCount` random rows (seeded) as validation; the rest is train.
 * Each part keeps the original row order. Names become "<base>/train", "<base>/validation".
 *
 * @example splitTrainValidation(mnistTrain, 12000, new Rng(1)) // 48,000 train, 12,000 validation
 */
export function splitTrainValidation<D extends NamedData>(
  ds: D,
  validationCount: number,
  rng: Pick<Rng, "permutation">,
): { train: D; validation: D } {
  const [validation, train] = takeRandomParts(ds, [validationCount], rng, ["validation"]);
  return { train, validation };
}

/**
 * Split into validation, test (the given counts, seeded) and train (the rest).
 * Each part keeps the original row order.
 *
 * @example splitTrainValidationTest(digits, { validation: 1500, test: 1500 }, new Rng(1)) // 7000 / 1500 / 1500
 */
export function splitTrainValidationTest<D extends NamedData>(
  ds: D,
  counts: { validation: number; test: number },
  rng: Pick<Rng, "permutation">,
): { train: D; validation: D; test: D } {
  const [validation, test, train] = takeRandomParts(ds, [counts.validation, counts.test], rng, [
    "validation",
    "test",
  ]);
  return { train, validation, test };
}

/** The rows of `ds` at `indices`, in that order, as new data named `name` (its other fields kept). */
export function subset<D extends NamedData>(ds: D, indices: ArrayLike<number>, name: string): D {
  const features = new Float32Array(indices.length * ds.dim);
  const labels = new Uint8Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    features.set(ds.features.subarray(i * ds.dim, (i + 1) * ds.dim), r * ds.dim);
    labels[r] = ds.labels[i];
  }
  return { ...ds, name, features, labels, count: indices.length } as D;
}

/** One seeded permutation cut into parts of the given sizes, then the remainder as "train". */
function takeRandomParts<D extends NamedData>(
  ds: D,
  counts: number[],
  rng: Pick<Rng, "permutation">,
  names: string[],
): D[] {
  const taken = counts.reduce((a, b) => a + b, 0);
  counts.forEach((count, k) => {
    if (!Number.isInteger(count) || count < 1 || taken >= ds.count) {
      throw new InfomorphError({
        code: "data/bad-split",
        path: [names[k]],
        message: `cannot split ${ds.count} rows of ${ds.name} into ${counts.map((c, j) => `${c} ${names[j]}`).join(", ")} and a non-empty train part. Use a larger dataset or smaller split sizes.`,
      });
    }
  });
  const order = rng.permutation(ds.count);
  const base = ds.name.replace(/\/[^/]*$/, "");
  const parts: D[] = [];
  let start = 0;
  for (const [k, count] of [...counts, ds.count - taken].entries()) {
    const indices = order.slice(start, start + count).sort();
    parts.push(subset(ds, indices, `${base}/${names[k] ?? "train"}`));
    start += count;
  }
  return parts;
}
