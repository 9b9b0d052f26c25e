/** The PID estimator's per-neuron work in WebAssembly (pid.c) behind plain typed arrays: the same float64 operations in the same order as pid/samples.ts, so the same bits. */

import { pidWasmBase64 } from "./pid.wasm.js";
import { compileShippedSync, corruptModuleError, wasmSimdSupported } from "./shipped-module.js";
import type { WebAssemblyApi } from "./webassembly.js";

// The global WebAssembly, typed as far as core uses it (see webassembly.ts).
declare const WebAssembly: typeof WebAssemblyApi;

interface PidExports {
  memory: WebAssemblyApi.Memory;
  pid_setup(
    n: number,
    K: number,
    B: number,
    chunk: number,
    size: number,
    multiCount: number,
    termCount: number,
    top: number,
  ): number;
  pid_ready(ctx: number): void;
  pid_run(ctx: number, neurons: number, count: number): number;
}

/** What pid_setup needs besides n, K and B: the estimator's tables (see PidEstimator). */
export interface PidKernelTables {
  size: number;
  top: number;
  redundancyWeights: Float64Array;
  singleOf: Int32Array;
  multiAntichain: Int32Array;
  multiStart: Int32Array;
  multiSlot: Int32Array;
  multiCoef: Float64Array;
  multiWeighted: Float64Array;
  multiWeights: Float64Array;
  gammaRes: number;
  /** log2.ts's tables: 1/c_i and log2 c_i (1024 each). */
  reciprocal: Float64Array;
  log2Left: Float64Array;
  invLn2: number;
}

/** A failure found while grouping samples: the same checks, in the same order, as samples.ts. */
export interface PidKernelError {
  kind: "bin" | "theta";
  neuron: number;
  sample: number;
  source: number;
}

/** Largest joint-cell table the kernel indexes densely (K^n entries), as samples.ts. */
const DENSE_CELL_LIMIT = 1 << 22;
/** Bytes of inputs and outputs per chunk of neurons the kernel holds at once. */
const CHUNK_BYTES = 4 << 20;
/** Most neurons per chunk (bounds the per-neuron output buffers for tiny batches). */
const MAX_CHUNK = 1024;

let compiled: WebAssemblyApi.Module | null | undefined;

/**
 * The compiled module (synchronous; cached), or null where the engine has no WebAssembly
 * SIMD128 or refuses synchronous compilation (browsers' main threads): the estimator then runs
 * its TypeScript path. A damaged shipped module throws "kernels/corrupt-module" instead.
 */
function pidModule(): WebAssemblyApi.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = wasmSimdSupported() ? compileShippedSync(PID_WASM_FILE, pidWasmBase64) : null;
  return compiled;
}

const PID_WASM_FILE = "pid.wasm.ts";

/**
 * The compiled PID module, to hand to another thread (see adoptPidModule), or null where it
 * cannot run here.
 */
export function compiledPidModule(): WebAssemblyApi.Module | null {
  return pidModule();
}

/**
 * Use a module compiled on another thread instead of compiling one here. Engines share a
 * module's machine code between the threads it is sent to, so the optimised code one thread
 * earns by running it serves every thread. Call before the first estimator is built.
 */
export function adoptPidModule(module: WebAssemblyApi.Module): void {
  compiled ??= module;
}

/** Whether this runtime can run the WebAssembly PID kernel (WebAssembly with SIMD128, synchronous compile); throws "kernels/corrupt-module" for a damaged module. */
export function pidWasmAvailable(): boolean {
  return typeof WebAssembly === "object" && pidModule() !== null;
}

/**
 * One instance of the kernel for one estimator: n = 2 or 3 sources, K^n ≤ 2^22 cells.
 * Inputs are copied in and results out one chunk of neurons at a time.
 */
export class PidKernel {
  /** Neurons per pid_run call. */
  readonly chunk: number;
  private readonly exports: PidExports;
  private readonly ctx: number;
  private readonly bins: Uint8Array;
  private readonly theta: Float64Array;
  /** [neuron][antichain] I^sx values of the last chunk. */
  readonly redundancies: Float64Array;
  /** [neuron] H(Y) of the last chunk. */
  readonly entropy: Float64Array;
  /** [neuron][sample] ∂G/∂θ of the last chunk, stride `count` of the last run. */
  readonly gradient: Float64Array;
  private readonly error: Int32Array;
  /** Views of the goal's tables in the kernel's memory (Ctx fields 10, 16, 17, 18). */
  private readonly goalWeights: {
    readonly redundancyWeights: Float64Array;
    readonly multiWeighted: Float64Array;
    readonly multiWeights: Float64Array;
    /** [1/ln 2, γ_res] */
    readonly constants: Float64Array;
  };
  private readonly n: number;
  private readonly B: number;
  private readonly size: number;

