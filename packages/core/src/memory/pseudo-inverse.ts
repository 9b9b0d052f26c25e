/** The pseudo-inverse (projection) rule: the weights project onto the span of the patterns, so every pattern is a fixed point up to P = N − 1. */

import { type HopfieldNetwork, hopfieldNetwork, zeroDiagonal } from "./network.js";

/**
 * Projection rule (Personnaz, Guyon & Dreyfus 1985) with the self-couplings removed
 * (Kanter & Sompolinsky 1987):
 *
 *   W = Ξ·Ξ⁺ = Q·Qᵀ,  then W_ii = 0
 *
 * where Ξ = [ξ¹ … ξᴾ] (N × P) and Q is an orthonormal basis of its column span, built by
 * modified Gram–Schmidt with a second orthogonalisation pass, in float64 (Ξ⁺ is the
 * Moore–Penrose pseudo-inverse, so linearly dependent patterns are handled). A pattern's
 * field is then h_i = ξ_i·(1 − W⁰_ii) with W⁰_ii < 1 while P < N, so every pattern is a fixed
 * point (with a margin that shrinks as α → 1); once the patterns span all of ℝᴺ, W⁰ = I and
 * the zero-diagonal network is empty. Capacity: α = 1 − 1/N. Weights rounded to float32.
 * Cost: O(P·N·rank) for the basis, O(rank·N²) for W.
 *
 * @example pseudoInverse(patterns, 99, 100).weights // stores all 99 patterns
 */
export function pseudoInverse(
  patterns: Float32Array,
  count: number,
  neurons: number,
): HopfieldNetwork {
  const N = neurons;
  const basis: Float64Array[] = [];
  const v = new Float64Array(N);
  // a pattern whose residual is this small lies in the span of the earlier ones
  const tolerance = 1e-9 * Math.sqrt(N);
  for (let p = 0; p < count && basis.length < N; p++) {
    for (let i = 0; i < N; i++) v[i] = patterns[p * N + i];
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        let dot = 0;
        for (let i = 0; i < N; i++) dot += q[i] * v[i];
        for (let i = 0; i < N; i++) v[i] -= dot * q[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < N; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm > tolerance) basis.push(v.map((x) => x / norm));
  }
  const w = new Float64Array(N * N);
  for (const q of basis) {
    for (let i = 0; i < N; i++) {
      const qi = q[i];
      if (qi === 0) continue;
      const row = i * N;
      for (let j = 0; j < N; j++) w[row + j] += qi * q[j];
    }
  }
  zeroDiagonal(w, N);
  return hopfieldNetwork(N, Float32Array.from(w));
}
