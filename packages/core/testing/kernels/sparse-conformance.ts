/** The one test suite every Kernels implementation passes for the sparse products: results against naive loops over the mask (testing/naive-kernels.ts), themselves checked against the dense product of the masked matrix, on seeded random masks with awkward shapes. */

import { InfomorphError, type Kernels, Rng } from "@infomorph/core";
import { type SparseOp, createSparsePattern } from "@infomorph/core/kernels";
import { describe, expect, it } from "vitest";
import {
  maskColumns,
  naiveMatmulABt,
  naiveMatmulAtB,
  naiveSparseMatmulABt,
  naiveSparseMatmulAtB,
} from "../naive-kernels.js";
import { MATMUL_TOLERANCE } from "./conformance.js";
import {
  PLACEMENTS,
  type Placement,
  abs,
  copyInto,
  expectRelative,
  suiteKernels,
  uniformFloats,
} from "./suite.js";

/** One product: m samples, a [rows × cols] pattern with `perRow` entries per row (or a density). */
interface Case {
  readonly m: number;
  readonly rows: number;
  readonly cols: number;
  /** Entries per row (the layer's sparse lateral connectivity), or a fraction of the matrix. */
  readonly perRow?: number;
  readonly density?: number;
}

/**
 * Sizes 1, 3, 7, 33 hit every SIMD tail (8-sample steps, 4-entry groups, 4-row tiles, 4×4
 * transpose blocks); 1100 samples cross the 1024-sample blocks of the wasm forward with a tail
 * that is not a multiple of 8; 1024 × 2000 × 2000 with 100 entries per row is the ICLR
 * network's lateral source.
 */
const SMALL = [1, 3, 7, 33];
const CASES: readonly Case[] = [
  ...SMALL.flatMap((m) =>
    SMALL.flatMap((rows) => SMALL.map((cols): Case => ({ m, rows, cols, density: 0.4 }))),
  ),
  { m: 1024, rows: 100, cols: 784, density: 0.05 },
  { m: 1100, rows: 37, cols: 50, density: 0.5 },
  { m: 65, rows: 5, cols: 9, density: 1 },
  { m: 130, rows: 300, cols: 200, density: 0.1 },
  { m: 33, rows: 2000, cols: 2000, perRow: 100 },
  { m: 257, rows: 2000, cols: 100, perRow: 5 },
];
/** The full-size lateral product: checked against the naive sparse loops only (a dense product takes seconds). */
const FULL: Case = { m: 1024, rows: 2000, cols: 2000, perRow: 100 };
/** Dense checks of the oracle above this many multiply-adds are skipped (they take too long). */
const DENSE_LIMIT = 1e8;

/**
 * Registers the sparse-product tests for one implementation. `make` is called once; the
 * kernels are shared by all tests of the suite. The full-size lateral product runs only for
 * implementations other than "ts", and without bias.
 *
 * @example runSparseKernelSuite("wasm-simd", () => createWasmKernels({ memoryMiB: 1024 }));
 */
