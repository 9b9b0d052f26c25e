import { describe, expect, it } from "vitest";
import { lattice } from "../pid/lattice.js";
import { goal, goalFromJSON, goalFromVector, goalToJSON } from "./goal.js";

describe("goal", () => {
  it("places named weights at their canonical positions, H_res last", () => {
    const g = goal({ "(F)(C)": 1, "{12}": -0.5, H_res: 0.25 }, { sources: 2 });
    expect([...g.gamma]).toEqual([0, 0, 1, -0.5, 0.25]);
    expect(g.sources).toBe(2);
    expect(g.classNames).toEqual(["F", "C"]);
  });

  it("answers weight() under canonical names, aliases (any order) and H_res/Hres", () => {
    const g = goal(
      { "(F)(C)": 1, "(F)(L)": -1, "(FC)(FL)": -1, "(F)(C)(L)": 0.33, Hres: 0.1 },
      { sources: 3 },
    );
    expect(g.weight("{1}{2}")).toBe(1);
    expect(g.weight("{2}{1}")).toBe(1);
    expect(g.weight("(C)(F)")).toBe(1);
    expect(g.weight("{13}{12}")).toBe(-1);
    expect(g.weight("(LF)(CF)")).toBe(-1);
    expect(g.weight("{1}{2}{3}")).toBe(0.33);
    expect(g.weight("{123}")).toBe(0);
    expect(g.weight("H_res")).toBe(0.1);
    expect(g.weight("Hres")).toBe(0.1);
    expect(g.gamma[lattice(3).indexOf("{12}{13}")]).toBe(-1);
    expect(g.gamma[11]).toBe(-1);
    expect(g.gamma[18]).toBe(0.1);
  });

  it("uses the given class names for aliases (lateral: F, L)", () => {
    const g = goal({ "(F)(L)": 0.5, "(FL)": 2 }, { sources: 2, classNames: ["F", "L"] });
    expect([...g.gamma]).toEqual([0, 0, 0.5, 2, 0]);
    expect(g.weight("(L)(F)")).toBe(0.5);
    expect(() => g.weight("(F)(C)")).toThrow(
      '"(F)(C)" is not an atom of a layer with the sources F, L. Valid names: (F), (L), (F)(L), (FL), H_res (or canonical names such as {1}{2}).',
    );
  });

  it("names sources by number for n ≥ 4", () => {
    const g = goal({ "(1)(234)": 2, "{1}{2}{3}{4}": 1 }, { sources: 4 });
    expect(g.classNames).toEqual(["1", "2", "3", "4"]);
    expect(g.gamma).toHaveLength(167);
    expect(g.weight("{1}{234}")).toBe(2);
    expect(g.entries()).toEqual([
      ["{1}{2}{3}{4}", 1],
      ["{1}{234}", 2],
    ]);
  });

  it("lists non-zero entries by canonical name in canonical order, H_res last", () => {
    const g = goal({ H_res: -0.5, "(FC)": 3, "(F)": 0, "(C)": 1 }, { sources: 2 });
    expect(g.entries()).toEqual([
      ["{2}", 1],
      ["{12}", 3],
      ["H_res", -0.5],
    ]);
  });

  it("hands out a copy of gamma, so a goal cannot be changed through it", () => {
    const g = goal({ "(F)(C)": 1 }, { sources: 2 });
    g.gamma[2] = 7;
    expect(g.weight("(F)(C)")).toBe(1);
    expect(g.gamma[2]).toBe(1);
  });

  it("rejects an atom named twice under different spellings", () => {
    expect(() => goal({ "(F)(C)": 1, "{1}{2}": 1 }, { sources: 2 })).toThrow(
      '"(F)(C)" and "{1}{2}" both name the atom {1}{2}; give each atom one weight.',
    );
    expect(() => goal({ "{12}{13}": 1, "{13}{21}": 2 }, { sources: 3 })).toThrow(
      '"{12}{13}" and "{13}{21}" both name the atom {12}{13}; give each atom one weight.',
    );
    expect(() => goal({ H_res: 1, Hres: 1 }, { sources: 2 })).toThrow(
      '"H_res" and "Hres" both name H_res; give each atom one weight.',
    );
  });

  it("rejects unknown names with the lattice's list of valid names", () => {
    expect(() => goal({ "(F)(X)": 1 }, { sources: 2 })).toThrow(
      '"(F)(X)" is not an atom of a layer with the sources F, C. Valid names: (F), (C), (F)(C), (FC), H_res (or canonical names such as {1}{2}).',
    );
    expect(() => goal({ "{1}{3}": 1 }, { sources: 2 })).toThrow(
      '"{1}{3}" is not an atom of a layer with the sources F, C.',
    );
    expect(() => goal({ "{1}{12}": 1 }, { sources: 2 })).toThrow(
      '"{1}{12}" is not an antichain: {1} lies inside {12}.',
    );
  });

  it("rejects weights that are not finite numbers, and bad options", () => {
    expect(() => goal({ "(F)": Number.NaN }, { sources: 2 })).toThrow(
      'the weight of "(F)" is NaN; every weight must be a finite number.',
    );
    expect(() => goal({ "(F)": "1" as unknown as number }, { sources: 2 })).toThrow(
      'the weight of "(F)" is "1"; every weight must be a finite number.',
    );
    expect(() => goal([] as unknown as Record<string, number>, { sources: 2 })).toThrow(
      'a goal must be an object of atom names to weights, e.g. {"(F)(C)": 1} (got []).',
    );
    expect(() => goal({}, { sources: 6 })).toThrow(
      "the number of sources must be an integer from 1 to 5 (got 6).",
    );
    expect(() => goal({}, { sources: 2, classNames: ["F", "F"] })).toThrow(
      "need 2 distinct non-empty class names, one per source (got [F, F]), e.g. F,C.",
    );
  });
});

