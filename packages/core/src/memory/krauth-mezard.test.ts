import { describe, expect, it } from "vitest";
import { tsKernels } from "../kernels/kernels.js";
import { Rng } from "../random/rng.js";
import { krauthMezard } from "./krauth-mezard.js";
import { randomPatterns } from "./patterns.js";
import { recall, scoreRecall } from "./recall.js";

const kernels = tsKernels();

describe("krauthMezard", () => {
  it("makes every bit of every pattern stable with the margin, beyond Hebbian and pseudo-inverse loads (α = 1.2)", () => {
    const N = 60;
    const P = 72;
    const patterns = randomPatterns(P, N, new Rng(1));
    const net = krauthMezard(patterns, P, N, { margin: 1, maxSweeps: 200 });
    let worst = Number.POSITIVE_INFINITY;
    for (let mu = 0; mu < P; mu++) {
      for (let i = 0; i < N; i++) {
        let h = 0;
        for (let j = 0; j < N; j++) h += net.weights[i * N + j] * patterns[mu * N + j];
        worst = Math.min(worst, patterns[mu * N + i] * h);
      }
    }
    expect(worst).toBeGreaterThanOrEqual(1 - 1e-5);
    for (let i = 0; i < N; i++) expect(net.weights[i * N + i]).toBe(0);
    expect(scoreRecall(recall(net, patterns, patterns, P, kernels)).storedFraction).toBe(1);
  });

  it("rejects a margin ≤ 0 and a bad budget", () => {
    const patterns = randomPatterns(2, 4, new Rng(1));
    expect(() => krauthMezard(patterns, 2, 4, { margin: 0 })).toThrow(
      "the Krauth–Mézard margin must be a positive number (got 0); try 1.",
    );
    expect(() => krauthMezard(patterns, 2, 4, { maxSweeps: 0.5 })).toThrow(
      "maxSweeps must be an integer ≥ 1 (got 0.5); try 100.",
    );
  });
});
