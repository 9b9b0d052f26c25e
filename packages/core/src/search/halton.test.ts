import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { ScrambledHalton } from "./halton.js";
import { uniformPoint } from "./random.js";

/** How many of the intervals [j/k, (j+1)/k) the first k points leave empty, in dimension d. */
function emptyStrata(points: Float64Array[], d: number, k: number): number {
  const hit = new Set(points.slice(0, k).map((p) => Math.floor(p[d] * k)));
  return k - hit.size;
}

describe("ScrambledHalton", () => {
  const halton = new ScrambledHalton(18, new Rng(4));
  const points = Array.from({ length: 3721 }, (_, i) => halton.point(i));

  it("puts the first p^k points one in each interval of width p^−k, in every dimension", () => {
    // bases 2, 3, 5, …, 61: dimension 0 with 64 = 2^6, 1 with 81 = 3^4, 17 with 61 and 61²
    expect(emptyStrata(points, 0, 64)).toBe(0);
    expect(emptyStrata(points, 1, 81)).toBe(0);
    expect(emptyStrata(points, 2, 125)).toBe(0);
    expect(emptyStrata(points, 17, 61)).toBe(0);
    expect(emptyStrata(points, 17, 3721)).toBe(0);
    // uniform random points leave about k/e of the intervals empty
    const rng = new Rng(4);
    const random = Array.from({ length: 64 }, () => uniformPoint(rng, 1));
    expect(emptyStrata(random, 0, 64)).toBeGreaterThan(10);
  });

  it("breaks the correlation of plain Halton's high dimensions", () => {
    // Plain Halton's dimensions 16 and 17 (bases 59, 61) lie on a few lines for the first
    // ~60 points (correlation ≈ 1); the scrambled ones are nearly uncorrelated.
    const radicalInverse = (i: number, p: number) => {
      let x = 0;
      for (let f = 1 / p; i > 0; i = Math.floor(i / p), f /= p) x += (i % p) * f;
      return x;
    };
    const plain = Array.from({ length: 50 }, (_, i) => [
      radicalInverse(i, 59),
      radicalInverse(i, 61),
    ]);
    const corr = (pts: ArrayLike<number>[], a: number, b: number, n: number) => {
      const xs = pts.slice(0, n).map((p) => p[a]);
      const ys = pts.slice(0, n).map((p) => p[b]);
      const mx = xs.reduce((a, b) => a + b) / n;
      const my = ys.reduce((a, b) => a + b) / n;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < n; i++) {
        sxy += (xs[i] - mx) * (ys[i] - my);
        sxx += (xs[i] - mx) ** 2;
        syy += (ys[i] - my) ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    };
    expect(corr(plain, 0, 1, 50)).toBeGreaterThan(0.9);
    expect(Math.abs(corr(points, 16, 17, 50))).toBeLessThan(0.4);
  });

  it("is a function of the seed: the same seed, the same points; another, others", () => {
    expect(new ScrambledHalton(3, new Rng(4)).point(17)).toEqual(
      new ScrambledHalton(3, new Rng(4)).point(17),
    );
    expect(new ScrambledHalton(3, new Rng(5)).point(17)).not.toEqual(
      new ScrambledHalton(3, new Rng(4)).point(17),
    );
    for (const p of points) for (const x of p) expect(x >= 0 && x < 1).toBe(true);
  });
});
