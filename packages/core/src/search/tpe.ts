/**
 * The Tree-structured Parzen Estimator with Optuna's semantics (TPESampler, Optuna 2.10 – 4.8;
 * Bergstra et al., NeurIPS 2011; Watanabe, arXiv 2304.11127, for Optuna's choices): after a
 * random start, the completed trials are split into the best γ(n) ("below") and the rest
 * ("above"); a Parzen estimator l(x) is fitted to each; n_ei_candidates points are drawn
 * from l and the one with the largest log l(x) − log g(x) is asked next.
 */

import { InfomorphError } from "../errors.js";
import { Rng } from "../random/rng.js";
import { ScrambledHalton } from "./halton.js";
import { ParzenEstimator, type ParzenOptions } from "./parzen.js";
import { uniformPoint } from "./random.js";
import { SamplerBase, type SamplerOptions, type Trial, type TrialRecord } from "./sampler.js";
import type { SearchSpace } from "./space.js";

/** Optuna's default γ: the number of trials in the "below" set, min(⌈0.1·n⌉, 25). */
export function optunaGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Optuna's default weights of n trials in trial order (oldest first): all 1 for n < 25;
 * otherwise a ramp from 1/n to 1 over the n − 25 oldest, then 25 ones.
 *
 * @example optunaWeights(27) // [1/27, 1, 1, …] (27 entries)
 */
export function optunaWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n >= 25) {
    const ramp = n - 25;
    // numpy.linspace(1/n, 1, ramp): evenly spaced, both ends included
    for (let i = 0; i < ramp; i++)
      w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  }
  return w;
}

export interface TpeOptions extends SamplerOptions {
  /** Trials sampled at random before TPE starts (Optuna default 10; the papers 100). */
  readonly nStartupTrials?: number;
  /** Candidates drawn from l(x) per ask (Optuna default 24; the papers 100). */
  readonly nEiCandidates?: number;
  /** One joint estimator over all parameters (true) or one per parameter (false, Optuna's default). */
  readonly multivariate?: boolean;
  /** Weight of the prior component (default 1). */
  readonly priorWeight?: number;
  /** Floor bandwidths at range/min(100, n + 2) (default true). */
  readonly considerMagicClip?: boolean;
  /** Univariate bandwidths of the outermost points reach the bounds (default false). */
  readonly considerEndpoints?: boolean;
  /** Put running trials into the "above" set, so parallel workers spread out (default false, as Optuna). */
  readonly constantLiar?: boolean;
  /** How the start is sampled: "random" (Optuna) or "halton" (scrambled Halton, see halton.ts). Default "random". */
  readonly startup?: "random" | "halton";
  /** Number of "below" trials among n completed ones (default {@link optunaGamma}). */
  readonly gamma?: (n: number) => number;
  /** Weights of n trials, oldest first (default {@link optunaWeights}). */
  readonly weights?: (n: number) => ArrayLike<number>;
}

/**
 * Optuna's TPESampler in ask/tell form. What happens at each ask:
 *
 * 1. Fewer than nStartupTrials completed trials: a random (or Halton) point. Running and
 *    failed trials do not count, so asynchronous workers may start more than nStartupTrials.
 * 2. Otherwise the n completed trials are sorted by value (stable, so ties keep trial order),
 *    the best γ(n) form "below", the rest "above"; with constantLiar, the running trials are
 *    added to "above" as if they were the worst. Both sets are put back in trial order (the
 *    weights favour recent trials) and a Parzen estimator is fitted to each (parzen.ts).
 * 3. multivariate: nEiCandidates points are drawn from l and the one maximising
 *    log l(x) − log g(x) is returned. Univariate: the same per parameter, independently,
 *    in the space's order.
 *
 * Failed trials are ignored (as Optuna ignores FAIL). Deviations from Optuna: only float
 * parameters (no log, step, categorical), no pruning or constraints, and a different random
 * stream (xoshiro128**, not numpy's MT19937), so the same seed gives other points.
 */