  /**
   * The kernel, or null where it cannot run here (caller falls back to TypeScript): other than
   * 2 or 3 sources, more than 2^22 cells, no WebAssembly SIMD, or no room in the kernel's
   * 1 GiB memory for this batch. A damaged module throws "kernels/corrupt-module".
   */
  static create(n: number, K: number, B: number, tables: PidKernelTables): PidKernel | null {
    if ((n !== 2 && n !== 3) || K ** n > DENSE_CELL_LIMIT) return null;
    const module = pidModule();
    if (!module) return null;
    let instance: WebAssemblyApi.Instance;
    try {
      instance = new WebAssembly.Instance(module, { env: { log2: Math.log2 } });
    } catch (error) {
      throw corruptModuleError(PID_WASM_FILE, error);
    }
    const wasm = instance.exports as unknown as PidExports;
    const chunk = Math.max(1, Math.min(MAX_CHUNK, Math.floor(CHUNK_BYTES / (B * (n + 16)))));
    const { size, top } = tables;
    const [multiCount, termCount] = [tables.multiAntichain.length, tables.multiSlot.length];
    const ctx = wasm.pid_setup(n, K, B, chunk, size, multiCount, termCount, top);
    return ctx === 0 ? null : new PidKernel(wasm, ctx, chunk, n, B, tables);
  }

  private constructor(
    wasm: PidExports,
    ctx: number,
    chunk: number,
    n: number,
    B: number,
    tables: PidKernelTables,
  ) {
    this.exports = wasm;
    this.ctx = ctx;
    this.chunk = chunk;
    this.n = n;
    this.B = B;
    this.size = tables.size;
    const multiCount = tables.multiAntichain.length;
    const termCount = tables.multiSlot.length;
    // The memory never grows after pid_setup, so these views stay valid.
    const buffer = wasm.memory.buffer;
    const field = new Int32Array(buffer, ctx, 40);
    // Ctx layout (pid.c): 8 ints, then pointers in declaration order.
    const f64 = (at: number, length: number) => new Float64Array(buffer, field[at], length);
    const i32 = (at: number, length: number) => new Int32Array(buffer, field[at], length);
    f64(8, 1024).set(tables.reciprocal);
    f64(9, 1024).set(tables.log2Left);
    i32(11, tables.singleOf.length).set(tables.singleOf);
    i32(12, multiCount).set(tables.multiAntichain);
    i32(13, multiCount + 1).set(tables.multiStart);
    i32(14, termCount).set(tables.multiSlot);
    f64(15, termCount).set(tables.multiCoef);
    this.goalWeights = {
      redundancyWeights: f64(10, tables.size),
      multiWeighted: f64(16, termCount),
      multiWeights: f64(17, multiCount),
      constants: f64(18, 2),
    };
    this.setGoalWeights(tables);
    this.goalWeights.constants[0] = tables.invLn2;
    wasm.pid_ready(ctx);
    this.bins = new Uint8Array(buffer, field[19], this.chunk * B * n);
    this.theta = f64(20, this.chunk * B);
    this.redundancies = f64(21, this.chunk * tables.size);
    this.entropy = f64(22, this.chunk);
    this.gradient = f64(23, this.chunk * B);
    this.error = new Int32Array(buffer, ctx + 24 * 4, 4);
  }

  /**
   * The goal's weights from the next run() on (a goal of the same lattice: the estimator's
   * setGamma); the tables that depend only on the lattice stay.
   */
  setGoalWeights(
    tables: Pick<
      PidKernelTables,
      "redundancyWeights" | "multiWeighted" | "multiWeights" | "gammaRes"
    >,
  ): void {
    const w = this.goalWeights;
    w.redundancyWeights.set(tables.redundancyWeights);
    w.multiWeighted.set(tables.multiWeighted);
    w.multiWeights.set(tables.multiWeights);
    w.constants[1] = tables.gammaRes;
  }

  /**
   * Neurons first…first+neurons−1 (≤ chunk) of a batch of `count` samples; results in
   * redundancies, entropy and gradient. Returns null, or the first bad input, in which
   * case only the neurons before it have results.
   */
  run(
    binIndex: Uint8Array,
    theta: ArrayLike<number> & { subarray(from: number, to: number): ArrayLike<number> },
    first: number,
    neurons: number,
    count: number,
  ): PidKernelError | null {
    const n = this.n;
    this.bins.set(binIndex.subarray(first * count * n, (first + neurons) * count * n));
    this.theta.set(theta.subarray(first * count, (first + neurons) * count));
    if (this.exports.pid_run(this.ctx, neurons, count) === 0) return null;
    const [kind, neuron, sample, source] = this.error;
    return { kind: kind === 1 ? "bin" : "theta", neuron, sample, source };
  }
}
