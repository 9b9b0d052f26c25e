/** The two backends of the Kernels contract: WebAssembly SIMD (default) and plain TypeScript (fallback and test oracle), and the choice between them. */

import type { Kernels } from "./contract.js";
import {
  checkActivateLayer,
  checkAdamStep,
  checkAllocLength,
  checkLayerDelta,
  checkMatmul,
  checkTranspose,
} from "./shapes.js";
import { checkSparseMatmul, createSparsePattern } from "./sparse-pattern.js";
import { adamStep } from "./ts/adam.js";
import { binLayer } from "./ts/binning.js";
import { activateLayer, layerDelta, transposeToNeuronMajor } from "./ts/layer.js";
import { matmulABt, matmulAtB } from "./ts/matmul.js";
import { sparseMatmulABt, sparseMatmulAtB } from "./ts/sparse.js";
import { type WasmKernelsOptions, createWasmKernels } from "./wasm/loader.js";

export type { Kernels };

/**
 * The fastest kernels this runtime supports: WebAssembly SIMD, or plain TypeScript where the
 * engine has no WebAssembly SIMD128 (createWasmKernels' "kernels/no-wasm-simd"; Node 20+ and
 * current browsers all have it). Every other failure rejects: invalid options, and a shipped
 * module that does not compile ("kernels/corrupt-module": a damaged install is repaired, not
 * run slower without notice). Show `kernels.name` in run configs and bench output so the
 * choice is visible.
 *
 * @example const kernels = await pickKernels(); kernels.name // "wasm-simd" on Node 20, 22, 24
 */
export async function pickKernels(options: WasmKernelsOptions = {}): Promise<Kernels> {
  try {
    return await createWasmKernels(options);
  } catch (error) {
    if (errorCode(error) === "kernels/no-wasm-simd") return tsKernels();
    throw error;
  }
}

/** The plain TypeScript kernels (ts/): always available; about 1–3 GFLOP/s. */
export function tsKernels(): Kernels {
  return {
    name: "ts",
    threads: 1,
    runPid(estimator, input, output) {
      estimator.run(input, output);
    },
    close() {},
    alloc(length) {
      checkAllocLength(length);
      return new Float32Array(length);
    },
    allocFloat64(length) {
      checkAllocLength(length);
      return new Float64Array(length);
    },
    allocBytes(length) {
      checkAllocLength(length);
      return new Uint8Array(length);
    },
    matmulABt(a, b, out, m, k, n, bias) {
      checkMatmul("matmulABt", a, b, out, m, k, n, bias);
      matmulABt(a, b, out, m, k, n, bias);
    },
    matmulAtB(a, b, out, m, k, n) {
      checkMatmul("matmulAtB", a, b, out, m, k, n);
      matmulAtB(a, b, out, m, k, n);
    },
    activateLayer(activation, s, a, dA, theta, samples, cells, rng) {
      checkActivateLayer(activation, s, a, dA, theta, samples, cells);
      activateLayer(activation, s, a, dA, theta, samples, cells, rng);
    },
    layerDelta(gradient, theta, dA, delta, biasGrad, count, n) {
      checkLayerDelta(gradient, theta, dA, delta, biasGrad, count, n);
      layerDelta(gradient, theta, dA, delta, biasGrad, count, n);
    },
    transposeToNeuronMajor(theta, out, count, n) {
      checkTranspose(theta, out, count, n);
      transposeToNeuronMajor(theta, out, count, n);
    },
    sparsePattern(mask, rows, cols) {
      return createSparsePattern(mask, rows, cols);
    },
    sparseMatmulABt(a, w, pattern, out, m, bias) {
      const csr = checkSparseMatmul("sparseMatmulABt", a, w, pattern, out, m, bias);
      sparseMatmulABt(a, w, csr, out, m, pattern.cols, pattern.rows, bias);
    },
    sparseMatmulAtB(d, b, pattern, out, m) {
      const csr = checkSparseMatmul("sparseMatmulAtB", d, b, pattern, out, m);
      sparseMatmulAtB(d, b, csr, out, m, pattern.cols, pattern.rows);
    },
    binLayer,
    adamStep(params, grad, m, v, mask, size, step) {
      checkAdamStep(params, grad, m, v, mask, size);
      adamStep(params, grad, m, v, mask, size, step);
    },
  };
}

function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null
    ? (error as { code?: unknown }).code
    : undefined;
}
