import { describe, expect, it } from "vitest";
import { goalVectorNames } from "../goals/goal.js";
import { TRIVARIATE_OPT1 } from "../goals/named.js";
import {
  SENSITIVITY_CHANGES,
  TRIVARIATE_ZEROING_NAMES,
  TRIVARIATE_ZEROING_ORDER,
  cumulativeZeroing,
  sensitivityVariants,
} from "./sensitivity.js";

describe("sensitivityVariants", () => {
  const names = ["(F)", "(C)", "(F)(C)", "(FC)", "H_res"];
  const gamma = [1, -0.5, 0, 2, 0.25];
  const variants = sensitivityVariants(gamma, names);

  it("gives five variants per entry, in order, with exact vectors", () => {
    expect(variants).toHaveLength(25);
    expect(variants.map((v) => v.label).slice(0, 5)).toEqual([
      "(F) = 0",
      "(F) × 0.9",
      "(F) × 1.1",
      "(F) + 0.1",
      "(F) − 0.1",
    ]);
    expect(variants.map((v) => v.change).slice(5, 10)).toEqual(SENSITIVITY_CHANGES);
    expect(Array.from(variants[0].gamma)).toEqual([0, -0.5, 0, 2, 0.25]);
    expect(Array.from(variants[1].gamma)).toEqual([0.9, -0.5, 0, 2, 0.25]);
    expect(Array.from(variants[2].gamma)).toEqual([1.1, -0.5, 0, 2, 0.25]);
    expect(Array.from(variants[3].gamma)).toEqual([1.1, -0.5, 0, 2, 0.25]);
    expect(Array.from(variants[4].gamma)).toEqual([0.9, -0.5, 0, 2, 0.25]);
    expect(Array.from(variants[6].gamma)).toEqual([1, -0.45, 0, 2, 0.25]);
    expect(variants[8].gamma[1]).toBeCloseTo(-0.4, 15);
    expect(variants[9].gamma[1]).toBeCloseTo(-0.6, 15);
    expect(Array.from(variants[13].gamma)).toEqual([1, -0.5, 0.1, 2, 0.25]); // (F)(C) + 0.1
    expect(Array.from(variants[14].gamma)).toEqual([1, -0.5, -0.1, 2, 0.25]);
    expect(Array.from(variants[16].gamma)).toEqual([1, -0.5, 0, 1.8, 0.25]); // (FC) × 0.9
    expect(variants[20]).toMatchObject({
      label: "H_res = 0",
      index: 4,
      name: "H_res",
      change: "zero",
    });
    expect(Array.from(variants[20].gamma)).toEqual([1, -0.5, 0, 2, 0]);
  });

  it("leaves the input untouched and returns fresh vectors", () => {
    expect(gamma).toEqual([1, -0.5, 0, 2, 0.25]);
    variants[0].gamma[1] = 99;
    expect(variants[1].gamma[1]).toBe(-0.5);
  });

  it("labels the trivariate goal by its aliases", () => {
    const g = TRIVARIATE_OPT1.gamma;
    const v = sensitivityVariants(g, goalVectorNames(3, ["F", "C", "L"]));
    expect(v).toHaveLength(95);
    const zeroed = v.find((x) => x.label === "(FC)(FL) = 0")!;
    expect(zeroed.index).toBe(11);
    expect(zeroed.gamma[11]).toBe(0);
    expect(zeroed.gamma[0]).toBe(0.331);
  });

  it("rejects bad input with messages that name the fix", () => {
    expect(() => sensitivityVariants([1, 2], ["(F)"])).toThrow(
      "need 2 distinct names, one per goal entry (got 1); use goalVectorNames(sources, classNames).",
    );
    expect(() => sensitivityVariants([1, 2], ["(F)", "(F)"])).toThrow(
      "need 2 distinct names, one per goal entry (got 2, with repeats); use goalVectorNames(sources, classNames).",
    );
    expect(() => sensitivityVariants([1, Number.NaN], ["a", "b"])).toThrow(
      "goal entry 1 is NaN; every γ must be a finite number.",
    );
    expect(() => sensitivityVariants([], [])).toThrow(
      "the goal vector is empty; pass γ over the atoms in canonical order, then H_res.",
    );
  });
});

describe("goalVectorNames", () => {
  it("lists aliases in canonical order, then H_res", () => {
    expect(goalVectorNames(2, ["F", "C"])).toEqual(["(F)", "(C)", "(F)(C)", "(FC)", "H_res"]);
    const three = goalVectorNames(3, ["F", "C", "L"]);
    expect(three).toHaveLength(19);
    expect([three[0], three[4], three[6], three[11], three[17], three[18]]).toEqual([
      "(F)(C)(L)",
      "(F)(CL)",
      "(L)(FC)",
      "(FC)(FL)",
      "(FCL)",
      "H_res",
    ]);
  });
});

describe("cumulativeZeroing", () => {
  it("zeroes entries cumulatively in the given order", () => {
    const steps = cumulativeZeroing([1, 2, 3, 4], [2, 0, 3]);
    expect(steps.map((s) => Array.from(s))).toEqual([
      [1, 2, 0, 4],
      [0, 2, 0, 4],
      [0, 2, 0, 0],
    ]);
  });

  it("resolves the paper's trivariate order to canonical indices (docs/SCIENCE.md §2 table)", () => {
    expect(TRIVARIATE_ZEROING_NAMES).toHaveLength(19);
    expect(TRIVARIATE_ZEROING_ORDER).toEqual([
      4, 16, 10, 17, 5, 9, 8, 14, 18, 13, 12, 6, 15, 3, 7, 1, 0, 2, 11,
    ]);
  });

  it("walks tpe_1 down to the all-zero goal along the paper's order", () => {
    const g = TRIVARIATE_OPT1.gamma;
    const steps = cumulativeZeroing(g, TRIVARIATE_ZEROING_ORDER);
    expect(steps).toHaveLength(19);
    // after 15 steps only (F)(C), (F)(C)(L), (F)(L) and (FC)(FL) remain: the rounded 4-atom goal's atoms
    const kept = Array.from(steps[14].entries())
      .filter(([, v]) => v !== 0)
      .map(([i, v]) => [i, v]);
    expect(kept).toEqual([
      [0, 0.331],
      [1, 0.978],
      [2, -0.994],
      [11, -0.968],
    ]);
    expect(Array.from(steps[18])).toEqual(Array(19).fill(0));
    expect(Array.from(steps[0])).toEqual(Array.from(g).map((v, i) => (i === 4 ? 0 : v)));
  });

  it("rejects bad orders", () => {
    expect(() => cumulativeZeroing([1, 2], [0, 2])).toThrow(
      "order lists 2, which is not an entry of the 2-entry goal vector (indices 0…1).",
    );
    expect(() => cumulativeZeroing([1, 2], [1, 1])).toThrow(
      "order lists entry 1 twice; each entry is zeroed once.",
    );
  });
});
