import { describe, expect, it } from "vitest";
import { namedGoal } from "../goals/named.js";
import { goalFromParams, goalSearchSpace, paramsFromUnit, searchSpace } from "./space.js";

describe("searchSpace", () => {
  it("keeps the order, lists the free parameters and maps the unit cube onto them", () => {
    const space = searchSpace({
      a: { low: -1, high: 3 },
      b: { fixed: 7 },
      c: { low: 0.1, high: 0.2 },
    });
    expect(space.free).toEqual(["a", "c"]);
    expect([...space.low]).toEqual([-1, 0.1]);
    expect([...space.high]).toEqual([3, 0.2]);
    expect(paramsFromUnit(space, [0, 1])).toEqual({ a: -1, b: 7, c: 0.2 });
    expect(paramsFromUnit(space, [0.25, 0.5])).toEqual({ a: 0, b: 7, c: 0.15000000000000002 });
  });

  it("rejects bad parameters with the fix", () => {
    expect(() => searchSpace({ a: { low: 1, high: 1 } })).toThrow(
      'a: a parameter is {low, high} with finite low < high, or {fixed: value} (got {"low":1,"high":1}).',
    );
    expect(() => searchSpace({ a: { low: 0, high: Number.POSITIVE_INFINITY } })).toThrow(
      "a: a parameter is {low, high} with finite low < high",
    );
    expect(() => searchSpace({ a: { fixed: Number.NaN } })).toThrow(
      "a: the fixed value must be a finite number (got NaN).",
    );
    expect(() => searchSpace({ a: { fixed: 1 } })).toThrow(
      "the search space has no free parameter; give at least one {low, high}.",
    );
  });
});

describe("goalSearchSpace", () => {
  it("is the papers' trivariate space by default: 18 atoms free in [−1, 1], H_res fixed at 0", () => {
    const space = goalSearchSpace({ sources: 3 });
    expect(space.free).toEqual([
      "(F)(C)(L)",
      "(F)(C)",
      "(F)(L)",
      "(C)(L)",
      "(F)(CL)",
      "(C)(FL)",
      "(L)(FC)",
      "(F)",
      "(C)",
      "(L)",
      "(FC)(FL)(CL)",
      "(FC)(FL)",
      "(FC)(CL)",
      "(FL)(CL)",
      "(FC)",
      "(FL)",
      "(CL)",
      "(FCL)",
    ]);
    expect(space.params.H_res).toEqual({ fixed: 0 });
    expect(new Set([...space.low, ...space.high])).toEqual(new Set([-1, 1]));
  });

  it("maps a point to the goal over named atoms, exactly", () => {
    const space = goalSearchSpace({ sources: 3 });
    const opt1 = namedGoal("trivariate-opt1").gamma;
    const u = space.free.map((_, j) => (opt1[j] + 1) / 2);
    const g = goalFromParams(paramsFromUnit(space, u), { sources: 3 });
    for (let j = 0; j < 18; j++) expect(g.gamma[j]).toBeCloseTo(opt1[j], 15);
    expect(g.weight("H_res")).toBe(0);
  });

  it("takes free atoms, fixed atoms and ranges by name or alias; the rest is fixed at 0", () => {
    const space = goalSearchSpace({
      sources: 2,
      classNames: ["F", "L"],
      free: ["(F)(L)", "{12}"],
      fixed: { "(F)": 0.5 },
      range: [0, 2],
      ranges: { "(FL)": [-1, 0] },
    });
    expect(space.params).toEqual({
      "(F)": { fixed: 0.5 },
      "(L)": { fixed: 0 },
      "(F)(L)": { low: 0, high: 2 },
      "(FL)": { low: -1, high: 0 },
      H_res: { fixed: 0 },
    });
    expect(() => goalSearchSpace({ sources: 2, free: ["(F)"], fixed: { "{1}": 0 } })).toThrow(
      "(F) is both free and fixed; list it in one of them.",
    );
    expect(() => goalSearchSpace({ sources: 2, free: ["(L)"] })).toThrow(
      '"(L)" is not an atom of a layer with the sources F, C. Valid names: (F), (C), (F)(C), (FC), H_res',
    );
  });
});
