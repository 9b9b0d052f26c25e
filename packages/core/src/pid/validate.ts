/** Checks a joint probability table before its PID is computed, with errors that name the problem and the fix. */

import { InfomorphError } from "../errors.js";
import { MAX_SOURCES } from "./lattice.js";

/** Sums may be off from 1 by at most this much before a table counts as not normalised. */
export const NORMALISATION_TOLERANCE = 1e-9;

/**
 * The tolerance for a Float32Array table: rounding each probability to float32 moves the sum
 * by up to 2⁻²⁴ ≈ 6e-8, and a sum accumulated in float32 over a few hundred cells by more, so
 * |Σp − 1| ≤ 1e-6 is accepted, and the table is then divided by its sum in float64.
 */
export const FLOAT32_NORMALISATION_TOLERANCE = 1e-6;

/**
 * Validate a flat C-order table p over `shape` (source axes first, target last) and
 * return it as float64 probabilities. The entries must sum to 1 within 1e-9
 * (NORMALISATION_TOLERANCE), or, for a Float32Array, within 1e-6
 * (FLOAT32_NORMALISATION_TOLERANCE: float32 round-off), in which case the table is divided
 * by its sum in float64. With `normalize`, non-negative counts (or any non-negative weights)
 * are divided by their sum instead of being rejected.
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
  if (!Array.isArray(p) && !(ArrayBuffer.isView(p) && !(p instanceof DataView))) {
    throw new InfomorphError({
      code: "table/not-array",
      path: ["p"],
      message: `the table must be an array of probabilities (got ${p === null ? "null" : typeof p}): flat, C order, target last, e.g. [0.25, 0, 0, 0.25, 0, 0.25, 0.25, 0] for XOR.`,
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
  const float32 = p instanceof Float32Array;
  const tolerance = float32 ? FLOAT32_NORMALISATION_TOLERANCE : NORMALISATION_TOLERANCE;
  if (Math.abs(sum - 1) > tolerance) {
    const hint = float32
      ? ""
      : Math.abs(sum - 1) <= FLOAT32_NORMALISATION_TOLERANCE
        ? " If the table was computed in float32, pass it as a Float32Array (tolerance 1e-6)."
        : "";
    throw new InfomorphError({
      code: "table/not-normalised",
      path: ["p"],
      message: `probabilities sum to ${sum.toPrecision(12)}, expected 1 ± ${tolerance}. Divide by the sum, or normalise explicitly (normalize: true; CLI: --normalize) to accept counts.${hint}`,
    });
  }
  // float32 round-off: renormalised in float64, so the PID sees a distribution
  return float32 ? Float64Array.from(p, (v) => v / sum) : Float64Array.from(p);
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
