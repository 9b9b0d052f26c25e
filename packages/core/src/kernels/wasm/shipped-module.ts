/** Loading the WebAssembly modules that ship as base64 (*.wasm.ts): whether the engine can run them (SIMD128), and compiling them, where a damaged one is a loud InfomorphError that says how to repair it, never a quiet fallback to TypeScript. */

import { decodeBase64 } from "../../codec/base64.js";
import { InfomorphError } from "../../errors.js";
import type { WebAssemblyApi } from "./webassembly.js";

// The global WebAssembly, typed as far as core uses it (see webassembly.ts).
declare const WebAssembly: typeof WebAssemblyApi;

/**
 * The smallest module that uses SIMD128: (func (result v128) i32.const 0
 * i8x16.splat i8x16.popcnt). Engines without SIMD fail to validate it.
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
  253, 98, 11,
]);

/** Whether this runtime has WebAssembly with the SIMD128 proposal. */
export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * The error for a shipped module that does not decode, compile or instantiate: the installed
 * package is damaged (or a *.wasm.ts was edited), and running on would be silently slower or
 * wrong. Code "kernels/corrupt-module"; path: the module's file.
 */
export function corruptModuleError(file: string, cause: unknown): InfomorphError {
  // An InfomorphError's message already names the problem; an engine's error needs its name.
  const reason =
    cause instanceof InfomorphError
      ? cause.message.replace(/\.$/, "")
      : cause instanceof Error
        ? `${cause.name}: ${cause.message}`
        : String(cause);
  return new InfomorphError({
    code: "kernels/corrupt-module",
    path: [file],
    message: `the shipped WebAssembly module ${file} is damaged (${reason}). Reinstall infomorph (npm ci, or npm install @infomorph/core); to run without WebAssembly meanwhile, use tsKernels() and the estimator's engine: "typescript".`,
  });
}

/** The bytes of a *.wasm.ts's base64 string; one that is not base64 throws corruptModuleError. */
function shippedBytes(file: string, base64: string): Uint8Array {
  try {
    return decodeBase64(base64, "");
  } catch (error) {
    throw corruptModuleError(file, error);
  }
}

/** The module of a *.wasm.ts, compiled off the calling thread; a damaged one rejects with corruptModuleError. */
export async function compileShipped(file: string, base64: string): Promise<WebAssemblyApi.Module> {
  const bytes = shippedBytes(file, base64);
  try {
    return await WebAssembly.compile(bytes);
  } catch (error) {
    throw corruptModuleError(file, error);
  }
}

/**
 * The module of a *.wasm.ts, compiled synchronously; null where the engine refuses that
 * (browsers' main threads, for modules over 4 KiB: a RangeError), so the caller uses its
 * TypeScript path. A damaged module throws corruptModuleError.
 */
export function compileShippedSync(file: string, base64: string): WebAssemblyApi.Module | null {
  const bytes = shippedBytes(file, base64);
  try {
    return new WebAssembly.Module(bytes);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw corruptModuleError(file, error);
  }
}
