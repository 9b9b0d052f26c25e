/** The batched activations in plain TypeScript: A(s) and ∂A/∂s_j of every element of a layer, from an ActivationSpec; the fallback path and the oracle of the wasm activation kernels. */

import type { ActivationSpec } from "../params.js";

/**
 * The logistic function, evaluated without overflow:
 *
 *   σ(x) = 1 / (1 + e^(−x))   for x ≥ 0,   e^x / (1 + e^x)   for x < 0
 *
 * Units: dimensionless, in [0, 1]. Precision: float64, a few ulp everywhere; the exponential
 * only ever sees −|x|, so there is no overflow for |x| > 700: σ(800) = 1, σ(−800) = 0,
 * and σ(−40) keeps full relative precision. σ(NaN) = NaN.
 *
 * @example sigmoid(0) // 0.5
 * @example sigmoid(-800) // 0
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * For every element e < a.length: a[e] = A(s[0][e], s[1][e], …) and, when dA is given,
 * dA[j][e] = ∂A/∂s_j. Each element is computed in float64 and rounded once to float32; the
 * formulas are those of `spec` (see ActivationSpec and neuron/activation.ts, whose scalar
 * value() and partials() use the same expressions). No shape checks: one s and one dA array
 * per source, each at least a.length long (Activation.apply checks them).
 *
 * @example applyActivation({ kind: "identity" }, [Float32Array.of(2)], a, null) // a = [2]
 */
export function applyActivation(
  spec: ActivationSpec,
  s: readonly Float32Array[],
  a: Float32Array,
  dA: readonly Float32Array[] | null,
): void {
  switch (spec.kind) {
    case "modulated":
      applyModulated(spec.c0, spec.alpha, spec.beta, s, a, dA);
      break;
    case "kay-phillips":
      applyKayPhillips(spec.k1, spec.k2, s, a, dA);
      break;
    case "identity":
      a.set(s[0].subarray(0, a.length));
      if (dA !== null) dA[0].fill(1, 0, a.length);
      break;
    case "heaviside":
      applyHeaviside(s, a, dA);
      break;
  }
}

/**
 * A = F·[c0 + Σ_j α_j·σ(u_j)], u_j = β_j·F·s_j;
 * ∂A/∂F = c0 + Σ_j α_j·[σ(u_j) + u_j·σ'(u_j)], ∂A/∂s_j = α_j·β_j·F²·σ'(u_j), σ' = σ(u)·σ(−u).
 */
function applyModulated(
  c0: number,
  alpha: readonly number[],
  beta: readonly number[],
  s: readonly Float32Array[],
  a: Float32Array,
  dA: readonly Float32Array[] | null,
): void {
  const n = alpha.length;
  const fs = s[0];
  for (let i = 0; i < a.length; i++) {
    const f = fs[i];
    let factor = c0;
    let dF = c0;
    for (let j = 0; j < n; j++) {
      const u = beta[j] * f * s[j + 1][i];
      const e = Math.exp(-Math.abs(u));
      const d = 1 + e;
      const sig = u >= 0 ? 1 / d : e / d;
      factor += alpha[j] * sig;
      if (dA !== null) {
        const slope = e / (d * d);
        dF += alpha[j] * (sig + (slope === 0 ? 0 : u * slope));
        dA[j + 1][i] = alpha[j] * beta[j] * f * f * slope;
      }
    }
    a[i] = f * factor;
    if (dA !== null) dA[0][i] = dF;
  }
}

/**
 * A = r·[k1 + (1−k1)·e^u], u = k2·r·c; ∂A/∂r = k1 + (1−k1)·e^u·(1 + u), ∂A/∂c = (1−k1)·k2·r²·e^u.
 * (1−k1)·e^u is written so that k1 = 1 gives 0 even where e^u overflows.
 */
function applyKayPhillips(
  k1: number,
  k2: number,
  s: readonly Float32Array[],
  a: Float32Array,
  dA: readonly Float32Array[] | null,
): void {
  const gain = 1 - k1;
  const [rs, cs] = s;
  for (let e = 0; e < a.length; e++) {
    const r = rs[e];
    const u = k2 * r * cs[e];
    const g = gain === 0 ? 0 : gain * Math.exp(u);
    a[e] = r * (k1 + g);
    if (dA !== null) {
      dA[0][e] = g === 0 ? k1 : k1 + g * (1 + u);
      dA[1][e] = g === 0 ? 0 : g * k2 * r * r;
    }
  }
}

/** A = H(F) (H(0) = 0), surrogate ∂A/∂F = σ(F)·(1 − σ(F)). */
function applyHeaviside(
  s: readonly Float32Array[],
  a: Float32Array,
  dA: readonly Float32Array[] | null,
): void {
  const f = s[0];
  for (let e = 0; e < a.length; e++) {
    a[e] = f[e] > 0 ? 1 : 0;
    if (dA !== null) {
      const t = sigmoid(f[e]);
      dA[0][e] = t * (1 - t);
    }
  }
}
