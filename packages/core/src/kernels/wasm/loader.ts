/** Instantiates the prebuilt WebAssembly SIMD matmul module and exposes it as Kernels. */

import { InfomorphError } from "../../errors.js";
import type { Kernels } from "../kernels.js";
import { checkAllocLength, checkMatmul } from "../shapes.js";
import { Arena } from "./arena.js";
import { decodeBase64 } from "./base64.js";
import { matmulWasmBase64 } from "./matmul.wasm.js";

// core's lib is ES2022 without DOM, so the part of the WebAssembly JS API used
// here is declared locally (Node ≥ 16 and every browser with SIMD have it).
declare namespace WebAssembly {
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  function validate(bytes: Uint8Array): boolean;
  function instantiate(
    bytes: Uint8Array,
    imports?: Record<string, unknown>,
  ): Promise<{ instance: Instance }>;
}

/** What matmul.c exports (pointers are byte addresses; 0 means "no bias"). */
interface MatmulExports {
  memory: WebAssembly.Memory;
  __heap_base: { value: number };
  matmul_abt(
    a: number,
    b: number,
    out: number,
    m: number,
    k: number,
    n: number,
    bias: number,
  ): void;
  matmul_atb(a: number, b: number, out: number, m: number, k: number, n: number): void;
}

export interface WasmKernelsOptions {
  /**
   * WebAssembly memory reserved at creation, MiB (default 128, from 2 to 1024,
   * the module's declared maximum). It holds every alloc() buffer plus, during
   * a call, copies of arguments that are not alloc() views. The memory is
   * grown once, here, and never again, so views from alloc() never detach.
   * Engines reserve address space and commit pages only when touched, so an
   * unused reservation costs little real memory.
   */
  memoryMiB?: number;
}

const PAGE_BYTES = 65536;
const MAX_MEMORY_MIB = 1024; // = -Wl,--max-memory in scripts/build-kernels.sh

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
 * The WebAssembly SIMD kernels (wasm/matmul.c, 5×8 micro-kernel, packed
 * operands): about 35–40 GFLOP/s on one Zen 4 core. Arrays from alloc() are
 * used in place; any other Float32Array is copied into scratch memory for the
 * call (and out copied back), so both work.
 * Rejects with "kernels/no-wasm-simd" where SIMD is missing, and with
 * "kernels/bad-options" for a bad memoryMiB; pickKernels() falls back on the first.
 */
export async function createWasmKernels(options: WasmKernelsOptions = {}): Promise<Kernels> {
  const memoryMiB = options.memoryMiB ?? 128;
  if (!Number.isInteger(memoryMiB) || memoryMiB < 2 || memoryMiB > MAX_MEMORY_MIB) {
    throw new InfomorphError({
      code: "kernels/bad-options",
      path: ["memoryMiB"],
      message: `memoryMiB must be an integer from 2 to ${MAX_MEMORY_MIB} (got ${memoryMiB}). Try 128.`,
    });
  }
  if (!wasmSimdSupported()) {
    throw new InfomorphError({
      code: "kernels/no-wasm-simd",
      message:
        "this runtime has no WebAssembly SIMD128. Use tsKernels(), or pickKernels() to fall back by itself.",
    });
  }
  const { instance } = await WebAssembly.instantiate(decodeBase64(matmulWasmBase64), {});
  const wasm = instance.exports as unknown as MatmulExports;
  const pages = (memoryMiB * 1024 * 1024) / PAGE_BYTES;
  const current = wasm.memory.buffer.byteLength / PAGE_BYTES;
  if (pages > current) wasm.memory.grow(pages - current);
  // From here on memory never grows, so this buffer and all views of it stay valid.
  const buffer = wasm.memory.buffer;
  const arena = new Arena(buffer, wasm.__heap_base.value, buffer.byteLength);

  /** The address of `array` in wasm memory, copying its first `length` floats to scratch if needed. */
  const input = (array: Float32Array, length: number): number => {
    const address = arena.addressOf(array);
    if (address >= 0) return address;
    const copy = arena.scratch(length);
    copy.set(array.subarray(0, length));
    return copy.byteOffset;
  };
  /** Runs `compute` with out's address; results computed in scratch are copied back to out. */
  const withOutput = (out: Float32Array, length: number, compute: (address: number) => void) => {
    const address = arena.addressOf(out);
    if (address >= 0) return compute(address);
    const scratch = arena.scratch(length);
    compute(scratch.byteOffset);
    out.set(scratch);
  };

  return {
    name: "wasm-simd",
    alloc(length) {
      checkAllocLength(length);
      return arena.alloc(length);
    },
    matmulABt(a, b, out, m, k, n, bias) {
      checkMatmul("matmulABt", a, b, out, m, k, n, bias);
      if (m === 0 || n === 0) return;
      try {
        const pa = input(a, m * k);
        const pb = input(b, n * k);
        const pBias = bias ? input(bias, n) : 0;
        withOutput(out, m * n, (pOut) => wasm.matmul_abt(pa, pb, pOut, m, k, n, pBias));
      } finally {
        arena.releaseScratch();
      }
    },
    matmulAtB(a, b, out, m, k, n) {
      checkMatmul("matmulAtB", a, b, out, m, k, n);
      if (m === 0 || n === 0) return;
      try {
        const pa = input(a, k * m);
        const pb = input(b, k * n);
        withOutput(out, m * n, (pOut) => wasm.matmul_atb(pa, pb, pOut, m, k, n));
      } finally {
        arena.releaseScratch();
      }
    },
  };
}
