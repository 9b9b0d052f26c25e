import { describe, expect, it } from "vitest";
import { type ScanPoint, capacities, storageCurves } from "./capacity.js";

function point(
  rule: string,
  seed: number,
  patterns: number,
  meanCosine: number,
  stored: number,
): ScanPoint {
  return {
    rule,
    seed,
    neurons: 100,
    patterns,
    recall: { meanCosine, storedFraction: stored, fixedPointFraction: stored },
    cues: [
      { noise: 0.1, meanCosine: meanCosine / 2, storedFraction: stored / 2, fixedPointFraction: 0 },
    ],
  };
}

describe("capacities", () => {
  const results = [
    // seed 1: stored up to 30, fails at 40, a lucky success at 50 does not count
    point("a", 1, 20, 1, 1),
    point("a", 1, 40, 0.9, 0.5),
    point("a", 1, 30, 0.96, 0.9),
    point("a", 1, 50, 0.97, 0.97),
    // seed 2: stored up to 40
    point("a", 2, 20, 1, 1),
    point("a", 2, 30, 1, 1),
    point("a", 2, 40, 0.95, 0.95),
    point("a", 2, 50, 0.5, 0),
    // rule b fails at its first load and never fails at the other seed
    point("b", 1, 20, 0.2, 0),
    point("b", 2, 20, 1, 1),
  ];

  it("takes the last stored load before the first failure, per seed, with mean, sd, min and max", () => {
    const [a, b] = capacities(results, "mean-cosine", 0.95);
    expect(a.seeds).toEqual([
      { seed: 1, alphaC: 0.3, firstFailure: 0.4 },
      { seed: 2, alphaC: 0.4, firstFailure: 0.5 },
    ]);
    expect(a.mean).toBeCloseTo(0.35, 12);
    expect(a.sd).toBeCloseTo(Math.sqrt(0.005), 12);
    expect([a.min, a.max, a.lowerBound]).toEqual([0.3, 0.4, false]);
    expect(b.seeds).toEqual([
      { seed: 1, alphaC: 0, firstFailure: 0.2 },
      { seed: 2, alphaC: 0.2, firstFailure: null },
    ]);
    expect(b.lowerBound).toBe(true);
  });

  it("is stricter with the stored-fraction criterion", () => {
    const [a] = capacities(results, "stored-fraction", 0.95);
    expect(a.seeds.map((s) => s.alphaC)).toEqual([0.2, 0.4]);
  });
});

describe("storageCurves", () => {
  it("averages each rule's scores per load over seeds", () => {
    const curves = storageCurves([
      point("a", 1, 20, 1, 1),
      point("a", 2, 20, 0.9, 0.5),
      point("b", 1, 10, 0.5, 0),
    ]);
    expect(curves.map((c) => [c.rule, c.load, c.seeds])).toEqual([
      ["a", 0.2, 2],
      ["b", 0.1, 1],
    ]);
    expect(curves[0].storedFraction).toBe(0.75);
    expect(curves[0].storedFractionSd).toBeCloseTo(Math.sqrt(0.125), 12);
    expect(curves[0].meanCosine).toBeCloseTo(0.95, 12);
    expect(curves[0].cues).toEqual([{ noise: 0.1, storedFraction: 0.375, meanCosine: 0.475 }]);
  });
});
