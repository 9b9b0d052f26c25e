/** The numeric hot paths behind one interface: WebAssembly SIMD (default) and plain TypeScript (fallback and test oracle). */

import { checkAllocLength, checkMatmul } from "./shapes.js";
import { matmulABt, matmulAtB } from "./ts/matmul.js";
import { type WasmKernelsOptions, createWasmKernels } from "./wasm/loader.js";

/**
 * The dense float32 products of a training step. Row-major arrays,
 * caller-owned output buffers; arrays may be longer than the shape needs
 * (only the leading elements are used). Outputs must not overlap inputs.
 * Bad shapes throw InfomorphError "kernels/bad-shape".
 */
export interface Kernels {
  readonly name: "wasm-simd" | "ts";
  /**
   * A Float32Array of `length` zeros that the kernels use without copying (for
   * wasm, a view into WebAssembly memory). Views stay valid for the life of the
   * Kernels object: the wasm implementation reserves its memory once, at
   * creation, and never grows it again (growing would detach every live view);
   * alloc() bumps through that fixed arena and throws "kernels/out-of-memory"
   * when it is full. Memory from alloc() is never freed: allocate buffers once
   * per model, not per step.
   */
  alloc(length: number): Float32Array;
  /**
   * out[m×n] = a[m×k] · b[n×k]ᵀ (+ bias[n] if given); the layer forward X·Wᵀ.
   * Masks are the caller's (masked weights are zero). Tolerance against ts/:
   * 1e-5 relative to Σ_p |a·b| + |bias| (float32 summation order).
   */
  matmulABt(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
    bias?: Float32Array | null,
  ): void;
  /**
   * out[m×n] = a[k×m]ᵀ · b[k×n]; the weight gradient Dᵀ·X (m = neurons,
   * k = batch, n = inputs). Tolerance as for matmulABt.
   */
  matmulAtB(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
  ): void;
}

/**
 * The fastest kernels this runtime supports: WebAssembly SIMD when the engine
 * validates SIMD128 and the module instantiates, otherwise plain TypeScript.
 * Tries WebAssembly once per call. Never rejects for lack of WebAssembly; it
 * rejects only for invalid options (InfomorphError). Show `kernels.name` in run
 * configs and bench output so the choice is visible.
 *
 * @example const kernels = await pickKernels(); kernels.name // "wasm-simd" on Node 20
 */
export async function pickKernels(options: WasmKernelsOptions = {}): Promise<Kernels> {
  try {
    return await createWasmKernels(options);
  } catch (error) {
    if (isOptionsError(error)) throw error;
    return tsKernels();
  }
}

/** The plain TypeScript kernels (ts/): always available; about 1–3 GFLOP/s. */
export function tsKernels(): Kernels {
  return {
    name: "ts",
    alloc(length) {
      checkAllocLength(length);
      return new Float32Array(length);
    },
    matmulABt(a, b, out, m, k, n, bias) {
      checkMatmul("matmulABt", a, b, out, m, k, n, bias);
      matmulABt(a, b, out, m, k, n, bias);
    },
    matmulAtB(a, b, out, m, k, n) {
      checkMatmul("matmulAtB", a, b, out, m, k, n);
      matmulAtB(a, b, out, m, k, n);
    },
  };
}

function isOptionsError(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { code?: unknown }).code === "kernels/bad-options"
  );
}
