/** Test helper: a small synthetic classification task — three well-separated Gaussian classes in 6 dimensions. */

import type { LabelledData } from "../src/train/loop.js";
import { Rng } from "../src/train/rng.js";

export function blobs(count: number, seed: number): LabelledData {
  const rng = new Rng(seed);
  const dim = 6;
  const features = new Float32Array(count * dim);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const c = rng.int(3);
    labels[i] = c;
    for (let d = 0; d < dim; d++) features[i * dim + d] = rng.normal() + (d % 3 === c ? 2.5 : 0);
  }
  return { features, labels, count, dim, classes: 3 };
}
