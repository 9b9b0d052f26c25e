import { describe, expect, it } from "vitest";
import { Rng } from "./rng.js";

describe("Rng", () => {
  it("gives the same stream for the same seed and different streams for nearby seeds", () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xa = Array.from({ length: 5 }, () => a.uint32());
    const xb = Array.from({ length: 5 }, () => b.uint32());
    const xc = Array.from({ length: 5 }, () => c.uint32());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it("resumes exactly from a saved state, including a cached normal", () => {
    const a = new Rng(3);
    a.normal();
    const saved = JSON.parse(JSON.stringify(a.state()));
    const b = Rng.fromState(saved);
    expect([a.normal(), a.uniform(), a.int(10)]).toEqual([b.normal(), b.uniform(), b.int(10)]);
  });

  it("has uniform and normal moments close to the theory", () => {
    const rng = new Rng(1);
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    for (let i = 0; i < n; i++) {
      su += rng.uniform();
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 2);
    expect(sn2 / n).toBeCloseTo(1, 1);
  });

  it("draws every integer of a range and permutes without loss", () => {
    const rng = new Rng(2);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.int(7));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const p = Array.from(rng.permutation(100)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("hands its state words to a kernel and continues from the words it gets back", () => {
    const rng = new Rng(4);
    rng.normal(); // leaves a cached deviate, which words() and setWords() do not touch
    const twin = Rng.fromState(rng.state());
    const words = Uint32Array.from(rng.words().map((w) => w >>> 0)); // as a kernel sees them
    const copy = new Rng(9);
    copy.setWords(words);
    for (let i = 0; i < 5; i++) expect(copy.uniform()).toBe(twin.uniform());
    rng.setWords(copy.words());
    expect(rng.uint32()).toBe(twin.uint32());
    expect(rng.normal()).toBe(twin.normal());
    expect(rng.state()).toEqual(twin.state());
    expect(() => rng.setWords([0, 0, 0, 0])).toThrow(
      "setWords needs four 32-bit words, not all zero (got 0, 0, 0, 0). Pass what words() returned.",
    );
  });

  it("rejects a bad seed with a message that names the fix", () => {
    expect(() => new Rng(-1)).toThrow(
      "seed must be a non-negative integer (got -1). Try --seed 1.",
    );
  });
});
