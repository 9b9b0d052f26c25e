/** The patterns an associative memory stores (random ±1 vectors) and the corrupted cues that test its recall. */

import { InfomorphError } from "../errors.js";
import type { Rng } from "../random/rng.js";

/**
 * `count` random patterns of `neurons` unbiased ±1 bits, row-major [pattern × neuron]:
 * each bit is +1 with probability ½, independently (the papers' HopfieldDataset with
 * p = 0.5). Draws exactly count × neurons values from `rng`, in row-major order.
 *
 * @example randomPatterns(2, 3, new Rng(1)) // Float32Array of six ±1 values
 */
export function randomPatterns(count: number, neurons: number, rng: Rng): Float32Array {
  checkCount(count);
  checkNeurons(neurons);
  const patterns = new Float32Array(count * neurons);
  for (let e = 0; e < patterns.length; e++) patterns[e] = rng.uniform() < 0.5 ? -1 : 1;
  return patterns;
}

/**
 * Cues for recall: a copy of each pattern with exactly ⌊fraction · neurons⌋ of its bits
 * flipped, at positions drawn uniformly without replacement for each pattern (the
 * reference's noisy_patterns: a fixed number of flips per pattern, not a flip probability).
 * fraction 0 returns an unchanged copy and draws nothing.
 *
 * @example corruptCues(Float32Array.of(1, 1, 1, 1), 1, 4, 0.5, rng) // two of the four bits are −1
 */
export function corruptCues(
  patterns: Float32Array,
  count: number,
  neurons: number,
  fraction: number,
  rng: Rng,
): Float32Array {
  checkCount(count);
  checkNeurons(neurons);
  if (patterns.length !== count * neurons) {
    throw new InfomorphError({
      code: "memory/bad-shape",
      path: ["patterns"],
      message: `patterns has ${patterns.length} values, expected count × neurons = ${count} × ${neurons} = ${count * neurons}.`,
    });
  }
  checkFraction(fraction);
  const cues = patterns.slice();
  const flips = Math.floor(fraction * neurons + 1e-9);
  if (flips === 0) return cues;
  const positions = new Int32Array(neurons);
  for (let p = 0; p < count; p++) {
    // a partial Fisher–Yates shuffle: the first `flips` positions are a uniform sample
    for (let i = 0; i < neurons; i++) positions[i] = i;
    for (let i = 0; i < flips; i++) {
      const j = i + rng.int(neurons - i);
      const t = positions[i];
      positions[i] = positions[j];
      positions[j] = t;
      cues[p * neurons + positions[i]] *= -1;
    }
  }
  return cues;
}

/** Throws "memory/bad-fraction" unless 0 ≤ fraction ≤ 1. */
export function checkFraction(fraction: number, path: (string | number)[] = ["cueNoise"]): void {
  if (!(typeof fraction === "number" && fraction >= 0 && fraction <= 1)) {
    throw new InfomorphError({
      code: "memory/bad-fraction",
      path,
      message: `a cue-noise fraction must be a number from 0 to 1 (got ${fraction}); 0.1 flips 10 % of the bits.`,
    });
  }
}

/** Throws "memory/bad-neurons" unless neurons is an integer ≥ 2. */
export function checkNeurons(neurons: number): void {
  if (!Number.isInteger(neurons) || neurons < 2) {
    throw new InfomorphError({
      code: "memory/bad-neurons",
      path: ["neurons"],
      message: `an associative memory needs an integer number of neurons ≥ 2 (got ${neurons}); the paper uses 100.`,
    });
  }
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new InfomorphError({
      code: "memory/bad-patterns",
      path: ["patterns"],
      message: `the number of patterns must be an integer ≥ 1 (got ${count}); choose a load α > 0 with α · neurons ≥ 1.`,
    });
  }
}
