/** Argument checks shared by every Kernels implementation, so each one rejects bad shapes with the same words. */

import { InfomorphError } from "../errors.js";
import { type ActivationSpec, activationSources } from "./params.js";

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
  const dimensions = "m, k and n";
  checkLength(op, "a", a, m * k, aShape, dimensions);
  checkLength(op, "b", b, n * k, bShape, dimensions);
  checkLength(op, "out", out, m * n, "m·n", dimensions);
  if (bias) checkLength(op, "bias", bias, n, "n", dimensions);
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

/**
 * Checks a dimension or count argument of kernel `op`: a non-negative integer below 2^31;
 * otherwise throws InfomorphError "kernels/bad-shape" naming it.
 */
export function checkDimension(op: string, name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new InfomorphError({
      code: "kernels/bad-shape",
      path: [name],
      message: `${op}: ${name} must be a non-negative integer below 2^31 (got ${value}).`,
    });
  }
}

/**
 * Checks that operand `name` of a product is a Float32Array of at least `needed` (= `formula`)
 * elements; otherwise throws InfomorphError "kernels/bad-shape", whose message asks to check
 * `dimensions` against the row-major layout.
 */
export function checkLength(
  op: string,
  name: string,
  array: Float32Array,
  needed: number,
  formula: string,
  dimensions: string,
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
      message: `${op}: ${name} has ${array.length} elements but ${formula} = ${needed} are needed. Check ${dimensions} against the row-major layout.`,
    });
  }
}

/** The layer kernels of the Kernels interface, by method name. */
export type LayerOp = "activateLayer" | "layerDelta" | "transposeToNeuronMajor";

/**
 * Checks an activateLayer call: one s and one dA array per source of the activation, and
 * every array at least `cells` floats long.
 */
export function checkActivateLayer(
  activation: ActivationSpec,
  s: readonly Float32Array[],
  a: Float32Array,
  dA: readonly Float32Array[],
  theta: Float32Array,
  samples: Float32Array,
  cells: number,
): void {
  const op: LayerOp = "activateLayer";
  checkDimension(op, "cells", cells);
  for (const [name, arrays] of [
    ["s", s],
    ["dA", dA],
  ] as const) {
    const sources = activationSources(activation);
    if (arrays.length !== sources) {
      throw new InfomorphError({
        code: "kernels/bad-shape",
        path: [name],
        message: `${op}: ${name} holds ${arrays.length} arrays but the ${activation.kind} activation takes ${sources} sources. Pass one Float32Array per source, F first.`,
      });
    }
    arrays.forEach((v, j) => checkArray(op, `${name}[${j}]`, v, Float32Array, cells, "cells"));
  }
  checkArray(op, "a", a, Float32Array, cells, "cells");
  checkArray(op, "theta", theta, Float32Array, cells, "cells");
  checkArray(op, "samples", samples, Float32Array, cells, "cells");
}

/** Checks a layerDelta call: gradient[n×count] float64; theta, dA, delta [count×n] and biasGrad[n] float32. */
export function checkLayerDelta(
  gradient: Float64Array,
  theta: Float32Array,
  dA: Float32Array,
  delta: Float32Array,
  biasGrad: Float32Array,
  count: number,
  n: number,
): void {
  const op: LayerOp = "layerDelta";
  checkDimension(op, "count", count);
  checkDimension(op, "n", n);
  checkArray(op, "gradient", gradient, Float64Array, count * n, "count·n");
  checkArray(op, "theta", theta, Float32Array, count * n, "count·n");
  checkArray(op, "dA", dA, Float32Array, count * n, "count·n");
  checkArray(op, "delta", delta, Float32Array, count * n, "count·n");
  checkArray(op, "biasGrad", biasGrad, Float32Array, n, "n");
}

/** Checks a transposeToNeuronMajor call: theta[count×n] float32, out[n×count] float64. */
export function checkTranspose(theta: Float32Array, out: Float64Array, count: number, n: number) {
  const op: LayerOp = "transposeToNeuronMajor";
  checkDimension(op, "count", count);
  checkDimension(op, "n", n);
  checkArray(op, "theta", theta, Float32Array, count * n, "count·n");
  checkArray(op, "out", out, Float64Array, count * n, "count·n");
}

/** Checks that `array` is a `type` of at least `needed` (= `formula`) elements. */
function checkArray(
  op: string,
  name: string,
  array: Float32Array | Float64Array | Uint8Array,
  type: Float32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor,
  needed: number,
  formula: string,
): void {
  if (!(array instanceof type)) {
    throw new InfomorphError({
      code: "kernels/bad-shape",
      path: [name],
      message: `${op}: ${name} must be a ${type.name}. Convert it with ${type.name}.from(…) or allocate it with the kernels.`,
    });
  }
  if (array.length < needed) {
    throw new InfomorphError({
      code: "kernels/bad-shape",
      path: [name],
      message: `${op}: ${name} has ${array.length} elements but ${formula} = ${needed} are needed.`,
    });
  }
}

/**
 * Checks an adamStep call: params, grad, m and v Float32Arrays and mask (if any) a Uint8Array,
 * each at least `size` long.
 */
export function checkAdamStep(
  params: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  mask: Uint8Array | null,
  size: number,
): void {
  checkDimension("adamStep", "size", size);
  const arrays = [
    ["params", params, Float32Array],
    ["grad", grad, Float32Array],
    ["m", m, Float32Array],
    ["v", v, Float32Array],
    ["mask", mask, Uint8Array],
  ] as const;
  for (const [name, array, type] of arrays) {
    if (array !== null) checkArray("adamStep", name, array, type, size, "size");
  }
}