export class TpeSampler extends SamplerBase {
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly multivariate: boolean;
  readonly constantLiar: boolean;
  private readonly rng: Rng;
  private readonly parzen: ParzenOptions;
  private readonly gamma: (n: number) => number;
  private readonly halton: ScrambledHalton | null;
  private startupPoints = 0;

  constructor(space: SearchSpace, options: TpeOptions) {
    super(space, options);
    this.rng = new Rng(options.seed);
    this.nStartupTrials = count(options.nStartupTrials ?? 10, "nStartupTrials", 0);
    this.nEiCandidates = count(options.nEiCandidates ?? 24, "nEiCandidates", 1);
    this.multivariate = options.multivariate ?? false;
    this.constantLiar = options.constantLiar ?? false;
    this.gamma = options.gamma ?? optunaGamma;
    this.parzen = {
      priorWeight: options.priorWeight ?? 1,
      considerMagicClip: options.considerMagicClip ?? true,
      considerEndpoints: options.considerEndpoints ?? false,
      multivariate: this.multivariate,
      weights: options.weights ?? optunaWeights,
    };
    const startup = options.startup ?? "random";
    if (startup !== "random" && startup !== "halton") {
      throw new InfomorphError({
        code: "search/bad-option",
        path: ["startup"],
        message: `startup must be "random" or "halton" (got ${JSON.stringify(startup)}).`,
      });
    }
    this.halton = startup === "halton" ? new ScrambledHalton(space.free.length, this.rng) : null;
  }

  ask(): Trial {
    const completed = this.history.completed();
    const dims = this.space.free.length;
    if (completed.length < this.nStartupTrials) {
      const u = this.halton
        ? this.halton.point(this.startupPoints++)
        : uniformPoint(this.rng, dims);
      return this.history.add(u);
    }
    const { below, above } = this.split(completed);
    const u = new Float64Array(dims);
    if (this.multivariate) {
      u.set(this.bestCandidate(below, above, null));
    } else {
      for (let d = 0; d < dims; d++) u[d] = this.bestCandidate(below, above, d)[0];
    }
    return this.history.add(u);
  }

  /** The below/above split (step 2 above), each in trial order. */
  private split(completed: TrialRecord[]): { below: TrialRecord[]; above: TrialRecord[] } {
    const n = completed.length;
    const wanted = this.gamma(n);
    if (!Number.isInteger(wanted)) {
      throw new InfomorphError({
        code: "search/bad-gamma",
        path: ["gamma"],
        message: `gamma(${n}) must be an integer (got ${wanted}); Optuna's default is min(⌈0.1·n⌉, 25).`,
      });
    }
    const nBelow = Math.min(n, Math.max(0, wanted));
    const byLoss = [...completed].sort((a, b) => a.loss - b.loss || a.id - b.id);
    const below = byLoss.slice(0, nBelow);
    const above = byLoss.slice(nBelow);
    if (this.constantLiar) above.push(...this.history.running());
    const byId = (a: TrialRecord, b: TrialRecord) => a.id - b.id;
    return { below: below.sort(byId), above: above.sort(byId) };
  }

  /** The candidate from l with the largest log l − log g, over all dimensions or one (dim). */
  private bestCandidate(
    below: TrialRecord[],
    above: TrialRecord[],
    dim: number | null,
  ): Float64Array {
    const project = (r: TrialRecord) => (dim === null ? r.unit : r.unit.subarray(dim, dim + 1));
    const dims = dim === null ? this.space.free.length : 1;
    const l = new ParzenEstimator(below.map(project), dims, this.parzen);
    const g = new ParzenEstimator(above.map(project), dims, this.parzen);
    const candidates = l.sample(this.rng, this.nEiCandidates);
    const logL = l.logPdf(candidates);
    const logG = g.logPdf(candidates);
    let best = 0;
    for (let i = 1; i < candidates.length; i++) {
      if (logL[i] - logG[i] > logL[best] - logG[best]) best = i;
    }
    return candidates[best];
  }
}

function count(value: number, name: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InfomorphError({
      code: "search/bad-option",
      path: [name],
      message: `${name} must be an integer ≥ ${min} (got ${value}).`,
    });
  }
  return value;
}
