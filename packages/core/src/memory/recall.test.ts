import { describe, expect, it } from "vitest";
import { tsKernels } from "../kernels/kernels.js";
import { Rng } from "../random/rng.js";
import { hebbian } from "./hebbian.js";
import { hopfieldNetwork } from "./network.js";
import { randomPatterns } from "./patterns.js";
import { RECALL_OUTCOMES, recall, scoreRecall } from "./recall.js";

const kernels = tsKernels();

describe("recall", () => {
  it("stops at once on a stored pattern: a fixed point after 0 updates, cosine 1", () => {
    const N = 40;
    const patterns = randomPatterns(1, N, new Rng(1));
    const result = recall(hebbian(patterns, 1, N, kernels), patterns, patterns, 1, kernels);
    expect(RECALL_OUTCOMES[result.outcome[0]]).toBe("fixed-point");
    expect(result.steps[0]).toBe(0);
    expect(result.cosine[0]).toBe(1);
  });

  it("walks a corrupted cue back to the pattern and scores the end state", () => {
    const N = 40;
    const pattern = randomPatterns(1, N, new Rng(1));
    const cue = pattern.slice();
    for (let i = 0; i < 8; i++) cue[i] *= -1;
    const result = recall(hebbian(pattern, 1, N, kernels), cue, pattern, 1, kernels);
    expect(result.states).toEqual(pattern);
    expect(result.steps[0]).toBe(1);
    expect(RECALL_OUTCOMES[result.outcome[0]]).toBe("fixed-point");
    // scored against another target, the same end state gives the overlap / N
    const other = pattern.map((x, i) => (i < 10 ? -x : x));
    expect(recall(hebbian(pattern, 1, N, kernels), cue, other, 1, kernels).cosine[0]).toBe(
      (N - 20) / N,
    );
  });

  it("detects a two-cycle of synchronous updates", () => {
    // two mutually inhibiting neurons flip together forever: (1,1) → (−1,−1) → (1,1)
    const net = hopfieldNetwork(2, Float32Array.of(0, -1, -1, 0));
    const cue = Float32Array.of(1, 1);
    const result = recall(net, cue, cue, 1, kernels);
    expect(RECALL_OUTCOMES[result.outcome[0]]).toBe("two-cycle");
    expect(result.steps[0]).toBe(2);
    expect([...result.states]).toEqual([1, 1]);
  });

  it("stops at the step limit, and keeps a unit's state where its field is exactly 0", () => {
    const N = 40;
    const pattern = randomPatterns(1, N, new Rng(5));
    const cue = pattern.map((x) => -x);
    const anti = recall(hebbian(pattern, 1, N, kernels), cue, pattern, 1, kernels);
    // −ξ is itself a fixed point of the Hebbian network: cosine −1
    expect(anti.cosine[0]).toBe(-1);
    const limited = recall(
      hopfieldNetwork(2, Float32Array.of(0, -1, -1, 0)),
      Float32Array.of(1, 1),
      Float32Array.of(1, 1),
      1,
      kernels,
      { maxSteps: 1 },
    );
    expect(RECALL_OUTCOMES[limited.outcome[0]]).toBe("step-limit");
    const empty = hopfieldNetwork(3, new Float32Array(9));
    const same = recall(empty, Float32Array.of(1, -1, 1), Float32Array.of(1, -1, 1), 1, kernels);
    expect(RECALL_OUTCOMES[same.outcome[0]]).toBe("fixed-point");
    expect([...same.states]).toEqual([1, -1, 1]);
  });

  it("rejects wrong shapes and step limits", () => {
    const net = hopfieldNetwork(2, new Float32Array(4));
    expect(() => recall(net, new Float32Array(3), new Float32Array(4), 2, kernels)).toThrow(
      "cues has 3 values, expected 2 × 2 = 4.",
    );
    expect(() =>
      recall(net, new Float32Array(2), new Float32Array(2), 1, kernels, { maxSteps: 0 }),
    ).toThrow("maxSteps must be an integer ≥ 1 (got 0); the reference uses N.");
  });
});

describe("scoreRecall", () => {
  it("averages cosines and counts those ≥ the threshold and the fixed points", () => {
    const score = scoreRecall(
      {
        states: new Float32Array(0),
        cosine: Float64Array.of(1, 0.96, 0.95, 0.2),
        steps: new Int32Array(4),
        outcome: Uint8Array.of(0, 0, 1, 2),
      },
      0.95,
    );
    expect(score.meanCosine).toBeCloseTo((1 + 0.96 + 0.95 + 0.2) / 4, 15);
    expect(score.storedFraction).toBe(0.75);
    expect(score.fixedPointFraction).toBe(0.5);
  });
});
