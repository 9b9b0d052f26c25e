/** Checks a joint probability table before its PID is computed, with errors that name the problem and the fix. */

import { InfomorphError } from "../errors.js";
import { MAX_SOURCES } from "./lattice.js";

/** Sums may be off from 1 by at most this much before a table counts as not normalised. */
export const NORMALISATION_TOLERANCE = 1e-9;

/**
 * Validate a flat C-order table p over `shape` (source axes first, target last) and
 * return it as float64 probabilities. With `normalize`, non-negative counts (or any
 * non-negative weights) are divided by their sum instead of being rejected.
 */
export function validateTable(
  p: ArrayLike<number>,
  shape: readonly number[],
  normalize = false,
): Float64Array {
  if (
    !Array.isArray(shape) ||
    shape.length < 2 ||
    shape.some((s) => !Number.isInteger(s) || s < 1)
  ) {
    throw new InfomorphError({
      code: "table/bad-shape",
      path: ["shape"],
      message: `shape must list at least 2 axis sizes (1 or more sources, then the target), each a positive integer (got ${JSON.stringify(shape)}).`,
    });
  }
  const sources = shape.length - 1;
  if (sources > MAX_SOURCES) {
    throw new InfomorphError({
      code: "table/too-many-sources",
      path: ["shape"],
      message: `the table has ${sources} sources; the I^sx lattice supports at most ${MAX_SOURCES} (7579 atoms). Merge sources into fewer axes.`,
    });
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (p.length !== size) {
    throw new InfomorphError({
      code: "table/length-mismatch",
      path: ["p"],
      message: `the table has ${p.length} entries but shape ${JSON.stringify(shape)} needs ${size} (the product of the axis sizes, C order, target last).`,
    });
  }
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const v = p[i];
    if (!Number.isFinite(v) || v < 0) {
      throw new InfomorphError({
        code: Number.isFinite(v) ? "table/negative" : "table/not-finite",
        path: ["p", i],
        message: `entry ${i} (cell ${JSON.stringify(cellOf(i, shape))}) is ${v}; every probability must be a finite number ≥ 0.`,
      });
    }
    sum += v;
  }
  if (normalize) {
    if (sum <= 0) {
      throw new InfomorphError({
        code: "table/empty",
        path: ["p"],
        message: "every entry of the table is 0, so there is no distribution to normalise.",
      });
    }
    return Float64Array.from(p, (v) => v / sum);
  }
  if (Math.abs(sum - 1) > NORMALISATION_TOLERANCE) {
    throw new InfomorphError({
      code: "table/not-normalised",
      path: ["p"],
      message: `probabilities sum to ${sum.toPrecision(12)}, expected 1 ± ${NORMALISATION_TOLERANCE}. Divide by the sum, or normalise explicitly (normalize: true; CLI: --normalize) to accept counts.`,
    });
  }
  return Float64Array.from(p);
}

/** The multi-index of flat entry i of a C-order array with this shape. */
export function cellOf(i: number, shape: readonly number[]): number[] {
  const cell = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    cell[axis] = i % shape[axis];
    i = Math.floor(i / shape[axis]);
  }
  return cell;
}
