/** Eigendecomposition of a symmetric matrix by the cyclic Jacobi method: what CMA-ES needs to sample from N(0, C) and to apply C^(−1/2). */

import { InfomorphError } from "../errors.js";

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  readonly values: Float64Array;
  /** Eigenvectors as columns, row-major n×n: vectors[i·n + k] is component i of eigenvector k. */
  readonly vectors: Float64Array;
}

/**
 * Eigenvalues and orthonormal eigenvectors of a symmetric n×n matrix (row-major; only
 * its upper triangle is read). Cyclic Jacobi rotations (Golub & Van Loan, §8.5) until every
 * off-diagonal element is below 1e-15 of the matrix's scale (Frobenius norm): A = V·diag(λ)·Vᵀ
 * to ~1e-14 relative, V orthonormal to ~1e-15. O(n³) per sweep, typically 6–10 sweeps: fine
 * for the ≤ 50 dimensions of a goal search (18 for the papers' trivariate space).
 *
 * @example symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values // [1, 3]
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 1 || matrix.length !== n * n) {
    throw new InfomorphError({
      code: "search/bad-matrix",
      path: ["matrix"],
      message: `symmetricEigen needs an n×n matrix as n² numbers (got ${matrix.length} numbers for n = ${n}).`,
    });
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = matrix[i * n + j];
      if (!Number.isFinite(v)) {
        throw new InfomorphError({
          code: "search/bad-matrix",
          path: ["matrix", i, j],
          message: `the matrix has a non-finite entry at (${i}, ${j}): ${v}.`,
        });
      }
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i] * a[i];
  const tolerance = 1e-15 * Math.sqrt(scale);

  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) off = Math.max(off, Math.abs(a[p * n + q]));
    if (off <= tolerance) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) <= tolerance * 1e-3) continue;
        // The rotation that zeroes a_pq: tan θ = t, the smaller root of t² + 2τt − 1 = 0.
        const tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // columns p and q of A
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          // rows p and q of A
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  // Sort ascending, moving the eigenvector columns along.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i] - a[j * n + j]);
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors[k * n + to] = v[k * n + from];
  });
  return { values, vectors };
}
