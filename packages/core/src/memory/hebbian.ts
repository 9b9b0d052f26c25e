/** The Hebbian (outer-product) rule of the classical Hopfield network: capacity ≈ 0.138 patterns per neuron. */

import type { Kernels } from "../kernels/kernels.js";
import { type HopfieldNetwork, hopfieldNetwork, zeroDiagonal } from "./network.js";

/**
 * Hopfield's outer-product rule (Hopfield 1982):
 *
 *   W_ij = (1/N) · Σ_μ ξ_i^μ ξ_j^μ   (i ≠ j),   W_ii = 0,   no thresholds
 *
 * for `count` patterns ξ^μ ∈ {−1, +1}^N, row-major [pattern × neuron]. The 1/N does not
 * change the sign dynamics; it keeps the fields of order 1. In the limit of large N,
 * random patterns stay (nearly) stable up to α = P/N ≈ 0.138 (Amit, Gutfreund & Sompolinsky
 * 1985). One product [N × P]·[P × N]; float32.
 *
 * @example hebbian(patterns, P, N, kernels).weights[0 * N + 1] // (1/N)·Σ_μ ξ_0 ξ_1
 */
export function hebbian(
  patterns: Float32Array,
  count: number,
  neurons: number,
  kernels: Pick<Kernels, "matmulAtB">,
): HopfieldNetwork {
  const weights = new Float32Array(neurons * neurons);
  kernels.matmulAtB(patterns, patterns, weights, neurons, count, neurons);
  for (let e = 0; e < weights.length; e++) weights[e] /= neurons;
  zeroDiagonal(weights, neurons);
  return hopfieldNetwork(neurons, weights);
}
