/** The one test suite every Kernels implementation passes: results against naive float64 loops (testing/naive-kernels.ts) on seeded random inputs with awkward shapes. */

import { InfomorphError, type Kernels, Rng } from "@infomorph/core";
import type { MatmulOp } from "@infomorph/core/kernels";
import { describe, expect, it } from "vitest";
import { naiveMatmulABt, naiveMatmulAtB } from "../naive-kernels.js";
import {
  PLACEMENTS,
  type Placement,
  abs,
  copyInto,
  expectRelative,
  suiteKernels,
  uniformFloats,
} from "./suite.js";

/**
 * Tolerance, relative to Σ_p |a·b| + |bias| of each output: float32 summation
 * in a different order (blocked, SIMD lanes) against the float64-accumulated
 * definition (the naive loops). Observed worst case with k = 1024 is about 1e-6.
 */
export const MATMUL_TOLERANCE = 1e-5;

/**
 * m × k × n. Sizes 1, 3, 7, 33 hit every SIMD and tile tail; 100, 784, 1024 are
 * MNIST's and cross the cache blocks of wasm/matmul.c (MC = 120, KC = 256, NC = 1024).
 */
const SMALL = [1, 3, 7, 33];
const SHAPES: readonly [number, number, number][] = [
  ...SMALL.flatMap((m) =>
    SMALL.flatMap((k) => SMALL.map((n): [number, number, number] => [m, k, n])),
  ),
  [1024, 784, 100],
  [100, 1024, 784],
  [1024, 100, 100],
  [100, 784, 1024],
  [33, 784, 7],
  [7, 1024, 33],
  [100, 3, 784],
  [1, 784, 1024],
  [1024, 1, 3],
  [784, 33, 100],
  [3, 1024, 100],
  [33, 513, 100], // k blocks of 172, 172, 169: a k tail that is not a multiple of 4
  [5, 33, 1100], // n crosses the 1024-column B panel
  [130, 300, 1030],
];

/**
 * Registers the conformance tests for one implementation. `make` is called
 * once; the kernels are shared by all tests of the suite.
 *
 * @example runKernelSuite("wasm-simd", () => createWasmKernels());
 */
