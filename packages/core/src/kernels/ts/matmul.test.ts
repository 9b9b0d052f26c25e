import { describe, expect, it } from "vitest";
import { Rng } from "../../random/rng.js";
import { matmulABt, matmulAtB } from "./matmul.js";

/** The definition, C(i, j) = Σ_p A(i, p)·B(p, j), written once over accessor functions. */
function definition(
  A: (i: number, p: number) => number,
  B: (p: number, j: number) => number,
  m: number,
  k: number,
  n: number,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A(i, p) * B(p, j);
      out.push(Math.fround(sum));
    }
  }
  return out;
}

function random(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, () => 2 * rng.uniform() - 1);
}

describe("ts/ matmul (the oracle)", () => {
  it("works the 2×3 · (2×3)ᵀ example by hand", () => {
    const out = new Float32Array(4);
    matmulABt(
      Float32Array.of(1, 2, 3, 4, 5, 6),
      Float32Array.of(1, 0, -1, 2, 2, 2),
      out,
      2,
      3,
      2,
      Float32Array.of(0.5, -1),
    );
    // row 0: [1-3, 2+4+6] + bias = [-1.5, 11]; row 1: [4-6, 8+10+12] + bias = [-1.5, 29]
    expect(Array.from(out)).toEqual([-1.5, 11, -1.5, 29]);
  });

  it.each([
    [1, 1, 1],
    [3, 7, 1],
    [7, 3, 33],
    [33, 7, 3],
    [3, 33, 7],
  ])("matches the definition for m=%i k=%i n=%i, and AᵀB = ABt of the transposes", (m, k, n) => {
    const rng = new Rng(m * 100 + k * 10 + n);
    const x = random(rng, m * k); // A = x as m×k
    const w = random(rng, n * k); // B = wᵀ, w is n×k
    const abt = new Float32Array(m * n);
    matmulABt(x, w, abt, m, k, n);
    expect(Array.from(abt)).toEqual(
      definition(
        (i, p) => x[i * k + p],
        (p, j) => w[j * k + p],
        m,
        k,
        n,
      ),
    );

    // the same product through matmulAtB: a = xᵀ (k×m), b = wᵀ (k×n)
    const xt = Float32Array.from({ length: k * m }, (_, e) => x[(e % m) * k + Math.floor(e / m)]);
    const wt = Float32Array.from({ length: k * n }, (_, e) => w[(e % n) * k + Math.floor(e / n)]);
    const atb = new Float32Array(m * n);
    matmulAtB(xt, wt, atb, m, k, n);
    // float64 sums in another order may round to a neighbouring float32: allow one ulp
    atb.forEach((got, e) => {
      expect(Math.abs(got - abt[e]), `AᵀB[${e}]`).toBeLessThanOrEqual(2 ** -23 * Math.abs(abt[e]));
    });
  });
});
