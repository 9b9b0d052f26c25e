import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { goal, goalFromVector } from "./goal.js";
import { NAMED_GOALS, namedGoal } from "./named.js";
import { formatGoal, parseGoal } from "./spec.js";

const TWO = { sources: 2 } as const;
const THREE = { sources: 3 } as const;
const LATERAL = { sources: 2, classNames: ["F", "L"] } as const;

describe("parseGoal: strings of atom weights", () => {
  it("reads aliases and canonical names, in any order, with spaces, H_res last in γ", () => {
    const g = parseGoal(" (F)(C) = 1 ,(F)=0.1, H_res=-2.5e-1 ", TWO);
    expect([...g.gamma]).toEqual([0.1, 0, 1, 0, -0.25]);
    const h = parseGoal("{1}{2}=1, {12}=-0.2, Hres=0.1", TWO);
    expect([...h.gamma]).toEqual([0, 0, 1, -0.2, 0.1]);
    const t = parseGoal("(C)(F)(L)=0.33, (LF)(CF)=-1, {1}{3}=-1, (F)(C)=1", THREE);
    expect([...t.gamma]).toEqual([...namedGoal("trivariate-rounded").gamma]);
  });

  it("uses the layer's class names: (F)(L) on a lateral layer", () => {
    const g = parseGoal("(F)(L)=0.5, (FL)=+2", LATERAL);
    expect([...g.gamma]).toEqual([0, 0, 0.5, 2, 0]);
    expect(g.classNames).toEqual(["F", "L"]);
  });

  it("rejects an atom of another layer and lists this layer's names", () => {
    expect(() => parseGoal("(F)(C)=1, (L)=1", TWO)).toThrow(
      '"(L)" is not an atom of a layer with the sources F, C. Valid names: (F), (C), (F)(C), (FC), H_res (or canonical names such as {1}{2}).',
    );
    expect(() => parseGoal("(F)(C)=1", LATERAL)).toThrow(
      '"(F)(C)" is not an atom of a layer with the sources F, L. Valid names: (F), (L), (F)(L), (FL), H_res',
    );
    expect(() => parseGoal("{1}{2}{3}=1", TWO)).toThrow(
      '"{1}{2}{3}" is not an atom of a layer with the sources F, C.',
    );
    expect(() => parseGoal("(F)(X)=1", THREE)).toThrow(
      "Valid names: (F)(C)(L), (F)(C), (F)(L), (C)(L), (F)(CL), (C)(FL), (L)(FC), (F), (C), (L), (FC)(FL)(CL), (FC)(FL), (FC)(CL), (FL)(CL), (FC), (FL), (CL), (FCL), H_res (or canonical names such as {1}{2}{3}).",
    );
  });

  it("rejects an atom given twice, under one spelling or two", () => {
    expect(() => parseGoal("(F)=1, (F)=2", TWO)).toThrow(
      '"(F)" is given twice; give each atom one weight.',
    );
    expect(() => parseGoal("(F)(C)=1, {2}{1}=1", TWO)).toThrow(
      '"(F)(C)" and "{2}{1}" both name the atom {1}{2}; give each atom one weight.',
    );
    expect(() => parseGoal("H_res=1, Hres=1", TWO)).toThrow(
      '"H_res" and "Hres" both name H_res; give each atom one weight.',
    );
  });

  it("rejects weights that are not finite numbers, quoting them as typed", () => {
    const cases: [string, string][] = [
      ["(F)=abc", 'the weight of "(F)" is "abc"; every weight must be a finite number.'],
      ["(F)=1/3", 'the weight of "(F)" is "1/3"; every weight must be a finite number.'],
      ["(F)=", 'the weight of "(F)" is ""; every weight must be a finite number.'],
      ["(F)=NaN", 'the weight of "(F)" is "NaN"; every weight must be a finite number.'],
      ["(F)=Infinity", 'the weight of "(F)" is "Infinity"; every weight must be a finite number.'],
      ["(F)=1e999", 'the weight of "(F)" is Infinity; every weight must be a finite number.'],
      ["(F)=0x10", 'the weight of "(F)" is "0x10"; every weight must be a finite number.'],
    ];
    for (const [spec, message] of cases) {
      expect(() => parseGoal(spec, TWO), spec).toThrow(message);
    }
  });

  it("rejects terms without a weight or without a name, and the empty goal", () => {
    expect(() => parseGoal("(F)(C)=1, (F)", TWO)).toThrow(
      '"(F)" has no weight; write it as "(F)=1" (terms such as "(F)(C)=1, (F)=0.1", separated by commas).',
    );
    expect(() => parseGoal("(F)(C)=1,, (F)=1", TWO)).toThrow(
      '"" names no atom; write terms such as "(F)(C)=1, (F)=0.1", separated by commas.',
    );
    expect(() => parseGoal("=1", TWO)).toThrow('"=1" names no atom;');
    expect(() => parseGoal("  ", THREE)).toThrow(
      'the goal is empty. Write atom weights such as "(F)(C)=1, (F)=0.1", or a named goal: trivariate-heuristic, trivariate-opt1, trivariate-rounded.',
    );
  });
});

