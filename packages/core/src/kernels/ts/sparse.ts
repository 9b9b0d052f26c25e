/** The two sparse-weight products in plain TypeScript: the definition of each kernel, the fallback, and the oracle the wasm kernels are tested against. */

import type { Csr } from "../sparse-pattern.js";

/**
 * Layer forward with a sparse weight matrix: out[m×n] = a[m×k] · Wᵀ (+ bias[n]), where
 * W [n×k] is read only on the pattern (n = rows, k = cols of `csr`):
 *
 *   out[i·n + r] = Σ_{e in row r} a[i·k + columns[e]] · w[r·k + columns[e]]  (+ bias[r])
 *
 * Weights outside the pattern are ignored (they are zero under the layer's mask). Sums are
 * float64 locals rounded once to float32 on store, like ts/matmul.ts. A row without entries
 * gives bias (or 0). Shapes are not checked here; see Kernels.
 *
 * @example one neuron reading input 1 of 2 (mask [0, 1]), w = [0, 3], a = [5, 7], m = 1:
 *   out = [21]
 */
export function sparseMatmulABt(
  a: Float32Array,
  w: Float32Array,
  csr: Csr,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  bias?: Float32Array | null,
): void {
  const { rowStart, columns } = csr;
  const values = new Float32Array(rowStart[n]);
  for (let r = 0; r < n; r++) {
    for (let e = rowStart[r]; e < rowStart[r + 1]; e++) values[e] = w[r * k + columns[e]];
  }
  for (let i = 0; i < m; i++) {
    const aRow = i * k;
    const outRow = i * n;
    for (let r = 0; r < n; r++) {
      let sum = bias ? bias[r] : 0;
      for (let e = rowStart[r]; e < rowStart[r + 1]; e++) sum += a[aRow + columns[e]] * values[e];
      out[outRow + r] = sum;
    }
  }
}

/**
 * Weight gradient on a sparse pattern: for each entry (r, j) of the pattern
 *
 *   out[r·k + j] = Σ_{i<m} d[i·n + r] · b[i·k + j]
 *
 * and out[r·k + j] = 0 for every (r, j) outside it, so a masked optimizer step stays exact.
 * d [m×n] are the per-sample deltas, b [m×k] the inputs. Float64 sums rounded once to
 * float32. m = 0 gives all zeros. Shapes are not checked here; see Kernels.
 *
 * @example one neuron reading input 1 of 2 (mask [0, 1]), m = 2, d = [1, 2], b = [9,3, 9,4]:
 *   out = [0, 11]
 */
export function sparseMatmulAtB(
  d: Float32Array,
  b: Float32Array,
  csr: Csr,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
): void {
  const { rowStart, columns } = csr;
  out.fill(0, 0, n * k);
  const sums = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    const start = rowStart[r];
    const end = rowStart[r + 1];
    if (start === end) continue;
    for (let e = start; e < end; e++) sums[e - start] = 0;
    for (let i = 0; i < m; i++) {
      const delta = d[i * n + r];
      const bRow = i * k;
      for (let e = start; e < end; e++) sums[e - start] += delta * b[bRow + columns[e]];
    }
    for (let e = start; e < end; e++) out[r * k + columns[e]] = sums[e - start];
  }
}
