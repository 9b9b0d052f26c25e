/** The estimator's hot loop unrolled for three sources: the 11 multi-collection antichains of every occupied cell. */

import { Log2Buffer } from "./log2.js";

/** Stride of a cell's row in the cell-major gathers: 7 source subsets, padded to 8. */
export const TRIVARIATE_STRIDE = 8;

/**
 * For every occupied joint cell x of a three-source histogram, evaluate the 11
 * antichains with more than one collection ({1}{2}{3}, {1}{2}, {1}{3}, {2}{3}, {1}{23},
 * {2}{13}, {3}{12}, {12}{13}{23}, {12}{13}, {12}{23}, {13}{23}, in lattice order):
 *
 *   P_α(x,t) by inclusion–exclusion over the marginals p_M(x_M,t),
 *   ℓ_α(x,t) = log2(P_α(x,t)/P_α(x)) − log2 p(t),   I_α += Σ_t q(x,t)·ℓ_α(x,t),
 *   g(x) += Σ_α c_α·(ℓ_α(x,1) − ℓ_α(x,0)),
 *   v_M(x,t) = Σ_α c_α·coef_α(M)·q(x,t)/P_α(x,t)   (the merged adjoint, before marginalising)
 *
 * This is the generic loop of samples.ts with the inclusion–exclusion terms written out,
 * so every value stays in registers. Rows of gathers and adjoints are laid out
 * [cell][subset slot] with stride 8; slots are bitmask − 1: {1},{2},{12},{3},{13},{23},{123}.
 * Float64. Cells with q(x,t) = 0 contribute nothing.
 */
export function trivariateCells(
  cellCount: number,
  q1: Float64Array,
  q0: Float64Array,
  g1: Float64Array,
  g0: Float64Array,
  weights: Float64Array,
  logT1: number,
  logT0: number,
  info: Float64Array,
  cellGradient: Float64Array,
  v1: Float64Array,
  v0: Float64Array,
  scratch: TrivariateScratch,
): void {
  const { P1, P0, W1, W0, logs } = scratch;
  const ratio = logs.values;
  // Pass 1: the union probabilities of every cell, and the ratios whose logs we need:
  // only log2(P1/P) and log2(P0/P), since P(𝔴_α) = P1 + P0.
  for (let j = 0; j < cellCount; j++) {
    const r = j * TRIVARIATE_STRIDE;
    const row = j * 11;
    fillUnions(g1, r, P1, row);
    fillUnions(g0, r, P0, row);
    const c1 = q1[j];
    const c0 = q0[j];
    for (let a = row; a < row + 11; a++) {
      // One division for the three quotients: with R = 1/(x1·x0·(x1+x0)),
      // x1/(x1+x0) = x1²x0·R, 1/x1 = x0(x1+x0)·R, and likewise for x0.
      // (P_t ≥ q_t > 0 when both q_t > 0; otherwise divide separately.)
      const x1 = P1[a];
      const x0 = P0[a];
      const sum = x1 + x0;
      if (c1 > 0 && c0 > 0) {
        const R = 1 / (x1 * x0 * sum);
        ratio[2 * a] = x1 * x1 * x0 * R;
        ratio[2 * a + 1] = x0 * x1 * x0 * R;
        P1[a] = x0 * sum * R; // now 1/P1
        P0[a] = x1 * sum * R; // now 1/P0
      } else {
        ratio[2 * a] = c1 > 0 ? x1 / sum : 1;
        ratio[2 * a + 1] = c0 > 0 ? x0 / sum : 1;
        P1[a] = c1 > 0 ? 1 / x1 : 0;
        P0[a] = c0 > 0 ? 1 / x0 : 0;
      }
    }
  }
  // Pass 2: all logarithms at once.
  logs.apply(cellCount * 22);
  // Pass 3: information, the ℓ part of the gradient, and the merged adjoint.
  info.fill(0, 0, 11);
  for (let j = 0; j < cellCount; j++) {
    const row = j * 11;
    const c1 = q1[j];
    const c0 = q0[j];
    let gl = 0;
    for (let a = 0; a < 11; a++) {
      const l1 = c1 > 0 ? ratio[2 * (row + a)] - logT1 : 0;
      const l0 = c0 > 0 ? ratio[2 * (row + a) + 1] - logT0 : 0;
      info[a] += c1 * l1 + c0 * l0;
      const weight = weights[a];
      gl += weight * (l1 - l0);
      W1[a] = c1 > 0 ? weight * c1 * P1[row + a] : 0;
      W0[a] = c0 > 0 ? weight * c0 * P0[row + a] : 0;
    }
    cellGradient[j] = gl;
    const r = j * TRIVARIATE_STRIDE;
    scatterAdjoint(W1, v1, r);
    scatterAdjoint(W0, v0, r);
  }
}

/** Reusable per-cell scratch of the trivariate kernel. */
export interface TrivariateScratch {
  readonly P1: Float64Array;
  readonly P0: Float64Array;
  readonly W1: Float64Array;
  readonly W0: Float64Array;
  readonly logs: Log2Buffer;
}

/** Scratch for up to `cells` occupied cells (at most the batch size). */
export function trivariateScratch(cells: number): TrivariateScratch {
  return {
    P1: new Float64Array(cells * 11),
    P0: new Float64Array(cells * 11),
    W1: new Float64Array(11),
    W0: new Float64Array(11),
    logs: new Log2Buffer(cells * 22),
  };
}

/** P_α for the 11 multi-collection antichains from the 7 marginals of one cell. */
function fillUnions(g: Float64Array, r: number, P: Float64Array, at: number): void {
  const x1 = g[r];
  const x2 = g[r + 1];
  const x12 = g[r + 2];
  const x3 = g[r + 3];
  const x13 = g[r + 4];
  const x23 = g[r + 5];
  const x123 = g[r + 6];
  P[at + 0] = x1 + x2 + x3 - x12 - x13 - x23 + x123; // {1}{2}{3}
  P[at + 1] = x1 + x2 - x12; // {1}{2}
  P[at + 2] = x1 + x3 - x13; // {1}{3}
  P[at + 3] = x2 + x3 - x23; // {2}{3}
  P[at + 4] = x1 + x23 - x123; // {1}{23}
  P[at + 5] = x2 + x13 - x123; // {2}{13}
  P[at + 6] = x3 + x12 - x123; // {3}{12}
  P[at + 7] = x12 + x13 + x23 - 2 * x123; // {12}{13}{23}
  P[at + 8] = x12 + x13 - x123; // {12}{13}
  P[at + 9] = x12 + x23 - x123; // {12}{23}
  P[at + 10] = x13 + x23 - x123; // {13}{23}
}

/** v_M = Σ_α coef_α(M)·W_α: the transpose of fillUnions. */
function scatterAdjoint(W: Float64Array, v: Float64Array, r: number): void {
  v[r] = W[0] + W[1] + W[2] + W[4]; // {1}
  v[r + 1] = W[0] + W[1] + W[3] + W[5]; // {2}
  v[r + 2] = -W[0] - W[1] + W[6] + W[7] + W[8] + W[9]; // {12}
  v[r + 3] = W[0] + W[2] + W[3] + W[6]; // {3}
  v[r + 4] = -W[0] - W[2] + W[5] + W[7] + W[8] + W[10]; // {13}
  v[r + 5] = -W[0] - W[3] + W[4] + W[7] + W[9] + W[10]; // {23}
  v[r + 6] = W[0] - W[4] - W[5] - W[6] - 2 * W[7] - W[8] - W[9] - W[10]; // {123}
}
