import { describe, expect, it } from "vitest";
import { tsKernels } from "../kernels/kernels.js";
import { Rng } from "../random/rng.js";
import { mpf, mpfObjective, mpfScratch } from "./mpf.js";
import { randomPatterns } from "./patterns.js";
import { recall, scoreRecall } from "./recall.js";

const kernels = tsKernels();

/** K(J, b) = (1/P) Σ_μ Σ_i exp(−ξ_i h_i) in float64, straight from the definition. */
function objective(patterns: Float32Array, P: number, N: number, J: Float64Array, b: Float64Array) {
  let sum = 0;
  for (let mu = 0; mu < P; mu++) {
    for (let i = 0; i < N; i++) {
      let h = b[i];
      for (let j = 0; j < N; j++) h += J[i * N + j] * patterns[mu * N + j];
      sum += Math.exp(-patterns[mu * N + i] * h);
    }
  }
  return sum / P;
}

describe("mpfObjective", () => {
  it("gives K and its gradient, checked against central differences (J_ij ≡ J_ji one parameter)", () => {
    const N = 7;
    const P = 5;
    const rng = new Rng(11);
    const patterns = randomPatterns(P, N, rng);
    const J = new Float64Array(N * N);
    for (let i = 0; i < N; i++) {
      for (let j = i + 1; j < N; j++) {
        J[i * N + j] = 0.4 * (2 * rng.uniform() - 1);
        J[j * N + i] = J[i * N + j];
      }
    }
    const b = Float64Array.from({ length: N }, () => 0.3 * (2 * rng.uniform() - 1));
    const grad = new Float32Array(N * N + N);
    const K = mpfObjective(
      patterns,
      P,
      N,
      Float32Array.from(J),
      Float32Array.from(b),
      kernels,
      grad,
      mpfScratch(P, N),
    );
    expect(K).toBeCloseTo(objective(patterns, P, N, J, b), 5);
    const h = 1e-5;
    for (const [i, j] of [
      [0, 1],
      [2, 5],
      [6, 3],
    ]) {
      const plus = J.slice();
      const minus = J.slice();
      for (const [a, c] of [
        [i, j],
        [j, i],
      ]) {
        plus[a * N + c] += h;
        minus[a * N + c] -= h;
      }
      const fd =
        (objective(patterns, P, N, plus, b) - objective(patterns, P, N, minus, b)) / (2 * h);
      expect(grad[i * N + j], `J[${i}][${j}]`).toBeCloseTo(fd, 4);
      expect(grad[j * N + i]).toBe(grad[i * N + j]);
    }
    for (const i of [0, 4]) {
      const plus = b.slice();
      const minus = b.slice();
      plus[i] += h;
      minus[i] -= h;
      const fd =
        (objective(patterns, P, N, J, plus) - objective(patterns, P, N, J, minus)) / (2 * h);
      expect(grad[N * N + i], `b[${i}]`).toBeCloseTo(fd, 4);
    }
  });
});

describe("mpf", () => {
  it("learns a symmetric zero-diagonal network that stores α = 0.5 with thresholds", () => {
    const N = 50;
    const P = 25;
    const patterns = randomPatterns(P, N, new Rng(4));
    const net = mpf(patterns, P, N, kernels, { epochs: 300 });
    for (let i = 0; i < N; i++) {
      expect(net.weights[i * N + i]).toBe(0);
      for (let j = 0; j < i; j++) expect(net.weights[i * N + j]).toBe(net.weights[j * N + i]);
    }
    expect(net.bias).not.toBeNull();
    expect(scoreRecall(recall(net, patterns, patterns, P, kernels)).storedFraction).toBe(1);
  });

  it("rejects a bad learning rate or epoch count", () => {
    const patterns = randomPatterns(2, 4, new Rng(1));
    expect(() => mpf(patterns, 2, 4, kernels, { lr: -1 })).toThrow(
      "the MPF learning rate must be a positive number (got -1); try 0.05.",
    );
    expect(() => mpf(patterns, 2, 4, kernels, { epochs: 0 })).toThrow(
      "MPF epochs must be an integer ≥ 1 (got 0); try 1000.",
    );
  });
});
