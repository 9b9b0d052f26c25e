/** The elementwise loops of a layer's training step in plain TypeScript: the fallback path and the oracle the wasm kernels are tested against. */

import type { Rng } from "../../random/rng.js";
import type { ActivationSpec } from "../params.js";
import { applyActivation } from "./activation.js";

/**
 * The activation step of Kernels.activateLayer for the first `cells` elements:
 *
 *   a = A(s) and dA_j = ∂A/∂s_j   (applyActivation: float64, rounded once to float32)
 *   θ = σ(a) = 1/(1 + e^(−a))     (float64 from the float32 a, stored as float32)
 *   samples = +1 if rng.uniform() < θ else −1, one uniform per element in order
 *
 * The comparison uses the float64 θ, before it is rounded. Arrays are [sample × neuron]
 * and may be longer than `cells`. No shape checks (Kernels does them).
 *
 * @example a = [0] gives θ = [0.5]; samples[0] = 1 exactly when the first uniform is below ½.
 */
export function activateLayer(
  activation: ActivationSpec,
  s: readonly Float32Array[],
  a: Float32Array,
  dA: readonly Float32Array[],
  theta: Float32Array,
  samples: Float32Array,
  cells: number,
  rng: Rng,
): void {
  const lead = (v: Float32Array): Float32Array => v.subarray(0, cells);
  applyActivation(activation, s.map(lead), lead(a), dA.map(lead));
  for (let e = 0; e < cells; e++) {
    const t = 1 / (1 + Math.exp(-a[e]));
    theta[e] = t;
    samples[e] = rng.uniform() < t ? 1 : -1;
  }
}

/**
 * The per-source error signal of the local learning rule, Kernels.layerDelta:
 *
 *   delta[i·n + k] = −gradient[k·count + i] · θ·(1 − θ) · dA[i·n + k],   θ = theta[i·n + k]
 *   biasGrad[k]    = Σ_i delta[i·n + k]
 *
 * gradient is ∂G/∂θ from the PID estimator, [neuron × sample] float64 with stride `count`;
 * theta, dA and delta are [sample × neuron] float32. delta is evaluated left to right in
 * float64 and rounded once; biasGrad is summed in float32 in order of i.
 *
 * @example gradient = [2], θ = [0.5], dA = [1] gives delta = [−0.5], biasGrad = [−0.5]
 */
export function layerDelta(
  gradient: Float64Array,
  theta: Float32Array,
  dA: Float32Array,
  delta: Float32Array,
  biasGrad: Float32Array,
  count: number,
  n: number,
): void {
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < n; k++) {
      const e = i * n + k;
      const t = theta[e];
      delta[e] = -gradient[k * count + i] * t * (1 - t) * dA[e];
    }
  }
  biasGrad.fill(0, 0, n);
  for (let i = 0; i < count; i++) for (let k = 0; k < n; k++) biasGrad[k] += delta[i * n + k];
}

/**
 * out[k·count + i] = theta[i·n + k]: θ [sample × neuron] float32 to the estimator's
 * [neuron × sample] float64 (exact).
 *
 * @example theta = [1, 2, 3, 4, 5, 6] (count 2, n 3) gives out = [1, 4, 2, 5, 3, 6]
 */
export function transposeToNeuronMajor(
  theta: Float32Array,
  out: Float64Array,
  count: number,
  n: number,
): void {
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < n; k++) out[k * count + i] = theta[i * n + k];
  }
}
