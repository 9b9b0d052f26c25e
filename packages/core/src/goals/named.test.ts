import { describe, expect, it } from "vitest";
import { goalToJSON } from "./goal.js";
import { NAMED_GOALS, namedGoal } from "./named.js";

/** The papers' positional vectors (docs/SCIENCE.md §7): n = 2 as (unqF, unqC/L, red, syn, H_res). */
const VECTORS: Record<string, number[]> = {
  "bivariate-context-heuristic": [0, 0, 1, 0, 0],
  "bivariate-lateral-heuristic": [1, 0, 0, 0, 0],
  "trivariate-heuristic": [0, 1, ...new Array(17).fill(0)],
  "bivariate-context-opt1": [-0.099, 0.3916, 0.5118, 0.5942, 0.0885],
  "bivariate-context-opt2": [0.0379, 0.3185, 0.7755, 0.1536, 0.0076],
  "bivariate-lateral-opt1": [0.8281, -0.2038, 0.903, 0.5267, 0.135],
  "bivariate-lateral-opt2": [0.8051, -0.4079, 0.538, 0.5634, -0.0097],
  "output-layer": [-0.2, 0.1, 1.0, 0.1, 0],
  "trivariate-opt1": [
    0.331, 0.978, -0.994, 0.402, 0.243, 0.626, 0.471, 0.021, 0.061, -0.947, -0.02, -0.968, -0.692,
    0.427, 0.974, 0.737, -0.122, -0.215, 0.035,
  ],
  "trivariate-rounded": [0.33, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0],
  redundancy: [0, 0, 1, 0, 0],
};

describe("named goals", () => {
  it("lists every goal of docs/SCIENCE.md §7", () => {
    expect([...NAMED_GOALS].sort()).toEqual(Object.keys(VECTORS).sort());
  });

  it.each(Object.entries(VECTORS))("%s has the paper's positional vector", (name, vector) => {
    expect([...namedGoal(name).gamma]).toEqual(vector);
  });

  it("names the trivariate-opt1 atoms as the papers' table does", () => {
    const g = namedGoal("trivariate-opt1");
    expect(g.weight("(FC)(FL)")).toBe(-0.968);
    expect(g.weight("{12}{13}")).toBe(-0.968);
    expect(g.gamma[11]).toBe(-0.968);
    expect(g.weight("(F)(L)")).toBe(-0.994);
    expect(g.weight("{1}{3}")).toBe(-0.994);
    expect(g.weight("(L)(FC)")).toBe(0.471);
    expect(g.weight("{3}{12}")).toBe(0.471);
    expect(g.weight("(FCL)")).toBe(-0.215);
    expect(g.weight("H_res")).toBe(0.035);
    expect(g.entries()).toHaveLength(19);
  });

  it("uses class names F, L for the lateral goals and F, C otherwise", () => {
    const lateral = namedGoal("bivariate-lateral-opt1");
    expect(lateral.classNames).toEqual(["F", "L"]);
    expect(lateral.weight("(L)")).toBe(-0.2038);
    expect(lateral.weight("(F)(L)")).toBe(0.903);
    expect(namedGoal("output-layer").classNames).toEqual(["F", "C"]);
    expect(namedGoal("trivariate-rounded").classNames).toEqual(["F", "C", "L"]);
    expect(goalToJSON(namedGoal("trivariate-rounded"))).toEqual({
      "{1}{2}{3}": 0.33,
      "{1}{2}": 1,
      "{1}{3}": -1,
      "{12}{13}": -1,
    });
  });

  it("rejects an unknown name, listing the valid ones", () => {
    expect(() => namedGoal("trivariate-opt")).toThrow(
      'unknown goal "trivariate-opt". Named goals: bivariate-context-heuristic, ' +
        "bivariate-lateral-heuristic, trivariate-heuristic, bivariate-context-opt1, " +
        "bivariate-context-opt2, bivariate-lateral-opt1, bivariate-lateral-opt2, output-layer, " +
        "trivariate-opt1, trivariate-rounded, redundancy.",
    );
    expect(() => namedGoal("toString")).toThrow('unknown goal "toString".');
  });
});
