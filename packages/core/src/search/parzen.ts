/**
 * TPE's Parzen estimator: a weighted mixture of truncated normals on the unit cube, one
 * component per observed trial plus a broad prior, with Optuna's bandwidths (Optuna 2.10 –
 * 4.8, the versions the papers and most users ran; Optuna 4.9 dropped the prior from the
 * univariate bandwidths and 5.0 the multivariate Scott rule).
 */

import { InfomorphError } from "../errors.js";
import type { Rng } from "../random/rng.js";
import { truncatedNormalLogNormaliser, truncatedNormalQuantile } from "./truncated-normal.js";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Optuna's floor on bandwidths when the magic clip is off. */
const EPS = 1e-12;
/** Optuna's constant in the multivariate (Scott's rule) bandwidth. */
const SIGMA0_MAGNITUDE = 0.2;

export interface ParzenOptions {
  /** Weight of the prior component N(½, 1²) before normalisation (Optuna prior_weight, default 1). */
  readonly priorWeight: number;
  /** Floor the bandwidths at 1/min(100, n + 2) of the range (Optuna consider_magic_clip, default on). */
  readonly considerMagicClip: boolean;
  /** Univariate: let the outermost observations' bandwidth reach the bounds (default off). */
  readonly considerEndpoints: boolean;
  /** One bandwidth for all components by Scott's rule (true) or per-observation neighbour distances. */
  readonly multivariate: boolean;
  /** The weights of n observations in trial order, oldest first (Optuna's default_weights). */
  readonly weights: (n: number) => ArrayLike<number>;
}

/**
 * The mixture p(x) = Σ_k w_k Π_d TN(x_d; μ_dk, σ_dk, 0, 1) over observations in [0, 1]^D:
 *
 * - μ_dk: the observations, then the prior's ½.
 * - σ_dk, multivariate: 0.2 · max(n, 1)^(−1/(D+4)) for every observation (Scott's rule).
 *   Univariate (D = 1 per estimator): the larger distance to the neighbouring observation
 *   (the prior's ½ and the bounds 0 and 1 count as neighbours); without consider_endpoints
 *   the outermost take the distance to their inner neighbour instead. Clipped to
 *   [1/min(100, n + 2), 1] (magic clip) or [1e-12, 1]. The prior's σ is 1.
 * - w_k: weights(n) for the observations, then priorWeight; normalised. With no
 *   observation, the prior alone.
 */
export class ParzenEstimator {
  readonly dims: number;
  /** log w_k, per component (observations, then the prior). */
  private readonly logWeights: Float64Array;
  private readonly cumulative: Float64Array;
  /** [dim][component] */
  private readonly mus: Float64Array[];
  private readonly sigmas: Float64Array[];
  private readonly logNormalisers: Float64Array[];

  constructor(observations: readonly ArrayLike<number>[], dims: number, options: ParzenOptions) {
    const n = observations.length;
    this.dims = dims;
    const raw = n === 0 ? [1] : [...checkedWeights(options.weights, n), options.priorWeight];
    if (!(options.priorWeight >= 0) || !Number.isFinite(options.priorWeight)) {
      throw new InfomorphError({
        code: "search/bad-prior-weight",
        path: ["priorWeight"],
        message: `priorWeight must be a finite number ≥ 0 (got ${options.priorWeight}); Optuna's default is 1.`,
      });
    }
    const total = raw.reduce((a, b) => a + b, 0);
    this.logWeights = Float64Array.from(raw, (w) => Math.log(w / total));
    this.cumulative = new Float64Array(raw.length);
    let acc = 0;
    raw.forEach((w, k) => {
      acc += w / total;
      this.cumulative[k] = acc;
    });
    this.mus = [];
    this.sigmas = [];
    this.logNormalisers = [];
    for (let d = 0; d < dims; d++) {
      const mus = new Float64Array(n + 1);
      for (let k = 0; k < n; k++) mus[k] = observations[k][d];
      mus[n] = 0.5;
      const sigmas = bandwidths(mus.subarray(0, n), dims, options);
      const allSigmas = new Float64Array(n + 1);
      allSigmas.set(sigmas);
      allSigmas[n] = 1;
      this.mus.push(mus);
      this.sigmas.push(allSigmas);
      this.logNormalisers.push(
        Float64Array.from(mus, (mu, k) => truncatedNormalLogNormaliser(mu, allSigmas[k], 0, 1)),
      );
    }
  }

