/** Minimum probability flow (Hillar, Sohl-Dickstein & Koepsell 2012): fit a symmetric Hopfield network so that probability flows out of no stored pattern. */

import { InfomorphError } from "../errors.js";
import type { Kernels } from "../kernels/kernels.js";
import { adam } from "../optim/optimizer.js";
import { withDefaults } from "./defaults.js";
import { type HopfieldNetwork, hopfieldNetwork } from "./network.js";

export interface MpfOptions {
  /** Adam learning rate; default 0.05. */
  lr?: number;
  /** Full-batch Adam steps; default 1000. */
  epochs?: number;
}

/** exp() arguments are clipped to this, as in the reference implementation (no overflow). */
const EXP_CLIP = 40;

/** Defaults (lr 0.05, epochs 1000) and checks: lr a positive number, epochs an integer ≥ 1 ("memory/bad-param"). */
export function resolveMpf(options: MpfOptions): Required<MpfOptions> {
  const { lr, epochs } = withDefaults({ lr: 0.05, epochs: 1000 }, options);
  if (!(Number.isFinite(lr) && lr > 0)) {
    throw new InfomorphError({
      code: "memory/bad-param",
      path: ["lr"],
      message: `the MPF learning rate must be a positive number (got ${lr}); try 0.05.`,
    });
  }
  if (!(Number.isInteger(epochs) && epochs >= 1)) {
    throw new InfomorphError({
      code: "memory/bad-param",
      path: ["epochs"],
      message: `MPF epochs must be an integer ≥ 1 (got ${epochs}); try 1000.`,
    });
  }
  return { lr, epochs };
}

/**
 * Minimum probability flow for a Hopfield network with energy E(s) = −½·sᵀJs − bᵀs,
 * symmetric J with zero diagonal, ±1 units. Flipping unit i of a pattern changes the energy
 * by 2ξ_i·h_i (h = Jξ + b), so the MPF objective over single-bit-flip neighbours is
 *
 *   K(J, b) = (1/P) · Σ_μ Σ_i exp(−ξ_i^μ · h_i^μ)
 *
 * convex in (J, b); small K means every pattern is a strict local energy minimum, i.e. a
 * fixed point with margin. Gradient: ∂K/∂J_ij = −(1/P)·Σ_μ (e_i^μ + e_j^μ)·ξ_i^μ ξ_j^μ with
 * e_i^μ = exp(−ξ_i^μ h_i^μ) (J_ij and J_ji are one parameter), ∂K/∂b_i = −(1/P)·Σ_μ e_i^μ ξ_i^μ.
 * Minimised by full-batch Adam from J = 0, b = 0; the diagonal is masked to 0 and symmetry is
 * kept exactly (symmetric gradients, elementwise Adam). exp() arguments are clipped at 40.
 * Float32 parameters, products on the kernels.
 *
 * @example mpf(patterns, P, N, kernels).bias // the learned thresholds
 */
export function mpf(
  patterns: Float32Array,
  count: number,
  neurons: number,
  kernels: Pick<Kernels, "matmulABt" | "matmulAtB">,
  options: MpfOptions = {},
): HopfieldNetwork {
  const { lr, epochs } = resolveMpf(options);
  const N = neurons;
  const P = count;
  const params = new Float32Array(N * N + N);
  const weights = params.subarray(0, N * N);
  const bias = params.subarray(N * N);
  const mask = new Uint8Array(N * N + N).fill(1);
  for (let i = 0; i < N; i++) mask[i * N + i] = 0;
  const optimizer = adam(params.length, { lr });
  const grad = new Float32Array(N * N + N);
  const scratch = mpfScratch(P, N);
  for (let epoch = 0; epoch < epochs; epoch++) {
    mpfObjective(patterns, P, N, weights, bias, kernels, grad, scratch);
    optimizer.step(params, grad, mask);
  }
  return hopfieldNetwork(N, weights.slice(), bias.slice());
}

/** Buffers of mpfObjective, reused across epochs. */
export interface MpfScratch {
  fields: Float32Array;
  flow: Float32Array;
  outer: Float32Array;
}

/** Allocate mpfObjective's buffers for P patterns of N neurons. */
export function mpfScratch(count: number, neurons: number): MpfScratch {
  return {
    fields: new Float32Array(count * neurons),
    flow: new Float32Array(count * neurons),
    outer: new Float32Array(neurons * neurons),
  };
}

/**
 * The MPF objective K(J, b) = (1/P)·Σ_μ Σ_i exp(−ξ_i^μ h_i^μ) (exponents clipped at 40) and
 * its gradient, written into grad: [N × N] for J (with J_ij and J_ji one parameter, so the
 * entries are (∂K/∂J_ij + ∂K/∂J_ji) and symmetric; the diagonal is left for the caller to
 * mask), then [N] for b. Fields in float32 on the kernels, sums in float64.
 *
 * @example mpfObjective(patterns, P, N, J, b, kernels, grad, mpfScratch(P, N)) // K; grad filled
 */
export function mpfObjective(
  patterns: Float32Array,
  count: number,
  neurons: number,
  weights: Float32Array,
  bias: Float32Array,
  kernels: Pick<Kernels, "matmulABt" | "matmulAtB">,
  grad: Float32Array,
  scratch: MpfScratch,
): number {
  const N = neurons;
  const P = count;
  const { fields, flow, outer } = scratch;
  kernels.matmulABt(patterns, weights, fields, P, N, N, bias);
  const biasGrad = new Float64Array(N);
  let objective = 0;
  for (let e = 0; e < P * N; e++) {
    const xi = patterns[e];
    const exp = Math.exp(Math.min(EXP_CLIP, -xi * fields[e]));
    objective += exp;
    flow[e] = exp * xi;
    biasGrad[e % N] -= exp * xi;
  }
  // outer[i][j] = Σ_μ e_i ξ_i ξ_j; ∂K/∂J_ij (J_ij ≡ J_ji) = −(outer_ij + outer_ji)/P
  kernels.matmulAtB(flow, patterns, outer, N, P, N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) grad[i * N + j] = -(outer[i * N + j] + outer[j * N + i]) / P;
    grad[N * N + i] = biasGrad[i] / P;
  }
  return objective / P;
}
