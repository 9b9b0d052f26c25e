import { describe, expect, it } from "vitest";
import { tsKernels } from "../kernels/kernels.js";
import { Rng } from "../random/rng.js";
import { randomPatterns } from "./patterns.js";
import { pseudoInverse } from "./pseudo-inverse.js";
import { recall, scoreRecall } from "./recall.js";

const kernels = tsKernels();

describe("pseudoInverse", () => {
  it("stores N − 1 patterns as fixed points, each bit with field ξ_i·(1 − W⁰_ii) > 0", () => {
    const N = 60;
    const P = N - 1;
    const patterns = randomPatterns(P, N, new Rng(1));
    const net = pseudoInverse(patterns, P, N);
    const score = scoreRecall(recall(net, patterns, patterns, P, kernels));
    expect(score.storedFraction).toBe(1);
    expect(score.fixedPointFraction).toBe(1);
    // the projector is symmetric with trace = rank = P; its diagonal was removed
    let offDiagonalAsymmetry = 0;
    for (let i = 0; i < N; i++) {
      expect(net.weights[i * N + i]).toBe(0);
      for (let j = 0; j < N; j++) {
        offDiagonalAsymmetry = Math.max(
          offDiagonalAsymmetry,
          Math.abs(net.weights[i * N + j] - net.weights[j * N + i]),
        );
      }
    }
    expect(offDiagonalAsymmetry).toBeLessThan(1e-6);
  });

  it("leaves nothing once the patterns span ℝᴺ (P = N): the zero-diagonal projector is 0", () => {
    const N = 30;
    const patterns = randomPatterns(N, N, new Rng(2));
    const net = pseudoInverse(patterns, N, N);
    expect(Math.max(...net.weights.map(Math.abs))).toBeLessThan(1e-6);
  });

  it("handles linearly dependent patterns (a repeat and a negation)", () => {
    const N = 20;
    const base = randomPatterns(3, N, new Rng(3));
    const patterns = new Float32Array(5 * N);
    patterns.set(base);
    patterns.set(base.subarray(0, N), 3 * N);
    patterns.set(
      base.subarray(N, 2 * N).map((x) => -x),
      4 * N,
    );
    const score = scoreRecall(
      recall(pseudoInverse(patterns, 5, N), patterns, patterns, 5, kernels),
    );
    expect(score.storedFraction).toBe(1);
  });
});
