/** Argument checks shared by every Kernels implementation, so each one rejects bad shapes with the same words. */

import { InfomorphError } from "../errors.js";

/** The products of the Kernels interface, by method name. */
export type MatmulOp = "matmulABt" | "matmulAtB";

/**
 * Checks the dimensions and array lengths of a matmul call and throws an
 * InfomorphError (code "kernels/bad-shape") naming the argument and the fix.
 * Arrays may be longer than needed (buffers sized for a larger batch): only
 * the leading elements are read or written.
 *
 * - matmulABt: a[m×k], b[n×k], out[m×n], bias[n]
 * - matmulAtB: a[k×m], b[k×n], out[m×n]
 */
export function checkMatmul(
  op: MatmulOp,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  bias?: Float32Array | null,
): void {
  checkDimension(op, "m", m);
  checkDimension(op, "k", k);
  checkDimension(op, "n", n);
  const aShape = op === "matmulABt" ? "m·k" : "k·m";
  const bShape = op === "matmulABt" ? "n·k" : "k·n";
  checkLength(op, "a", a, m * k, aShape);
  checkLength(op, "b", b, n * k, bShape);
  checkLength(op, "out", out, m * n, "m·n");
  if (bias) checkLength(op, "bias", bias, n, "n");
}

/** Checks the length passed to Kernels.alloc(). */
export function checkAllocLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InfomorphError({
      code: "kernels/bad-shape",
      path: ["length"],
      message: `alloc: length must be a non-negative integer (got ${length}).`,
    });
  }
}

function checkDimension(op: MatmulOp, name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new InfomorphError({
      code: "kernels/bad-shape",
      path: [name],
      message: `${op}: ${name} must be a non-negative integer below 2^31 (got ${value}).`,
    });
  }
}

function checkLength(
  op: MatmulOp,
  name: string,
  array: Float32Array,
  needed: number,
  formula: string,
): void {
  if (!(array instanceof Float32Array)) {
    throw new InfomorphError({
      code: "kernels/bad-shape",
      path: [name],
      message: `${op}: ${name} must be a Float32Array. Convert it with Float32Array.from(…) or use kernels.alloc().`,
    });
  }
  if (array.length < needed) {
    throw new InfomorphError({
      code: "kernels/bad-shape",
      path: [name],
      message: `${op}: ${name} has ${array.length} elements but ${formula} = ${needed} are needed. Check m, k and n against the row-major layout.`,
    });
  }
}
