import { describe, expect, it } from "vitest";
import { goalFromJSON } from "../goals/goal.js";
import { CIFAR_GOAL, HIERARCHICAL_GOAL, presetConfig } from "./presets.js";

describe("the reference goals written by atom name", () => {
  it("CIFAR_GOAL is opt_1_100_CIFAR in the reference's index order ({1}{2}{3}, {1}{2}, … {123}, h_res)", () => {
    // the reference file's values, rounded to 4 decimals, in its order
    const reference = [
      0.9838, 0.6048, -0.2133, 0.2427, 0.3396, -0.579, 0.05, 0.0336, 0.5974, -0.0782, 0.4762,
      -0.8475, -0.3992, 0.5563, 0.2715, -0.4623, -0.0628, -0.2629, 0,
    ];
    expect(Array.from(goalFromJSON(CIFAR_GOAL, { sources: 3 }).gamma)).toEqual(reference);
  });

  it("HIERARCHICAL_GOAL puts 0.3, 1, 0.1, 0.1 at the reference's indices 0, 1, 7, 8", () => {
    const gamma = Array.from(goalFromJSON(HIERARCHICAL_GOAL, { sources: 3 }).gamma);
    expect(gamma.flatMap((g, i) => (g === 0 ? [] : [[i, g]]))).toEqual([
      [0, 0.3],
      [1, 1],
      [7, 0.1],
      [8, 0.1],
    ]);
  });
});

describe("trivariate-two-layers", () => {
  it("splits the total width over two layers with sparse lateral inputs above 101 neurons", () => {
    const config = presetConfig("trivariate-two-layers", { hidden: 501, inputs: 784, classes: 10 });
    if (config.kind !== "infomorphic" || !config.hidden) throw new Error("not infomorphic");
    expect([config.hidden.size, config.stacked?.[0].size]).toEqual([251, 250]);
    expect(config.hidden.lateral).toEqual({ kind: "sparse", inputs: 100 });
    expect(config.hidden.passes).toBe(8);
    expect(() =>
      presetConfig("trivariate-two-layers", { hidden: 1, inputs: 4, classes: 2 }),
    ).toThrow(
      "trivariate-two-layers splits hidden into two layers, so it needs at least 2 neurons (got 1). Try 500.",
    );
  });
});
