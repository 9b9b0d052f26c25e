/** The test suite of the layer kernels (activation with sampling, δ, transpose) every Kernels implementation passes: results against the naive formulas (../naive-kernels.ts) on seeded random inputs; the activation tests are activation-conformance.ts. */

import { type Kernels, Rng } from "@infomorph/core";
import { describe, expect, it } from "vitest";
import { naiveLayerDelta, naiveTranspose } from "../naive-kernels.js";
import { activationTests } from "./activation-conformance.js";
import { copyInto, expectRelative, suiteKernels } from "./suite.js";

/** δ and the bias gradient: relative to |δ| and Σ_i |δ| (both implementations give the same bits today). */
export const DELTA_TOLERANCE = 1e-6;

/**
 * Registers the layer-kernel tests for one implementation; `make` is called once.
 *
 * @example runLayerKernelSuite("wasm-simd", () => createWasmKernels());
 */
export function runLayerKernelSuite(name: string, make: () => Promise<Kernels>): void {
  describe(`${name} layer kernels`, () => {
    const get = suiteKernels(make);

    activationTests(name, get);

    describe("layerDelta", () => {
      const SHAPES: readonly [number, number][] = [
        [1, 1],
        [3, 7],
        [7, 3],
        [33, 5],
        [5, 33],
        [1, 100],
        [100, 1],
        [1024, 100],
        [1023, 101],
        [0, 4],
      ];
      it.each(SHAPES)("matches the naive formula for count=%i n=%i", async (count, n) => {
        const kernels = await get();
        const rng = new Rng(count * 1009 + n);
        const cells = count * n;
        const gradient = new Float64Array(cells).map((_, e) =>
          e % 11 === 0 ? 0 : (rng.uniform() - 0.5) * 10 ** (6 * rng.uniform() - 3),
        );
        const theta = new Float32Array(cells).map((_, e) => (e % 13 === 0 ? e % 2 : rng.uniform()));
        const dA = new Float32Array(cells).map(
          () => (rng.uniform() - 0.3) * 10 ** (4 * rng.uniform() - 2),
        );
        const want = { delta: new Float32Array(cells), bias: new Float32Array(n) };
        naiveLayerDelta(gradient, theta, dA, want.delta, want.bias, count, n);
        const scale = new Float32Array(n);
        for (let e = 0; e < cells; e++) scale[e % n] += Math.abs(want.delta[e]);
        for (const placement of ["alloc", "plain"] as const) {
          const place = <T extends Float32Array | Float64Array>(v: T): T =>
            placement === "plain" ? (v.slice() as T) : copyInto(kernels, v);
          const delta = place(new Float32Array(cells).fill(Number.NaN));
          const bias = place(new Float32Array(n).fill(Number.NaN));
          kernels.layerDelta(place(gradient), place(theta), place(dA), delta, bias, count, n);
          const where = `${name} layerDelta ${count}×${n} ${placement}`;
          expectRelative(delta, want.delta, want.delta.map(Math.abs), DELTA_TOLERANCE, where);
          expectRelative(bias, want.bias, scale, DELTA_TOLERANCE, `${where} bias`);
        }
      });

      it("computes the documented example", async () => {
        const kernels = await get();
        const delta = new Float32Array(1);
        const bias = new Float32Array(1);
        kernels.layerDelta(
          Float64Array.of(2),
          Float32Array.of(0.5),
          Float32Array.of(1),
          delta,
          bias,
          1,
          1,
        );
        expect([delta[0], bias[0]]).toEqual([-0.5, -0.5]);
      });

      it("rejects a float32 gradient", async () => {
        const kernels = await get();
        const f = new Float32Array(4);
        expect(() =>
          kernels.layerDelta(f as unknown as Float64Array, f, f, f, new Float32Array(2), 2, 2),
        ).toThrow("layerDelta: gradient must be a Float64Array.");
      });
    });

    describe("transposeToNeuronMajor", () => {
      const SHAPES: readonly [number, number][] = [
        [1, 1],
        [1, 7],
        [7, 1],
        [3, 5],
        [4, 4],
        [33, 7],
        [1024, 100],
        [1027, 3],
        [0, 5],
      ];
      it.each(SHAPES)("is exact for count=%i n=%i", async (count, n) => {
        const kernels = await get();
        const rng = new Rng(count * 7 + n);
        const theta = new Float32Array(count * n).map(() => rng.uniform());
        const want = new Float64Array(count * n);
        naiveTranspose(theta, want, count, n);
        for (const placement of ["alloc", "plain"] as const) {
          const out =
            placement === "alloc"
              ? kernels.allocFloat64(count * n + 2)
              : new Float64Array(count * n + 2);
          out.fill(-1);
          const input = placement === "alloc" ? copyInto(kernels, theta) : theta;
          kernels.transposeToNeuronMajor(input, out, count, n);
          expect(Array.from(out.subarray(0, count * n))).toEqual(Array.from(want));
          expect(Array.from(out.subarray(count * n))).toEqual([-1, -1]);
        }
      });

      it("computes the documented example", async () => {
        const kernels = await get();
        const out = new Float64Array(6);
        kernels.transposeToNeuronMajor(Float32Array.of(1, 2, 3, 4, 5, 6), out, 2, 3);
        expect(Array.from(out)).toEqual([1, 4, 2, 5, 3, 6]);
      });
    });
  });
}
