import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { corruptCues, randomPatterns } from "./patterns.js";

describe("randomPatterns", () => {
  it("draws unbiased ±1 bits, the same for the same seed", () => {
    const a = randomPatterns(200, 100, new Rng(3));
    expect(a.every((x) => x === 1 || x === -1)).toBe(true);
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    // 20 000 fair ±1 bits: the mean has sd 1/√20000 ≈ 0.007
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(randomPatterns(200, 100, new Rng(3))).toEqual(a);
    expect(randomPatterns(200, 100, new Rng(4))).not.toEqual(a);
  });

  it("rejects fewer than 2 neurons and no patterns", () => {
    expect(() => randomPatterns(3, 1, new Rng(1))).toThrow(
      "an associative memory needs an integer number of neurons ≥ 2 (got 1); the paper uses 100.",
    );
    expect(() => randomPatterns(0, 10, new Rng(1))).toThrow(
      "the number of patterns must be an integer ≥ 1 (got 0); choose a load α > 0 with α · neurons ≥ 1.",
    );
  });
});

describe("corruptCues", () => {
  const N = 100;
  const P = 50;
  const patterns = randomPatterns(P, N, new Rng(1));

  it.each([
    [0.05, 5],
    [0.1, 10],
    [0.2, 20],
    [0.333, 33],
  ])("fraction %f flips exactly %i bits of every pattern", (fraction, flips) => {
    const cues = corruptCues(patterns, P, N, fraction, new Rng(2));
    for (let p = 0; p < P; p++) {
      let differ = 0;
      for (let i = 0; i < N; i++) if (cues[p * N + i] !== patterns[p * N + i]) differ += 1;
      expect(differ, `pattern ${p}`).toBe(flips);
    }
  });

  it("flips different positions in different patterns, and none for fraction 0", () => {
    const cues = corruptCues(patterns, P, N, 0.1, new Rng(2));
    const flipped = (p: number) =>
      [...Array(N).keys()].filter((i) => cues[p * N + i] !== patterns[p * N + i]).join(",");
    expect(flipped(0)).not.toBe(flipped(1));
    expect(corruptCues(patterns, P, N, 0, new Rng(2))).toEqual(patterns);
  });

  it("rejects a fraction outside [0, 1] and a wrong shape", () => {
    expect(() => corruptCues(patterns, P, N, 1.5, new Rng(1))).toThrow(
      "a cue-noise fraction must be a number from 0 to 1 (got 1.5); 0.1 flips 10 % of the bits.",
    );
    expect(() => corruptCues(patterns, P, N + 1, 0.1, new Rng(1))).toThrow(
      "patterns has 5000 values, expected count × neurons = 50 × 101 = 5050.",
    );
  });
});