describe("parseGoal: named goals", () => {
  it("returns the papers' goal when it fits the layer", () => {
    expect(parseGoal("trivariate-opt1", THREE)).toBe(namedGoal("trivariate-opt1"));
    expect(parseGoal(" bivariate-lateral-opt2 ", LATERAL)).toBe(
      namedGoal("bivariate-lateral-opt2"),
    );
  });

  it("rejects a named goal of another layer and lists those that fit", () => {
    expect(() => parseGoal("bivariate-context-opt2", THREE)).toThrow(
      'the goal "bivariate-context-opt2" is for a layer with the sources F, C, but this layer has F, C, L. Named goals for this layer: trivariate-heuristic, trivariate-opt1, trivariate-rounded; or write atom weights such as "(F)(C)=1, (F)=0.1".',
    );
    expect(() => parseGoal("bivariate-lateral-opt1", TWO)).toThrow(
      'the goal "bivariate-lateral-opt1" is for a layer with the sources F, L, but this layer has F, C. Named goals for this layer: bivariate-context-heuristic, bivariate-context-opt1, bivariate-context-opt2, output-layer, redundancy;',
    );
  });

  it("rejects an unknown name, and a bare atom name, with the fix", () => {
    expect(() => parseGoal("trivariate-opt9", THREE)).toThrow(
      'unknown goal "trivariate-opt9". Named goals for this layer: trivariate-heuristic, trivariate-opt1, trivariate-rounded; or write atom weights such as "(F)(C)=1, (F)=0.1".',
    );
    expect(() => parseGoal("(F)(C)", TWO)).toThrow(
      '"(F)(C)" has no weight; write it as "(F)(C)=1" (terms such as "(F)(C)=1, (F)=0.1", separated by commas).',
    );
    expect(() => parseGoal("x", { sources: 4 })).toThrow(
      'Named goals for this layer: (none for these sources); or write atom weights such as "(1)(2)=1, (1)=0.1".',
    );
  });
});

describe("parseGoal: objects from JSON or YAML files", () => {
  it("reads an object of atom names to weights", () => {
    const g = parseGoal({ "(F)(C)": 1, "{1}": -0.2, H_res: 0.5 }, TWO);
    expect([...g.gamma]).toEqual([-0.2, 0, 1, 0, 0.5]);
    expect(() => parseGoal({ "(F)": "1" }, TWO)).toThrow(
      'the weight of "(F)" is "1"; every weight must be a finite number.',
    );
  });

  it("reads a positional vector with its source count and checks it against the layer", () => {
    const g = parseGoal({ sources: 2, gamma: [0.1, 0.2, 0.3, 0.4, 0.5] }, TWO);
    expect([...g.gamma]).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(() => parseGoal({ sources: 2, gamma: [0, 0, 1, 0, 0] }, THREE)).toThrow(
      'the goal vector is for 2 sources, but this layer has 3 (F, C, L); write {"sources": 3, "gamma": [19 numbers]}.',
    );
    expect(() => parseGoal({ gamma: [0, 0, 1, 0, 0] }, TWO)).toThrow(
      'a goal vector needs its source count: write {"sources": 2, "gamma": [5 numbers]}.',
    );
    expect(() => parseGoal({ sources: 2, gamma: [0, 0, 1, 0] }, TWO)).toThrow(
      "the goal vector has 4 entries; 2 sources need 5 (4 atoms in canonical order, then H_res).",
    );
    expect(() => parseGoal({ sources: 2, gamma: "0,0,1,0,0" }, TWO)).toThrow(
      '"gamma" must be a list of 5 numbers; write {"sources": 2, "gamma": [5 numbers]}.',
    );
    expect(() => parseGoal({ sources: 2, gamma: [0, 0, 1, 0, 0], hres: 1 }, TWO)).toThrow(
      'a goal vector holds only "sources" and "gamma" (got "hres");',
    );
    expect(() => parseGoal({ sources: 2, gamma: [0, 0, 1, 0, null] }, TWO)).toThrow(
      'the weight of "H_res" is null; every weight must be a finite number.',
    );
  });

  it("rejects a bare list and other values with the forms it accepts", () => {
    expect(() => parseGoal([0, 0, 1, 0, 0], TWO)).toThrow(
      'a goal vector needs its source count: write {"sources": 2, "gamma": [5 numbers]} (atoms in canonical order, then H_res), or name the atoms: {"(F)(C)": 1}.',
    );
    expect(() => parseGoal(3, TWO)).toThrow(
      'a goal must be a string such as "(F)(C)=1, (F)=0.1", a named goal, or an object of atom names to weights (got 3).',
    );
    expect(() => parseGoal(null, TWO)).toThrow("(got null).");
  });
});

describe("formatGoal", () => {
  it("writes non-zero weights by alias in canonical order, H_res last", () => {
    expect(formatGoal(goal({ H_res: 0.1, "{1}{2}": 1, "{1}": 0.1 }, TWO))).toBe(
      "(F)=0.1, (F)(C)=1, H_res=0.1",
    );
    expect(formatGoal(namedGoal("trivariate-rounded"))).toBe(
      "(F)(C)(L)=0.33, (F)(C)=1, (F)(L)=-1, (FC)(FL)=-1",
    );
    expect(formatGoal(namedGoal("bivariate-lateral-heuristic"))).toBe("(F)=1");
    expect(formatGoal(goal({}, THREE))).toBe("H_res=0");
  });

  it("round-trips every named goal and random goals bit for bit", () => {
    for (const name of NAMED_GOALS) {
      const g = namedGoal(name);
      const back = parseGoal(formatGoal(g), { sources: g.sources, classNames: g.classNames });
      expect([...back.gamma], name).toEqual([...g.gamma]);
    }
    const rng = new Rng(11);
    for (let trial = 0; trial < 50; trial++) {
      const sources = 2 + (trial % 2);
      const gamma = Array.from({ length: sources === 2 ? 5 : 19 }, () => {
        const u = rng.uniform();
        if (u < 0.3) return 0;
        // awkward numbers: tiny, huge, negative, and sums that are not short decimals
        return (rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 40 - 20) + 0.1 * u;
      });
      const g = goalFromVector(gamma, { sources });
      const text = formatGoal(g);
      expect([...parseGoal(text, { sources }).gamma], text).toEqual([...g.gamma]);
    }
  });
});
