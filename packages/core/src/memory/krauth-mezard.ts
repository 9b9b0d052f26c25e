/** A perceptron-type rule: Krauth–Mézard "minover" learning of each neuron's weights until every pattern is stable with a margin (Gardner bound: 2 patterns per neuron). */

import { InfomorphError } from "../errors.js";
import { withDefaults } from "./defaults.js";
import { type HopfieldNetwork, hopfieldNetwork } from "./network.js";

export interface KrauthMezardOptions {
  /** Required stability c of every pattern, ξ_i·h_i ≥ c, in units where one update adds 1/N per weight; default 1. */
  margin?: number;
  /** Update budget per neuron, in multiples of P (updates ≤ maxSweeps·P); default 100. */
  maxSweeps?: number;
}

/**
 * Defaults (margin 1, maxSweeps 100) and checks: margin a positive number
 * ("memory/bad-margin"), maxSweeps an integer ≥ 1 ("memory/bad-sweeps").
 */
export function resolveKrauthMezard(options: KrauthMezardOptions): Required<KrauthMezardOptions> {
  const { margin, maxSweeps } = withDefaults({ margin: 1, maxSweeps: 100 }, options);
  if (!(Number.isFinite(margin) && margin > 0)) {
    throw new InfomorphError({
      code: "memory/bad-margin",
      path: ["margin"],
      message: `the Krauth–Mézard margin must be a positive number (got ${margin}); try 1.`,
    });
  }
  if (!(Number.isInteger(maxSweeps) && maxSweeps >= 1)) {
    throw new InfomorphError({
      code: "memory/bad-sweeps",
      path: ["maxSweeps"],
      message: `maxSweeps must be an integer ≥ 1 (got ${maxSweeps}); try 100.`,
    });
  }
  return { margin, maxSweeps };
}

/**
 * Krauth & Mézard's minimal-overlap rule (J. Phys. A 20, L745, 1987), per neuron i with
 * w_ii = 0 and no threshold: repeat
 *
 *   μ* = argmin_μ ξ_i^μ h_i^μ;   stop if ξ_i^μ* h_i^μ* ≥ c;   else w_ij += (1/N)·ξ_i^μ* ξ_j^μ*  (j ≠ i)
 *
 * from w = 0. It stops with every pattern stable at margin c whenever that is possible
 * (perceptron convergence); the normalised margin c/|w_i| approaches the optimal one of
 * Gardner (1988) as c grows. For random patterns and zero margin the bound is α = 2;
 * near it the number of updates diverges, so the budget ends the loop (the neuron then
 * keeps its last weights and some patterns stay unstable). Each update costs O(P): the
 * fields are kept up to date through the pattern overlaps C_μν = Σ_j ξ_j^μ ξ_j^ν.
 * Float64 arithmetic, weights rounded to float32.
 *
 * @example krauthMezard(patterns, 150, 100).weights // every pattern stable at α = 1.5
 */
export function krauthMezard(
  patterns: Float32Array,
  count: number,
  neurons: number,
  options: KrauthMezardOptions = {},
): HopfieldNetwork {
  const { margin, maxSweeps } = resolveKrauthMezard(options);
  const N = neurons;
  const P = count;
  const overlap = new Int32Array(P * P);
  for (let a = 0; a < P; a++) {
    for (let b = a; b < P; b++) {
      let dot = 0;
      for (let j = 0; j < N; j++) dot += patterns[a * N + j] * patterns[b * N + j];
      overlap[a * P + b] = dot;
      overlap[b * P + a] = dot;
    }
  }
  const weights = new Float32Array(N * N);
  const stability = new Float64Array(P);
  const strength = new Float64Array(P);
  for (let i = 0; i < N; i++) {
    stability.fill(0);
    strength.fill(0);
    for (let update = 0; update < maxSweeps * P; update++) {
      let worst = 0;
      for (let mu = 1; mu < P; mu++) if (stability[mu] < stability[worst]) worst = mu;
      if (stability[worst] >= margin) break;
      strength[worst] += 1;
      const xi = patterns[worst * N + i];
      for (let nu = 0; nu < P; nu++) {
        const xn = patterns[nu * N + i];
        // overlap without the self-connection j = i
        stability[nu] += (xi * xn * (overlap[worst * P + nu] - xi * xn)) / N;
      }
    }
    const row = new Float64Array(N);
    for (let mu = 0; mu < P; mu++) {
      if (strength[mu] === 0) continue;
      const scale = (strength[mu] * patterns[mu * N + i]) / N;
      for (let j = 0; j < N; j++) row[j] += scale * patterns[mu * N + j];
    }
    row[i] = 0;
    weights.set(row, i * N);
  }
  return hopfieldNetwork(N, weights);
}
