import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { symmetricEigen } from "./eigen.js";

function randomSymmetric(n: number, rng: Rng, spread = 1): Float64Array {
  // Q·diag(λ)·Qᵀ with λ over `spread` decades, Q from Gram–Schmidt of a random matrix
  const q = Float64Array.from({ length: n * n }, () => rng.normal());
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[i * n + k] * q[i * n + j];
      for (let i = 0; i < n; i++) q[i * n + k] -= dot * q[i * n + j];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * n + k] ** 2;
    for (let i = 0; i < n; i++) q[i * n + k] /= Math.sqrt(norm);
  }
  const lambda = Array.from(
    { length: n },
    (_, i) => 10 ** ((spread * i) / Math.max(1, n - 1)) * (i % 3 === 0 ? -1 : 1),
  );
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] * lambda[k] * q[j * n + k];
      a[i * n + j] = s;
    }
  }
  return a;
}

describe("symmetricEigen", () => {
  it("solves 2×2 and diagonal matrices exactly", () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect([...values]).toEqual([1, 3].map((v) => expect.closeTo(v, 14)));
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0] * vectors[2] + vectors[1] * vectors[3]).toBeCloseTo(0, 14);
    const diag = symmetricEigen([5, 0, 0, 0, -1, 0, 0, 0, 2], 3);
    expect([...diag.values]).toEqual([-1, 2, 5]);
  });

  it.each([1, 3, 7, 18, 50])(
    "n = %i: A·v = λ·v and VᵀV = I to 1e-12, eigenvalues over 6 decades",
    (n) => {
      const a = randomSymmetric(n, new Rng(n), 6);
      const { values, vectors } = symmetricEigen(a, n);
      let scale = 0;
      for (const x of a) scale = Math.max(scale, Math.abs(x));
      for (let k = 0; k < n; k++) {
        if (k > 0) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
        for (let i = 0; i < n; i++) {
          let av = 0;
          for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[j * n + k];
          expect(Math.abs(av - values[k] * vectors[i * n + k])).toBeLessThan(1e-12 * scale);
        }
        for (let l = 0; l < n; l++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += vectors[i * n + k] * vectors[i * n + l];
          expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
    },
  );

  it("rejects a matrix of the wrong size or with non-finite entries", () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(
      "symmetricEigen needs an n×n matrix as n² numbers (got 3 numbers for n = 2).",
    );
    expect(() => symmetricEigen([1, Number.NaN, 0, 1], 2)).toThrow(
      "the matrix has a non-finite entry at (0, 1): NaN.",
    );
  });
});
