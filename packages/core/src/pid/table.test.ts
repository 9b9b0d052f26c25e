import { describe, expect, it } from "vitest";
import { loadPidVectors, randomTable } from "../../testing/vectors.js";
import { lattice } from "./lattice.js";
import { pidOfTable } from "./table.js";
import { cellOf } from "./validate.js";

const vectors = loadPidVectors();
const TOL = 1e-9;

/** "I(Y;X1,X3)" → "{13}" */
function collectionOf(key: string): string {
  return `{${key.slice(4, -1).replace(/X/g, "").replace(/,/g, "")}}`;
}

describe("pidOfTable against the SxPID I^sx vectors (testing/fixtures)", () => {
  it("covers all 22 cases", () => expect(vectors.length).toBe(22));

  it.each(vectors)("$name: atoms, ± parts, redundancies, MIs, H and H_res", (c) => {
    const r = pidOfTable(c.p_flat, c.shape);
    const close = (got: number, want: number, what: string) =>
      expect(
        Math.abs(got - want),
        `${c.name} ${what}: got ${got}, want ${want}`,
      ).toBeLessThanOrEqual(TOL);
    for (const [name, want] of Object.entries(c.atoms)) close(r.atom(name), want, `atom ${name}`);
    for (const [name, want] of Object.entries(c.atoms_informative))
      close(r.informative.atoms[r.lattice.indexOf(name)], want, `informative ${name}`);
    for (const [name, want] of Object.entries(c.atoms_misinformative))
      close(r.misinformative.atoms[r.lattice.indexOf(name)], want, `misinformative ${name}`);
    for (const [name, want] of Object.entries(c.redundancies))
      close(r.redundancies[r.lattice.indexOf(name)], want, `redundancy ${name}`);
    for (const [key, want] of Object.entries(c.mutual_information)) {
      if (key === "H(Y)") close(r.entropyBits, want, key);
      else if (key === "H_res") close(r.hRes, want, key);
      else close(r.mutualInformation(collectionOf(key)), want, key);
    }
  });

  it.each(vectors.filter((c) => c.pointwise))("$name: pointwise atoms of every cell", (c) => {
    const r = pidOfTable(c.p_flat, c.shape, { pointwise: true });
    const pw = r.pointwise!;
    const size = r.lattice.size;
    for (const cell of c.pointwise!) {
      const row = pw.cells.findIndex((x) => x.join() === cell.index.join());
      expect(row, `${c.name} cell ${cell.index}`).toBeGreaterThanOrEqual(0);
      expect(pw.p[row]).toBeCloseTo(cell.p, 14);
      for (const [name, want] of Object.entries(cell.atoms)) {
        const a = r.lattice.indexOf(name);
        expect(
          Math.abs(pw.atoms[row * size + a] - want),
          `${c.name} ${cell.index} ${name}`,
        ).toBeLessThan(TOL);
        expect(
          Math.abs(pw.informative[row * size + a] - cell.atoms_informative[name]),
        ).toBeLessThan(TOL);
        expect(
          Math.abs(pw.misinformative[row * size + a] - cell.atoms_misinformative[name]),
        ).toBeLessThan(TOL);
      }
    }
  });
});

