import { lattice } from "@infomorph/core";
import { describe, expect, it } from "vitest";
import { MIN_INFORMATION, atomClasses, classShares } from "./atom-classes.js";

describe("atom classes", () => {
  it("classes the trivariate atoms by their antichains", () => {
    const lat = lattice(3);
    const byClass = (c: string) =>
      atomClasses(3)
        .map((k, i) => (k === c ? lat.alias(i, ["F", "C", "L"]) : null))
        .filter((a) => a !== null);
    expect(byClass("unique")).toEqual(["(F)", "(C)", "(L)"]);
    expect(byClass("synergistic")).toEqual(["(FC)", "(FL)", "(CL)", "(FCL)"]);
    expect(byClass("redundant")).toEqual([
      "(F)(C)(L)",
      "(F)(C)",
      "(F)(L)",
      "(C)(L)",
      "(F)(CL)",
      "(C)(FL)",
      "(L)(FC)",
      "(FC)(FL)(CL)",
      "(FC)(FL)",
      "(FC)(CL)",
      "(FL)(CL)",
    ]);
  });

  it("classes the bivariate atoms: (F), (C) unique, (F)(C) redundant, (FC) synergistic", () => {
    expect(atomClasses(2)).toEqual(["unique", "unique", "redundant", "synergistic"]);
  });

  it("sums a neuron's atoms per class to its information and picks the largest", () => {
    const classes = atomClasses(2);
    // two neurons of [(F), (C), (F)(C), (FC), H_res]: one mostly redundant, one XOR-like
    const values = [0.1, 0.05, 0.4, 0.02, 0.3, 0.585, 0.585, -0.585, 0.415, 0];
    const a = classShares(values, classes, 0);
    expect(a.unique).toBeCloseTo(0.15, 15);
    expect(a.redundant).toBeCloseTo(0.4, 15);
    expect(a.synergistic).toBeCloseTo(0.02, 15);
    expect(a.information).toBeCloseTo(0.57, 15);
    expect(a.dominant).toBe("redundant");
    expect(a.share).toBeCloseTo(0.4 / 0.57, 12);
    // XOR: the unique atoms win, the misinformative redundancy counts against its class
    const b = classShares(values, classes, 5);
    expect(b.information).toBeCloseTo(1, 12);
    expect(b.redundant).toBeCloseTo(-0.585, 12);
    expect(b.dominant).toBe("unique");
    expect(b.share).toBeCloseTo(1.17, 12);
  });

  it("gives no class to a neuron below MIN_INFORMATION bits, whatever its H_res", () => {
    const classes = atomClasses(2);
    const tiny = MIN_INFORMATION / 4;
    const s = classShares([tiny, 0, tiny, 0, 0.9], classes);
    expect(s.information).toBeCloseTo(MIN_INFORMATION / 2, 15);
    expect(s.dominant).toBeNull();
    expect(s.share).toBe(0);
  });
});