  /** Draw `count` points: a component by its weight, then each coordinate from its truncated normal. */
  sample(rng: Rng, count: number): Float64Array[] {
    const components = Array.from({ length: count }, () => this.pickComponent(rng.uniform()));
    return components.map((k) => {
      const x = new Float64Array(this.dims);
      for (let d = 0; d < this.dims; d++) {
        x[d] = truncatedNormalQuantile(rng.uniform(), this.mus[d][k], this.sigmas[d][k], 0, 1);
      }
      return x;
    });
  }

  /** log p(x) of each point (log-sum-exp over the components). */
  logPdf(points: readonly ArrayLike<number>[]): Float64Array {
    const out = new Float64Array(points.length);
    const components = this.logWeights.length;
    const terms = new Float64Array(components);
    points.forEach((x, i) => {
      terms.set(this.logWeights);
      for (let d = 0; d < this.dims; d++) {
        const mus = this.mus[d];
        const sigmas = this.sigmas[d];
        const norms = this.logNormalisers[d];
        const xd = x[d];
        for (let k = 0; k < components; k++) {
          const z = (xd - mus[k]) / sigmas[k];
          terms[k] += -0.5 * z * z - LOG_SQRT_2PI - norms[k];
        }
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < components; k++) if (terms[k] > max) max = terms[k];
      if (max === Number.NEGATIVE_INFINITY) {
        out[i] = max;
        return;
      }
      let sum = 0;
      for (let k = 0; k < components; k++) sum += Math.exp(terms[k] - max);
      out[i] = max + Math.log(sum);
    });
    return out;
  }

  private pickComponent(u: number): number {
    const last = this.cumulative.length - 1;
    for (let k = 0; k < last; k++) if (u < this.cumulative[k]) return k;
    return last;
  }
}

/** The bandwidths of the observed components (see {@link ParzenEstimator}). */
function bandwidths(mus: Float64Array, dims: number, options: ParzenOptions): Float64Array {
  const n = mus.length;
  let sigmas: Float64Array;
  if (options.multivariate) {
    sigmas = new Float64Array(n).fill(SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (dims + 4)));
  } else {
    // Neighbours among the observations, the prior's ½ and the bounds; ties keep trial order.
    const withPrior = [...mus, 0.5];
    const order = withPrior.map((_, k) => k).sort((a, b) => withPrior[a] - withPrior[b] || a - b);
    const sorted = [0, ...order.map((k) => withPrior[k]), 1];
    const bySorted = order.map((_, i) =>
      Math.max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]),
    );
    if (!options.considerEndpoints && sorted.length >= 4) {
      bySorted[0] = sorted[2] - sorted[1];
      bySorted[bySorted.length - 1] = sorted[sorted.length - 2] - sorted[sorted.length - 3];
    }
    sigmas = new Float64Array(n);
    order.forEach((k, i) => {
      if (k < n) sigmas[k] = bySorted[i];
    });
  }
  const minSigma = options.considerMagicClip ? 1 / Math.min(100, n + 2) : EPS;
  for (let k = 0; k < n; k++) sigmas[k] = Math.min(1, Math.max(minSigma, sigmas[k]));
  return sigmas;
}

function checkedWeights(weights: (n: number) => ArrayLike<number>, n: number): number[] {
  const w = Array.from(weights(n)).slice(0, n);
  if (
    w.length !== n ||
    w.some((x) => !(x >= 0) || !Number.isFinite(x)) ||
    w.every((x) => x === 0)
  ) {
    throw new InfomorphError({
      code: "search/bad-weights",
      path: ["weights"],
      message: `the weights function must return ${n} finite weights ≥ 0, not all 0, for ${n} trials (got [${w.join(", ")}]).`,
    });
  }
  return w;
}