describe("pidOfTable properties on seeded random tables", () => {
  const shapes = [
    [3, 4, 2],
    [2, 3, 2, 3],
    [2, 2, 3, 2, 2],
    [2, 2, 2, 2, 2, 2],
  ];
  const cases = shapes.flatMap((shape, k) => [
    { label: `dense ${shape.join("×")}`, shape, p: randomTable(shape, 10 + k) },
    { label: `sparse ${shape.join("×")}`, shape, p: randomTable(shape, 20 + k, 0.6) },
  ]);

  it.each(cases)("$label: atoms sum to I(T;S), and atoms + H_res = H(T)", ({ shape, p }) => {
    const r = pidOfTable(p, shape);
    const total = r.atoms.reduce((a, b) => a + b, 0);
    const full = (1 << (shape.length - 1)) - 1;
    expect(total).toBeCloseTo(r.mutualInformation(full), 10);
    expect(total + r.hRes).toBeCloseTo(r.entropyBits, 10);
  });

  it.each(cases)(
    "$label: I(T;S_a) is the sum of the atoms with a collection inside a",
    ({ shape, p }) => {
      const r = pidOfTable(p, shape);
      const lat = r.lattice;
      for (let a = 1; a < 1 << r.sources; a++) {
        let sum = 0;
        for (const node of lat.antichains)
          if (node.collections.some((b) => (b & a) === b)) sum += r.atoms[node.index];
        expect(sum, `collection ${a}`).toBeCloseTo(r.mutualInformation(a), 10);
      }
    },
  );

  it.each(cases)("$label: relabelling sources permutes the atoms", ({ shape, p }) => {
    const n = shape.length - 1;
    const perm = Array.from({ length: n }, (_, j) => (j + 1) % n); // new axis j holds old source perm[j]
    const newShape = [...perm.map((j) => shape[j]), shape[n]];
    const q = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      const cell = cellOf(i, shape);
      const moved = [...perm.map((j) => cell[j]), cell[n]];
      q[moved.reduce((acc, x, axis) => acc * newShape[axis] + x, 0)] = p[i];
    }
    const a = pidOfTable(p, shape);
    const b = pidOfTable(q, newShape);
    const lat = lattice(n);
    for (const node of lat.antichains) {
      // old source j is new source perm⁻¹(j)
      const renamed = node.collections.map((c) => {
        let m = 0;
        for (let j = 0; j < n; j++) if (c & (1 << j)) m |= 1 << perm.indexOf(j);
        return `{${[...Array(n).keys()]
          .filter((x) => m & (1 << x))
          .map((x) => x + 1)
          .join("")}}`;
      });
      expect(b.atom(renamed.join("")), node.name).toBeCloseTo(a.atoms[node.index], 12);
    }
  });

  it.each(cases)(
    "$label: relabelling the target values leaves the atoms unchanged",
    ({ shape, p }) => {
      const T = shape[shape.length - 1];
      const flipped = p.map((_, i) => p[i - (i % T) + (T - 1 - (i % T))]);
      const a = pidOfTable(p, shape);
      const b = pidOfTable(flipped, shape);
      a.atoms.forEach((x, k) => expect(b.atoms[k]).toBeCloseTo(x, 12));
    },
  );

  it("gives the same atoms with zero cells present or absent", () => {
    const p = randomTable([2, 2, 2], 5);
    // Embed into a larger alphabet: the extra values have probability 0.
    const big = new Float64Array(3 * 4 * 2);
    for (let i = 0; i < p.length; i++) {
      const [s1, s2, t] = cellOf(i, [2, 2, 2]);
      big[(s1 * 4 + s2) * 2 + t] = p[i];
    }
    const a = pidOfTable(p, [2, 2, 2]);
    const b = pidOfTable(big, [3, 4, 2]);
    a.atoms.forEach((x, k) => expect(b.atoms[k]).toBeCloseTo(x, 14));
    expect(b.atoms.every(Number.isFinite)).toBe(true);
  });

  it("normalises counts only when asked", () => {
    const counts = [1, 0, 0, 1, 0, 1, 1, 0];
    expect(pidOfTable(counts, [2, 2, 2], { normalize: true }).atom("{1}{2}")).toBeCloseTo(
      Math.log2(2 / 3),
      14,
    );
  });
});

describe("pidOfTable rejects bad tables with a clear error", () => {
  it.each([
    [
      [0.5, 0.5],
      [2],
      "shape must list at least 2 axis sizes (1 or more sources, then the target), each a positive integer (got [2]).",
    ],
    [
      [0.5, 0.5],
      [2, 0],
      "shape must list at least 2 axis sizes (1 or more sources, then the target), each a positive integer (got [2,0]).",
    ],
    [
      [0.5, 0.5],
      [2, 2],
      "the table has 2 entries but shape [2,2] needs 4 (the product of the axis sizes, C order, target last).",
    ],
    [
      [0.5, -0.1, 0.3, 0.3],
      [2, 2],
      "entry 1 (cell [0,1]) is -0.1; every probability must be a finite number ≥ 0.",
    ],
    [
      [0.5, Number.NaN, 0.3, 0.2],
      [2, 2],
      "entry 1 (cell [0,1]) is NaN; every probability must be a finite number ≥ 0.",
    ],
    [
      [0.5, 0.5, 0.3, 0.2],
      [2, 2],
      "probabilities sum to 1.50000000000, expected 1 ± 1e-9. Divide by the sum, or normalise explicitly (normalize: true; CLI: --normalize) to accept counts.",
    ],
    [
      new Array(128).fill(1 / 128),
      [2, 2, 2, 2, 2, 2, 2],
      "the table has 6 sources; the I^sx lattice supports at most 5 (7579 atoms). Merge sources into fewer axes.",
    ],
  ])("%j with shape %j", (p, shape, message) => {
    expect(() => pidOfTable(p as number[], shape as number[])).toThrow(message);
  });

  it("rejects an all-zero table even with normalize", () => {
    expect(() => pidOfTable([0, 0, 0, 0], [2, 2], { normalize: true })).toThrow(
      "every entry of the table is 0, so there is no distribution to normalise.",
    );
  });
});
