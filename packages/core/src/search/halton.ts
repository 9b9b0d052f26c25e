/**
 * A low-discrepancy start: the scrambled Halton sequence, as a sampler of its own and as an
 * optional start for TPE.
 *
 * Why Halton and not Sobol: a study's start has no natural length (100 trials in the papers,
 * more when asynchronous workers overshoot, fewer when a study is cut short), and every
 * prefix of a Halton sequence of any length is evenly spread (the first p^k points put
 * exactly one point in each interval [j/p^k, (j+1)/p^k) of the dimension with base p),
 * while Sobol's balance holds for powers of two only. Halton needs no table of direction
 * numbers either (the i-th prime per dimension). Plain Halton's higher dimensions
 * (bases 53, 59, 61 for the 16th–18th atoms) are strongly correlated in their first points;
 * random digit permutations break that: one random permutation of {0, …, p−1} per
 * dimension and digit position, applied to every digit of the radical inverse, including
 * the leading zeros, so the point at index 0 is random too (Braaten & Weller 1979; Owen,
 * "A randomized Halton algorithm in R", 2017, discusses why scrambling is needed). The
 * permutations keep the stratification above.
 */

import { Rng } from "../random/rng.js";
import { SamplerBase, type SamplerOptions, type Trial } from "./sampler.js";
import type { SearchSpace } from "./space.js";

/** The scrambled Halton points of the unit cube [0, 1)^dims, drawn by index. */
export class ScrambledHalton {
  private readonly bases: number[];
  /** Per dimension, per digit position, the permutation of the digits 0…p−1. */
  private readonly permutations: Int32Array[][];

  /** The permutations are drawn from `rng` (dims × digits × base uniform draws). */
  constructor(
    readonly dims: number,
    rng: Rng,
  ) {
    this.bases = firstPrimes(dims);
    this.permutations = this.bases.map((p) => {
      // enough digits that p^−digits < 2^−53: the sum is then exact to float64
      const digits = Math.ceil(53 / Math.log2(p));
      return Array.from({ length: digits }, () => rng.permutation(p));
    });
  }

  /** The point at `index` (0, 1, 2, …): per dimension, Σ_k π_k(d_k)·p^−(k+1) over the base-p digits d_k of index. */
  point(index: number): Float64Array {
    const u = new Float64Array(this.dims);
    for (let j = 0; j < this.dims; j++) {
      const p = this.bases[j];
      const perms = this.permutations[j];
      const digits = new Int32Array(perms.length);
      let rest = index;
      for (let k = 0; k < perms.length; k++) {
        digits[k] = rest % p;
        rest = Math.floor(rest / p);
      }
      // From the least significant term up, so small terms are not lost to rounding.
      let x = 0;
      for (let k = perms.length - 1; k >= 0; k--) x = (perms[k][digits[k]] + x) / p;
      u[j] = x;
    }
    return u;
  }
}

/** The scrambled Halton sequence as a sampler (quasi-random search; results do not influence it). */
export class HaltonSampler extends SamplerBase {
  private readonly sequence: ScrambledHalton;

  constructor(space: SearchSpace, options: SamplerOptions) {
    super(space, options);
    this.sequence = new ScrambledHalton(space.free.length, new Rng(options.seed));
  }

  ask(): Trial {
    return this.history.add(this.sequence.point(this.history.all().length));
  }
}

/** The first n primes: 2, 3, 5, 7, … */
function firstPrimes(n: number): number[] {
  const primes: number[] = [];
  for (let candidate = 2; primes.length < n; candidate++) {
    if (primes.every((p) => p * p > candidate || candidate % p !== 0)) primes.push(candidate);
  }
  return primes;
}
