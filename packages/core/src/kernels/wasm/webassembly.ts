/** The part of the WebAssembly JS API that core calls (Node ≥ 16 and every browser with SIMD have it), declared once for loader.ts, threads.ts and pid-kernel.ts. */

/**
 * Types only: each user declares the global with them, as
 * `declare const WebAssembly: typeof WebAssemblyApi`.
 */
export declare namespace WebAssemblyApi {
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  function validate(bytes: Uint8Array): boolean;
  function compile(bytes: Uint8Array): Promise<Module>;
  function instantiate(module: Module, imports?: Record<string, unknown>): Promise<Instance>;
}
