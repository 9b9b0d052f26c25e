/**
 * Test helper: a small synthetic classification task — Gaussian classes in 6 dimensions,
 * class c shifted by `shift` along the dimensions d with d mod classes = c. The default
 * (three classes, shift 2.5) is well separated; `balanced` gives every class the same count.
 */

import { Rng } from "../src/random/rng.js";
import type { LabelledData } from "../src/train/loop.js";

export function blobs(
  count: number,
  seed: number,
  { classes = 3, shift = 2.5, balanced = false } = {},
): LabelledData {
  const rng = new Rng(seed);
  const dim = 6;
  const features = new Float32Array(count * dim);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const c = balanced ? i % classes : rng.int(classes);
    labels[i] = c;
    for (let d = 0; d < dim; d++)
      features[i * dim + d] = rng.normal() + (d % classes === c ? shift : 0);
  }
  return { features, labels, count, dim, classes };
}