export function runKernelSuite(name: string, make: () => Promise<Kernels>): void {
  describe(`${name} kernels`, () => {
    const get = suiteKernels(make);

    const ops: readonly { op: MatmulOp; bias: boolean }[] = [
      { op: "matmulABt", bias: false },
      { op: "matmulABt", bias: true },
      { op: "matmulAtB", bias: false },
    ];
    for (const { op, bias } of ops) {
      const label = `${op}${bias ? " + bias" : ""}`;
      it.each(SHAPES)(`${label} matches the naive product for m=%i k=%i n=%i`, async (m, k, n) => {
        const kernels = await get();
        const rng = new Rng(m * 1_000_003 + k * 1009 + n * 7 + (bias ? 1 : 0));
        const a = uniformFloats(rng, m * k);
        const b = uniformFloats(rng, n * k);
        const biasValues = bias ? uniformFloats(rng, n) : null;
        const want = new Float32Array(m * n);
        const scale = new Float32Array(m * n);
        reference(op, a, b, want, m, k, n, biasValues);
        reference(op, abs(a), abs(b), scale, m, k, n, biasValues && abs(biasValues));
        for (const placement of PLACEMENTS) {
          const got = run(kernels, placement, op, a, b, m, k, n, biasValues);
          expectRelative(
            got,
            want,
            scale,
            MATMUL_TOLERANCE,
            `${name} ${label} ${m}×${k}×${n} ${placement}`,
          );
        }
      });
    }

    it("gives bias (or zeros) for k = 0 and writes nothing for m = 0 or n = 0", async () => {
      const kernels = await get();
      const out = new Float32Array(6).fill(9);
      kernels.matmulABt(
        new Float32Array(0),
        new Float32Array(0),
        out,
        2,
        0,
        3,
        Float32Array.of(1, 2, 3),
      );
      expect(Array.from(out)).toEqual([1, 2, 3, 1, 2, 3]);
      kernels.matmulAtB(new Float32Array(0), new Float32Array(0), out, 2, 0, 3);
      expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
      out.fill(9);
      kernels.matmulABt(new Float32Array(0), new Float32Array(12), out, 0, 4, 3);
      kernels.matmulAtB(new Float32Array(8), new Float32Array(0), out, 2, 4, 0);
      expect(Array.from(out)).toEqual([9, 9, 9, 9, 9, 9]);
    });

    it("computes the documented examples", async () => {
      const kernels = await get();
      const out = new Float32Array(2);
      kernels.matmulABt(Float32Array.of(1, 2, 3, 4), Float32Array.of(1, 1), out, 2, 2, 1);
      expect(Array.from(out)).toEqual([3, 7]);
      kernels.matmulAtB(Float32Array.of(1, 2), Float32Array.of(3, 4), out, 1, 2, 1);
      expect(out[0]).toBe(11);
    });

    it("reads only the leading elements of longer arrays and leaves the rest of out alone", async () => {
      const kernels = await get();
      const out = new Float32Array(5).fill(-1);
      kernels.matmulABt(Float32Array.of(1, 2, 3, 4, 99), Float32Array.of(1, 1, 99), out, 2, 2, 1);
      expect(Array.from(out)).toEqual([3, 7, -1, -1, -1]);
    });

    it("returns zero-filled alloc() views that stay valid across many calls", async () => {
      const kernels = await get();
      const first = kernels.alloc(1000);
      first.fill(5);
      for (let i = 0; i < 20; i++) {
        const view = kernels.alloc(4096 + i);
        expect(view.every((x) => x === 0)).toBe(true);
        kernels.matmulABt(
          uniformFloats(new Rng(i), 64 * 64),
          uniformFloats(new Rng(i + 1), 64 * 64),
          new Float32Array(64 * 64),
          64,
          64,
          64,
        );
      }
      expect(first.length).toBe(1000);
      expect(first.every((x) => x === 5)).toBe(true);
    });

    it("rejects bad shapes with the fix in the message", async () => {
      const kernels = await get();
      const call = () =>
        kernels.matmulABt(new Float32Array(5), new Float32Array(6), new Float32Array(4), 2, 3, 2);
      expect(call).toThrow(InfomorphError);
      expect(call).toThrow(
        "matmulABt: a has 5 elements but m·k = 6 are needed. Check m, k and n against the row-major layout.",
      );
      expect(() =>
        kernels.matmulAtB(new Float32Array(6), new Float32Array(6), new Float32Array(3), 2, 3, 2),
      ).toThrow("matmulAtB: out has 3 elements but m·n = 4 are needed.");
      expect(() =>
        kernels.matmulABt(
          new Float32Array(6),
          new Float32Array(6),
          new Float32Array(4),
          2,
          3,
          2,
          new Float32Array(1),
        ),
      ).toThrow("matmulABt: bias has 1 elements but n = 2 are needed.");
      expect(() =>
        kernels.matmulAtB(new Float32Array(6), new Float32Array(6), new Float32Array(4), 2, 1.5, 2),
      ).toThrow("matmulAtB: k must be a non-negative integer below 2^31 (got 1.5).");
      expect(() => kernels.alloc(-1)).toThrow(
        "alloc: length must be a non-negative integer (got -1).",
      );
    });
  });
}

function reference(
  op: MatmulOp,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  bias: Float32Array | null,
): void {
  if (op === "matmulABt") naiveMatmulABt(a, b, out, m, k, n, bias);
  else naiveMatmulAtB(a, b, out, m, k, n);
}

/** Runs one product with its arrays placed as asked; returns a copy of out. */
function run(
  kernels: Kernels,
  placement: Placement,
  op: MatmulOp,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  bias: Float32Array | null,
): Float32Array {
  // "mixed": a and bias from alloc() one float past an aligned start (unaligned SIMD), b and out plain.
  const place = (values: Float32Array, inArena: boolean): Float32Array =>
    inArena ? copyInto(kernels, values, placement === "mixed" ? 1 : 0) : values.slice();
  const arenaIn = placement !== "plain";
  const arenaOut = placement === "alloc";
  const pa = place(a, arenaIn);
  const pb = place(b, placement === "alloc");
  const pBias = bias && place(bias, arenaIn);
  const out = arenaOut ? kernels.alloc(m * n) : new Float32Array(m * n);
  out.fill(Number.NaN); // every element must be written
  if (op === "matmulABt") kernels.matmulABt(pa, pb, out, m, k, n, pBias);
  else kernels.matmulAtB(pa, pb, out, m, k, n);
  return out.slice();
}
