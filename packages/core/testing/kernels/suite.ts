/** Test helpers shared by the kernel conformance suites (testing/kernels/*-conformance.ts): the suite's kernels, where arrays live, seeded inputs, the relative-error check. */

import type { Kernels, Rng } from "@infomorph/core";
import { expect } from "vitest";

/**
 * The kernels of one suite: `make` runs on the first call, and every test shares its result.
 * Each call first lets the event loop run (a macrotask): the suites' tests compute for seconds
 * without awaiting anything, and a test file that never yields for a minute makes vitest's
 * worker time out on its own messages ("Timeout calling onTaskUpdate") on a loaded machine.
 */
export function suiteKernels(make: () => Promise<Kernels>): () => Promise<Kernels> {
  let kernels: Kernels;
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    kernels ??= await make();
    return kernels;
  };
}

/** Where the arrays of a call live: all from alloc*(), all plain, or some of each (as each suite says). */
export type Placement = "alloc" | "plain" | "mixed";
export const PLACEMENTS: readonly Placement[] = ["alloc", "plain", "mixed"];

/**
 * A copy of `values` that the kernels use in place: an alloc*() view of the same type,
 * starting `offset` elements past an aligned address (offset 1: unaligned SIMD loads).
 */
export function copyInto<T extends Float32Array | Float64Array | Uint8Array>(
  kernels: Kernels,
  values: T,
  offset = 0,
): T {
  const length = values.length + offset;
  const block =
    values instanceof Float64Array
      ? kernels.allocFloat64(length)
      : values instanceof Uint8Array
        ? kernels.allocBytes(length)
        : kernels.alloc(length);
  const view = block.subarray(offset);
  view.set(values);
  return view as T;
}

/** `length` float32 values uniform in [−1, 1). */
export function uniformFloats(rng: Rng, length: number): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = 2 * rng.uniform() - 1;
  return values;
}

/** |values|, elementwise. */
export function abs(values: Float32Array): Float32Array {
  return values.map(Math.abs);
}

/**
 * Expects |got − want| ≤ tolerance · scale at every element (equal elements pass, infinities
 * included); a failure names the worst element.
 */
export function expectRelative(
  got: Float32Array,
  want: Float32Array,
  scale: Float32Array,
  tolerance: number,
  where: string,
): void {
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < want.length; i++) {
    const error = got[i] === want[i] ? 0 : Math.abs(got[i] - want[i]) / (scale[i] + 1e-38);
    if (!(error <= worst)) {
      worst = error;
      worstAt = i;
    }
  }
  expect(
    worst,
    `${where}: worst relative error ${worst} at ${worstAt} (got ${got[worstAt]}, want ${want[worstAt]})`,
  ).toBeLessThanOrEqual(tolerance);
}