export function runSparseKernelSuite(name: string, make: () => Promise<Kernels>): void {
  describe(`${name} sparse kernels`, () => {
    const get = suiteKernels(make);

    // ts/sparse.ts has no blocks or SIMD lanes that only the full size reaches (its loops are
    // the small cases' loops), so the slow full-size case is for the other implementations.
    const cases = name === "ts" ? CASES : [...CASES, FULL];
    const label = (c: Case) =>
      `m=${c.m} ${c.rows}×${c.cols} ${c.perRow ? `${c.perRow}/row` : `density ${c.density}`}`;
    for (const bias of [false, true]) {
      it.each((bias ? CASES : cases).map((c) => [label(c), c] as const))(
        `sparseMatmulABt${bias ? " + bias" : ""} matches the naive loops (checked against the dense product), %s`,
        async (_, c) => {
          const kernels = await get();
          const rng = new Rng(c.m * 1_000_003 + c.rows * 1009 + c.cols * 7 + (bias ? 1 : 0));
          const mask = randomMask(rng, c);
          const pattern = kernels.sparsePattern(mask, c.rows, c.cols);
          const columns = maskColumns(mask, c.rows, c.cols);
          const a = uniformFloats(rng, c.m * c.cols);
          const w = uniformFloats(rng, c.rows * c.cols);
          const b = bias ? uniformFloats(rng, c.rows) : null;
          const masked = w.map((x, e) => (mask[e] ? x : 0));
          // Weights outside the pattern must not be read: NaN there would poison any sum.
          const poisoned = w.map((x, e) => (mask[e] ? x : Number.NaN));
          const want = new Float32Array(c.m * c.rows);
          const scale = new Float32Array(c.m * c.rows);
          naiveSparseMatmulABt(a, masked, columns, c.cols, want, c.m, b);
          naiveSparseMatmulABt(abs(a), abs(masked), columns, c.cols, scale, c.m, b && abs(b));
          if (c.m * c.rows * c.cols <= DENSE_LIMIT) {
            const dense = new Float32Array(c.m * c.rows);
            naiveMatmulABt(a, masked, dense, c.m, c.cols, c.rows, b);
            expectRelative(
              want,
              dense,
              scale,
              MATMUL_TOLERANCE,
              `naive sparse vs dense, ${label(c)}`,
            );
          }
          const placements = c === FULL ? (["alloc"] as const) : PLACEMENTS;
          for (const placement of placements) {
            const place = placer(kernels, placement);
            const out = place.out(c.m * c.rows);
            out.fill(Number.NaN); // every element must be written
            kernels.sparseMatmulABt(
              place.input(a),
              place.input(poisoned, true),
              pattern,
              out,
              c.m,
              b && place.input(b),
            );
            expectRelative(out, want, scale, MATMUL_TOLERANCE, `${name} ${label(c)} ${placement}`);
          }
        },
      );
    }

    it.each(cases.map((c) => [label(c), c] as const))(
      "sparseMatmulAtB matches the naive loops (checked against the dense product), exactly 0 off the pattern, %s",
      async (_, c) => {
        const kernels = await get();
        const rng = new Rng(c.m * 999_983 + c.rows * 1013 + c.cols * 11);
        const mask = randomMask(rng, c);
        const pattern = kernels.sparsePattern(mask, c.rows, c.cols);
        const columns = maskColumns(mask, c.rows, c.cols);
        const d = uniformFloats(rng, c.m * c.rows);
        const b = uniformFloats(rng, c.m * c.cols);
        const want = new Float32Array(c.rows * c.cols);
        const scale = new Float32Array(c.rows * c.cols);
        naiveSparseMatmulAtB(d, b, columns, c.cols, want, c.m);
        naiveSparseMatmulAtB(abs(d), abs(b), columns, c.cols, scale, c.m);
        if (c.m * c.rows * c.cols <= DENSE_LIMIT) {
          const dense = new Float32Array(c.rows * c.cols);
          naiveMatmulAtB(d, b, dense, c.rows, c.m, c.cols);
          expectRelative(
            want,
            dense.map((x, e) => (mask[e] ? x : 0)),
            scale,
            MATMUL_TOLERANCE,
            `naive sparse vs dense, ${label(c)}`,
          );
        }
        const placements = c === FULL ? (["alloc"] as const) : PLACEMENTS;
        for (const placement of placements) {
          const place = placer(kernels, placement);
          const out = place.out(c.rows * c.cols);
          out.fill(Number.NaN); // every element must be written
          kernels.sparseMatmulAtB(place.input(d), place.input(b, true), pattern, out, c.m);
          const where = `${name} ${label(c)} ${placement}`;
          expectRelative(out, want, scale, MATMUL_TOLERANCE, where);
          let notZero = 0;
          for (let e = 0; e < mask.length; e++)
            if (mask[e] === 0 && !Object.is(out[e], 0)) notZero++;
          expect(notZero, `${where}: entries off the pattern that are not +0`).toBe(0);
        }
      },
    );

    it("computes the documented examples", async () => {
      const kernels = await get();
      const pattern = kernels.sparsePattern(Uint8Array.of(0, 1), 1, 2);
      expect(pattern).toMatchObject({ rows: 1, cols: 2, entries: 1 });
      const out = new Float32Array(2);
      kernels.sparseMatmulABt(Float32Array.of(5, 7), Float32Array.of(0, 3), pattern, out, 1);
      expect(out[0]).toBe(21);
      kernels.sparseMatmulAtB(Float32Array.of(1, 2), Float32Array.of(9, 3, 9, 4), pattern, out, 2);
      expect(Array.from(out)).toEqual([0, 11]);
    });

    it("gives bias for rows without entries, zeros for m = 0, and writes nothing for rows = 0", async () => {
      const kernels = await get();
      // row 0 reads inputs 0 and 2, row 1 nothing, row 2 input 1
      const pattern = kernels.sparsePattern(Uint8Array.of(1, 0, 1, 0, 0, 0, 0, 1, 0), 3, 3);
      const out = new Float32Array(6).fill(9);
      kernels.sparseMatmulABt(
        Float32Array.of(1, 2, 3, 4, 5, 6),
        Float32Array.of(1, 9, 1, 9, 9, 9, 9, 10, 9),
        pattern,
        out,
        2,
        Float32Array.of(0.5, -1, 0),
      );
      expect(Array.from(out)).toEqual([4.5, -1, 20, 10.5, -1, 50]);
      const gradient = new Float32Array(9).fill(9);
      kernels.sparseMatmulAtB(new Float32Array(0), new Float32Array(0), pattern, gradient, 0);
      expect(Array.from(gradient)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
      kernels.sparseMatmulAtB(
        Float32Array.of(1, 5, 2),
        Float32Array.of(3, 4, 5),
        pattern,
        gradient,
        1,
      );
      expect(Array.from(gradient)).toEqual([3, 0, 5, 0, 0, 0, 0, 8, 0]);
      out.fill(9);
      kernels.sparseMatmulABt(new Float32Array(0), new Float32Array(9), pattern, out, 0);
      expect(out.every((x) => x === 9)).toBe(true);
      const empty = kernels.sparsePattern(new Uint8Array(0), 0, 4);
      expect(empty.entries).toBe(0);
      kernels.sparseMatmulABt(new Float32Array(8), new Float32Array(0), empty, out, 2);
      kernels.sparseMatmulAtB(new Float32Array(0), new Float32Array(8), empty, out, 2);
      expect(out.every((x) => x === 9)).toBe(true);
    });

    it("accepts a pattern built by another implementation", async () => {
      const kernels = await get();
      const foreign = createSparsePattern(Uint8Array.of(0, 1, 1, 0, 1, 1), 2, 3);
      const out = new Float32Array(4);
      kernels.sparseMatmulABt(
        Float32Array.of(1, 2, 3, 4, 5, 6),
        Float32Array.of(9, 1, 1, 9, 2, 1),
        foreign,
        out,
        2,
      );
      expect(Array.from(out)).toEqual([5, 7, 11, 16]);
    });

    it("rejects bad shapes and foreign objects with the fix in the message", async () => {
      const kernels = await get();
      const pattern = kernels.sparsePattern(Uint8Array.of(1, 0, 0, 1, 1, 1), 2, 3);
      const badPattern = (op: SparseOp) => {
        const fake = { rows: 2, cols: 3, entries: 4 };
        return op === "sparseMatmulABt"
          ? () =>
              kernels.sparseMatmulABt(
                new Float32Array(6),
                new Float32Array(6),
                fake,
                new Float32Array(4),
                2,
              )
          : () =>
              kernels.sparseMatmulAtB(
                new Float32Array(4),
                new Float32Array(6),
                fake,
                new Float32Array(6),
                2,
              );
      };
      for (const op of ["sparseMatmulABt", "sparseMatmulAtB"] as const) {
        expect(badPattern(op)).toThrow(InfomorphError);
        expect(badPattern(op)).toThrow(
          `${op}: pattern was not built by kernels.sparsePattern(mask, rows, cols).`,
        );
      }
      expect(() =>
        kernels.sparseMatmulABt(
          new Float32Array(5),
          new Float32Array(6),
          pattern,
          new Float32Array(4),
          2,
        ),
      ).toThrow(
        "sparseMatmulABt: a has 5 elements but m·cols = 6 are needed. Check m and the pattern's rows and cols against the row-major layout.",
      );
      expect(() =>
        kernels.sparseMatmulABt(
          new Float32Array(6),
          new Float32Array(6),
          pattern,
          new Float32Array(4),
          2,
          new Float32Array(1),
        ),
      ).toThrow("sparseMatmulABt: bias has 1 elements but rows = 2 are needed.");
      expect(() =>
        kernels.sparseMatmulAtB(
          new Float32Array(4),
          new Float32Array(6),
          pattern,
          new Float32Array(5),
          2,
        ),
      ).toThrow("sparseMatmulAtB: out has 5 elements but rows·cols = 6 are needed.");
      expect(() =>
        kernels.sparseMatmulAtB(
          new Float32Array(4),
          new Float32Array(6),
          pattern,
          new Float32Array(6),
          1.5,
        ),
      ).toThrow("sparseMatmulAtB: m must be a non-negative integer below 2^31 (got 1.5).");
      expect(() => kernels.sparsePattern(new Uint8Array(5), 2, 3)).toThrow(
        "sparsePattern: mask must be a Uint8Array of at least rows·cols = 6 elements (got 5 elements).",
      );
      expect(() => kernels.sparsePattern(new Uint8Array(6), -2, 3)).toThrow(
        "sparsePattern: rows must be a non-negative integer below 2^31 (got -2).",
      );
    });
  });
}

/** A seeded random mask: `perRow` distinct columns per row, or each entry with probability `density`; every fifth row empty. */
function randomMask(rng: Rng, c: Case): Uint8Array {
  const mask = new Uint8Array(c.rows * c.cols);
  for (let r = 0; r < c.rows; r++) {
    if (r % 5 === 4) continue;
    if (c.perRow !== undefined) {
      const columns = rng.permutation(c.cols);
      for (let t = 0; t < Math.min(c.perRow, c.cols); t++) mask[r * c.cols + columns[t]] = 1;
    } else {
      for (let j = 0; j < c.cols; j++)
        mask[r * c.cols + j] = rng.uniform() < (c.density ?? 1) ? 1 : 0;
    }
  }
  return mask;
}

/** Arrays placed as asked: "mixed" puts the first operand (and bias) in alloc() one float past an aligned start, the rest plain. */
function placer(kernels: Kernels, placement: Placement) {
  const inArena = (second: boolean) => placement === "alloc" || (placement === "mixed" && !second);
  return {
    input(values: Float32Array, second = false): Float32Array {
      if (!inArena(second)) return values.slice();
      return copyInto(kernels, values, placement === "mixed" ? 1 : 0);
    },
    out(length: number): Float32Array {
      return placement === "alloc" ? kernels.alloc(length) : new Float32Array(length);
    },
  };
}
