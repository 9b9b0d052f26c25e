import { Rng } from "@infomorph/core";
import { describe, expect, it } from "vitest";
import { paramImportance, spearman } from "./importance.js";

/** n trials uniform in [−1, 1]³ with value f(x) + noise. */
function trials(n: number, f: (p: Record<string, number>) => number, noise: number, seed: number) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const params = { a: 2 * rng.uniform() - 1, b: 2 * rng.uniform() - 1, c: 2 * rng.uniform() - 1 };
    return { params, value: f(params) + noise * rng.normal() };
  });
}

describe("paramImportance", () => {
  it("recovers the variance shares of an additive function (a: 80 %, b: 20 %, c: 0)", () => {
    // Var(2a) = 4/3, Var(b) = 1/3 for uniform [−1, 1]: shares 0.8 and 0.2 without noise.
    const result = paramImportance(
      trials(400, (p) => 2 * p.a + p.b, 0, 1),
      ["a", "b", "c"],
    );
    expect(result.map((r) => r.name)).toEqual(["a", "b", "c"]);
    expect(result[0].share).toBeCloseTo(0.8, 1);
    expect(result[1].share).toBeCloseTo(0.2, 1);
    expect(result[2].share).toBeLessThan(0.02);
    expect(result[0].rankCorrelation).toBeGreaterThan(0.8);
  });

  it("sees a non-monotone effect that a correlation misses, with the right sign otherwise", () => {
    const result = paramImportance(
      trials(300, (p) => p.a ** 2 - 0.5 * p.c, 0.05, 2),
      ["a", "b", "c"],
    );
    const a = result.find((r) => r.name === "a");
    const c = result.find((r) => r.name === "c");
    expect(a?.share).toBeGreaterThan(0.4);
    expect(Math.abs(a?.rankCorrelation ?? 1)).toBeLessThan(0.15);
    expect(c?.rankCorrelation).toBeLessThan(-0.5);
  });

  it("gives parameters without effect shares near 0 on pure noise (the binning bias removed)", () => {
    for (const seed of [3, 4, 5, 6, 7]) {
      const result = paramImportance(
        trials(60, () => 0, 1, seed),
        ["a", "b", "c"],
      );
      for (const r of result) expect(r.share, `seed ${seed} ${r.name}`).toBeLessThan(0.15);
    }
    // Without the adjustment the mean share would be (B − 1)/(n − 1) = 2/59 per parameter.
    const mean = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17].flatMap((seed) =>
      paramImportance(
        trials(60, () => 0, 1, seed),
        ["a", "b", "c"],
      ).map((r) => r.share),
    );
    expect(mean.reduce((s, v) => s + v, 0) / mean.length).toBeLessThan(0.03);
  });

  it("needs 8 trials", () => {
    expect(
      paramImportance(
        trials(7, (p) => p.a, 0, 1),
        ["a"],
      ),
    ).toEqual([]);
  });
});

describe("spearman", () => {
  it("is ±1 for monotone relations, gives ties their mean rank, and 0 for a constant sample", () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 1000])).toBeCloseTo(1, 15);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 15);
    // ranks (1, 2, 3, 4) against (1.5, 1.5, 3, 4): Pearson of the ranks, 0.9486832980505138
    expect(spearman([1, 2, 3, 4], [5, 5, 6, 7])).toBeCloseTo(3 / Math.sqrt(10), 12);
    expect(spearman([1, 2, 3], [2, 2, 2])).toBe(0);
  });
});