describe("goalFromVector", () => {
  it("reads a positional vector in canonical order, H_res last", () => {
    const g = goalFromVector([0.1, 0.2, 0.3, 0.4, 0.5], { sources: 2 });
    expect(g.weight("(F)")).toBe(0.1);
    expect(g.weight("(C)")).toBe(0.2);
    expect(g.weight("(F)(C)")).toBe(0.3);
    expect(g.weight("(FC)")).toBe(0.4);
    expect(g.weight("H_res")).toBe(0.5);
  });

  it("rejects a vector of the wrong length or with a non-finite entry", () => {
    expect(() => goalFromVector([0, 0, 1, 0], { sources: 2 })).toThrow(
      "the goal vector has 4 entries; 2 sources need 5 (4 atoms in canonical order, then H_res).",
    );
    expect(() => goalFromVector(new Float64Array(18), { sources: 3 })).toThrow(
      "the goal vector has 18 entries; 3 sources need 19 (18 atoms in canonical order, then H_res).",
    );
    expect(() => goalFromVector([0, 0, 1, 0, Number.POSITIVE_INFINITY], { sources: 2 })).toThrow(
      'the weight of "H_res" is Infinity; every weight must be a finite number.',
    );
  });
});

describe("goalToJSON / goalFromJSON", () => {
  it("writes non-zero weights by canonical name and reads them back", () => {
    const g = goal({ "(F)(C)(L)": 0.33, "(FC)(FL)": -1, Hres: 0.5 }, { sources: 3 });
    const json = goalToJSON(g);
    expect(json).toEqual({ "{1}{2}{3}": 0.33, "{12}{13}": -1, H_res: 0.5 });
    expect(Object.keys(json)).toEqual(["{1}{2}{3}", "{12}{13}", "H_res"]);
    const back = goalFromJSON(JSON.parse(JSON.stringify(json)), { sources: 3 });
    expect([...back.gamma]).toEqual([...g.gamma]);
  });

  it("rejects a record that is not an object of numbers", () => {
    expect(() => goalFromJSON("(F)(C)", { sources: 2 })).toThrow(
      'a goal must be an object of atom names to weights, e.g. {"(F)(C)": 1} (got "(F)(C)").',
    );
    expect(() => goalFromJSON(null, { sources: 2 })).toThrow("(got null).");
    expect(() => goalFromJSON({ "{1}": null }, { sources: 2 })).toThrow(
      'the weight of "{1}" is null; every weight must be a finite number.',
    );
  });
});
