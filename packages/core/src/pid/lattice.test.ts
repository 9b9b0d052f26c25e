import { describe, expect, it } from "vitest";
import { lattice } from "./lattice.js";

describe("lattice", () => {
  it.each([
    [1, 1],
    [2, 4],
    [3, 18],
    [4, 166],
    [5, 7579],
  ])("has the Dedekind count of antichains for n = %i", (n, size) => {
    const l = lattice(n);
    expect(l.size).toBe(size);
    expect(new Set(l.names).size).toBe(size);
  });

  it("uses the papers' canonical orders for n = 2 and 3", () => {
    expect(lattice(2).names).toEqual(["{1}", "{2}", "{1}{2}", "{12}"]);
    expect(lattice(3).names.join(" ")).toBe(
      "{1}{2}{3} {1}{2} {1}{3} {2}{3} {1}{23} {2}{13} {3}{12} {1} {2} {3} " +
        "{12}{13}{23} {12}{13} {12}{23} {13}{23} {12} {13} {23} {123}",
    );
    const l3 = lattice(3);
    expect([l3.names[l3.bottom], l3.names[l3.top]]).toEqual(["{1}{2}{3}", "{123}"]);
  });

  it("orders n ≥ 4 bottom to top (a linear extension of ≼)", () => {
    const l = lattice(4);
    for (let a = 0; a < l.size; a++) {
      for (let b = a + 1; b < l.size; b++)
        expect(l.leq(b, a), `${l.names[b]} ≼ ${l.names[a]}`).toBe(false);
    }
    expect([l.names[0], l.names[l.size - 1]]).toEqual(["{1}{2}{3}{4}", "{1234}"]);
  });

  it("implements the order: β ≼ α iff every collection of α contains one of β", () => {
    const l = lattice(3);
    const i = (name: string) => l.indexOf(name);
    expect(l.leq(i("{1}{2}"), i("{1}"))).toBe(true);
    expect(l.leq(i("{1}"), i("{1}{2}"))).toBe(false);
    expect(l.leq(i("{1}{23}"), i("{12}{13}"))).toBe(true);
    expect(l.leq(i("{1}"), i("{12}{13}"))).toBe(true);
    expect(l.leq(i("{12}{13}"), i("{1}"))).toBe(false);
    expect(l.leq(i("{1}"), i("{23}"))).toBe(false);
    expect(l.leq(l.bottom, l.top)).toBe(true);
  });

  it("gives the n = 2 Möbius formulas of docs/SCIENCE.md §2", () => {
    // redundancies in canonical order: I({1}), I({2}), red, I({12})
    const atoms = lattice(2).moebius([0.5, 0.3, 0.2, 1.1]);
    expect(Array.from(atoms)).toEqual([0.5 - 0.2, 0.3 - 0.2, 0.2, 1.1 - 0.5 - 0.3 + 0.2]);
  });

  it.each([2, 3, 4])("has a Möbius matrix that inverts the zeta matrix for n = %i", (n) => {
    const l = lattice(n);
    // For each β, the redundancy vector I = Z e_β (1 where β ≼ α) must map back to e_β.
    for (let beta = 0; beta < l.size; beta++) {
      const red = new Float64Array(l.size);
      for (let a = 0; a < l.size; a++) red[a] = l.leq(beta, a) ? 1 : 0;
      const atoms = l.moebius(red);
      for (let a = 0; a < l.size; a++) {
        if (atoms[a] !== (a === beta ? 1 : 0))
          throw new Error(`M·Z ≠ I at (${l.names[a]}, ${l.names[beta]})`);
      }
    }
  });

  it("has a Möbius transpose consistent with the Möbius matrix", () => {
    const l = lattice(4);
    const red = Float64Array.from({ length: l.size }, (_, i) => Math.sin(i + 1));
    const gamma = Float64Array.from({ length: l.size }, (_, i) => Math.cos(3 * i));
    const atoms = l.moebius(red);
    const c = l.moebiusTransposed(gamma);
    const lhs = gamma.reduce((s, g, i) => s + g * atoms[i], 0);
    const rhs = c.reduce((s, w, i) => s + w * red[i], 0);
    expect(lhs).toBeCloseTo(rhs, 12);
  });

  it("builds n = 5 with a sparse Möbius matrix that inverts zeta on sampled columns", () => {
    const l = lattice(5);
    const entries = l.moebiusRows.reduce((s, r) => s + r.nodes.length, 0);
    expect(entries).toBeLessThan(l.size * 200);
    for (const beta of [0, 17, 1000, 4321, l.size - 1]) {
      const red = new Float64Array(l.size);
      for (let a = 0; a < l.size; a++) red[a] = l.leq(beta, a) ? 1 : 0;
      const atoms = l.moebius(red);
      expect(atoms.reduce((s, x, a) => s + Math.abs(x - (a === beta ? 1 : 0)), 0)).toBe(0);
    }
  });

  it("merges inclusion–exclusion terms per source subset", () => {
    const l = lattice(3);
    const t = l.terms[l.indexOf("{12}{13}")];
    // P({12} ∪ {13}) = p(12) + p(13) − p(123)
    expect(Array.from(t.subsets)).toEqual([0b011, 0b101, 0b111]);
    expect(Array.from(t.coefficients)).toEqual([1, 1, -1]);
    const bottom = l.terms[l.bottom];
    expect(Array.from(bottom.subsets)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(bottom.coefficients)).toEqual([1, 1, -1, 1, -1, -1, 1]);
  });

  it("parses names in any order and aliases from class names", () => {
    const l = lattice(3);
    expect(l.indexOf("{23}{1}")).toBe(l.indexOf("{1}{23}"));
    expect(l.indexOf("{31}{2}")).toBe(l.indexOf("{2}{13}"));
    expect(l.indexOf("(F)(CL)", ["F", "C", "L"])).toBe(4);
    expect(l.indexOf("(LF)(CL)", ["F", "C", "L"])).toBe(l.indexOf("{13}{23}"));
    expect(l.alias(6, ["F", "C", "L"])).toBe("(L)(FC)");
    expect(l.collectionIndex(0b101)).toBe(l.indexOf("{13}"));
  });

  it("rejects typos with the list of valid names", () => {
    expect(() => lattice(2).indexOf("{1}{3}")).toThrow(
      '"{1}{3}" is not an atom of the 4-atom lattice. Valid names: {1}, {2}, {1}{2}, {12}.',
    );
    expect(() => lattice(2).indexOf("(F)(X)", ["F", "C"])).toThrow(
      'Valid names: {1}, {2}, {1}{2}, {12} or aliases built from the classes F, C such as "(F)".',
    );
    expect(() => lattice(3).indexOf("{1}{12}")).toThrow(
      '"{1}{12}" is not an antichain: {1} lies inside {12}. Drop the larger collection',
    );
    expect(() => lattice(6)).toThrow(
      "the number of sources must be an integer from 1 to 5 (got 6).",
    );
  });
});
