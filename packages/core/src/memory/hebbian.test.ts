import { describe, expect, it } from "vitest";
import { tsKernels } from "../kernels/kernels.js";
import { Rng } from "../random/rng.js";
import { hebbian } from "./hebbian.js";
import { randomPatterns } from "./patterns.js";
import { recall, scoreRecall } from "./recall.js";

const kernels = tsKernels();

function storage(N: number, P: number, seed: number) {
  const patterns = randomPatterns(P, N, new Rng(seed));
  return scoreRecall(recall(hebbian(patterns, P, N, kernels), patterns, patterns, P, kernels));
}

describe("hebbian", () => {
  it("is the outer-product sum / N with a zero diagonal", () => {
    const N = 6;
    const P = 3;
    const patterns = randomPatterns(P, N, new Rng(1));
    const { weights, bias } = hebbian(patterns, P, N, kernels);
    expect(bias).toBeNull();
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        let sum = 0;
        for (let mu = 0; mu < P; mu++) sum += patterns[mu * N + i] * patterns[mu * N + j];
        expect(weights[i * N + j], `W[${i}][${j}]`).toBeCloseTo(i === j ? 0 : sum / N, 7);
      }
    }
  });

  it("stores a few patterns (α = 0.05) and fails far above 0.14 (α = 0.4), at N = 200", () => {
    for (const seed of [1, 2, 3]) {
      const few = storage(200, 10, seed);
      expect(few.storedFraction, `seed ${seed}`).toBe(1);
      expect(few.fixedPointFraction).toBe(1);
      const many = storage(200, 80, seed);
      expect(many.storedFraction, `seed ${seed}`).toBeLessThan(0.05);
      expect(many.meanCosine).toBeLessThan(0.6);
    }
  });
});
