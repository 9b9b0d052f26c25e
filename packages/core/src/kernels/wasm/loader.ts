/** Instantiates the prebuilt WebAssembly SIMD matmul module and exposes it as Kernels. */

import { InfomorphError } from "../../errors.js";
import type { Kernels } from "../contract.js";
import type { PidBatch, PidResults, PidRunner } from "../params.js";
import { checkAllocLength, checkMatmul } from "../shapes.js";
import { activateLayer } from "../ts/layer.js";
import { Arena } from "./arena.js";
import { type LayerExports, wasmLayerKernels } from "./layer-kernels.js";
import { wasmLearnKernels } from "./learn-kernels.js";
import { matmulSharedWasmBase64 } from "./matmul-shared.wasm.js";
import { matmulWasmBase64 } from "./matmul.wasm.js";
import { compiledPidModule } from "./pid-kernel.js";
import { compileShipped, corruptModuleError, wasmSimdSupported } from "./shipped-module.js";
import { sparseKernels } from "./sparse-kernels.js";
import {
  CALLABLE,
  type Job,
  type KernelExports,
  KernelThread,
  KernelThreads,
  type KernelWorkerInit,
  MAX_THREADS,
  Op,
  type RowSplit,
  type RowWork,
  controlBytes,
} from "./threads.js";
import type { WebAssemblyApi } from "./webassembly.js";

export { wasmSimdSupported };

// The global WebAssembly, typed as far as core uses it (see webassembly.ts).
declare const WebAssembly: typeof WebAssemblyApi;

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
  /**
   * Threads for the products, the PID and the layer's elementwise loops (δ, binning, Adam,
   * the transpose), the calling one included (default 1). More than
   * one needs `spawn` and shared WebAssembly memory (in browsers: cross-origin isolation);
   * where either is missing the kernels run on the calling thread alone, with the same
   * results. Results are bit-identical for any number of threads.
   */
  threads?: number;
  /** Starts one worker that calls runKernelWorker(init, ready, createPid) and resolves once it is ready. */
  spawn?: SpawnKernelWorker;
}

/** Starts a worker thread running runKernelWorker(init, …); resolves when it reported ready. */
export type SpawnKernelWorker = (init: KernelWorkerInit) => Promise<void>;

/** Least work worth a split of a product over threads, FLOP (the issue's ~10 MFLOP). */
const MIN_SPLIT_FLOP = 10e6;
/**
 * Least work per thread worth a split of an elementwise loop (the activation, δ, binning,
 * Adam, the transpose), elements. A dispatch costs a few microseconds (wake-up and join);
 * these loops run at about 1–10 ns per element, so 32 K elements per thread keep it under a
 * few percent. Measured (phases script, 2 threads, a shared 2-core host): at N = 100 (100 K
 * elements, split in two) the activation took ≈ 2.2 ms against ≈ 2.65 fused and Adam ≈ 0.42
 * against ≈ 0.56, δ and binning alike within noise; at 8 K per thread no further gain.
 */
const MIN_SPLIT_ELEMENTS = 32 * 1024;
/** Least PID work per thread, neuron·samples (about 1 ms of estimator time). */
const MIN_PID_WORK = 8 * 1024;
/** C stack of each worker thread, bytes (= -z stack-size in scripts/build-kernels.sh). */
const STACK_BYTES = 65536;
/** The micro-kernel's tile, MR rows × NR columns: splits fall on whole tiles. */
const MR = 5;
const NR = 8;

const PAGE_BYTES = 65536;
const MAX_MEMORY_MIB = 1024; // = -Wl,--max-memory in scripts/build-kernels.sh

/** Whether this runtime can create shared WebAssembly memory (in browsers: cross-origin isolated pages only). */
function sharedMemorySupported(): boolean {
  try {
    return (
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof
      SharedArrayBuffer
    );
  } catch {
    return false;
  }
}

/**
 * The WebAssembly SIMD kernels (wasm/matmul.c, 5×8 micro-kernel, packed
 * operands): about 35–40 GFLOP/s on one Zen 4 core. Arrays from alloc() are
 * used in place; any other Float32Array is copied into scratch memory for the
 * call (and out copied back), so both work.
 * Rejects with "kernels/no-wasm-simd" where SIMD is missing, with "kernels/bad-options" for a
 * bad memoryMiB, and with "kernels/corrupt-module" when the shipped module does not compile or
 * instantiate (a damaged install); pickKernels() falls back on the first only.
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
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new InfomorphError({
      code: "kernels/bad-options",
      path: ["threads"],
      message: `threads must be an integer from 1 to ${MAX_THREADS} (got ${threads}). Try 2.`,
    });
  }
  const pages = (memoryMiB * 1024 * 1024) / PAGE_BYTES;
  const shared = threads > 1 && options.spawn !== undefined && sharedMemorySupported();
  // Created here and never grown, so its buffer and every view of it stay valid.
  const memory = new WebAssembly.Memory({
    initial: pages,
    maximum: (MAX_MEMORY_MIB * 1024 * 1024) / PAGE_BYTES,
    shared,
  });
  // Compiled once here and sent to the workers: they share its machine code, so the optimised
  // tier V8 builds for hot functions on any thread serves all of them (a worker compiling its
  // own copy would run baseline code until its own calls warmed it up).
  const file = shared ? "matmul-shared.wasm.ts" : "matmul.wasm.ts";
  const module = await compileShipped(file, shared ? matmulSharedWasmBase64 : matmulWasmBase64);
  let instance: WebAssemblyApi.Instance;
  try {
    instance = await WebAssembly.instantiate(module, { env: { memory } });
  } catch (error) {
    throw corruptModuleError(file, error);
  }
  const wasm = instance.exports as unknown as KernelExports;
  const buffer = memory.buffer;
  const arena = new Arena(buffer, wasm.__heap_base.value, buffer.byteLength);
  const workspaceFloats = wasm.gemm_workspace_bytes() / 4;
  const self = new KernelThread(wasm, buffer, arena.alloc(workspaceFloats).byteOffset);
  let pool: KernelThreads | null = null;
  if (shared && options.spawn) {
    const control = new SharedArrayBuffer(controlBytes(threads));
    const inits = Array.from({ length: threads - 1 }, (_, w) => {
      const stack = arena.alloc(STACK_BYTES / 4);
      return {
        module,
        pidModule: compiledPidModule(),
        memory,
        control,
        thread: w + 1,
        stackTop: stack.byteOffset + STACK_BYTES,
        workspace: arena.alloc(workspaceFloats).byteOffset,
      };
    });
    try {
      await Promise.all(inits.map((init) => options.spawn?.(init)));
    } catch (error) {
      throw new InfomorphError({
        code: "kernels/bad-options",
        path: ["threads"],
        message: `could not start ${threads - 1} kernel worker thread(s): ${error instanceof Error ? error.message : String(error)}. Use threads: 1.`,
      });
    }
    pool = new KernelThreads(threads, control, self);
  }
  const run = (jobs: Job[]): void => {
    if (pool && jobs.length > 1) pool.dispatch(jobs);
    else if (jobs[0]) self.execute(jobs[0][0], Int32Array.from(jobs[0].slice(1)));
  };

  /**
   * C = A·B (+ bias) with A(i, p) = a[i·rsa + p·csa], B(p, j) = b[p·rsb + j·csb], C(i, j) =
   * out[i·n + j]: one job, or one per thread over whole tiles of C's rows (when m ≥ n) or
   * columns. Every output is computed the same way wherever the split falls.
   */
  const gemm = (
    a: number,
    rsa: number,
    csa: number,
    b: number,
    rsb: number,
    csb: number,
    out: number,
    m: number,
    k: number,
    n: number,
    bias: number,
  ): void => {
    const parts = pool === null || 2 * m * n * k < MIN_SPLIT_FLOP ? 1 : threads;
    const byRows = m >= n;
    const tile = byRows ? MR : NR;
    const tiles = Math.ceil((byRows ? m : n) / tile);
    const used = Math.max(1, Math.min(parts, tiles));
    const jobs: Job[] = [];
    for (let t = 0; t < used; t++) {
      const from = Math.min(byRows ? m : n, Math.round((t * tiles) / used) * tile);
      const to = Math.min(byRows ? m : n, Math.round(((t + 1) * tiles) / used) * tile);
      jobs.push(
        byRows
          ? [
              Op.gemm,
              a + 4 * from * rsa,
              rsa,
              csa,
              b,
              rsb,
              csb,
              out + 4 * from * n,
              n,
              to - from,
              k,
              n,
              bias,
            ]
          : [
              Op.gemm,
              a,
              rsa,
              csa,
              b + 4 * from * csb,
              rsb,
              csb,
              out + 4 * from,
              n,
              m,
              k,
              to - from,
              bias && bias + 4 * from,
            ],
      );
    }
    run(jobs);
  };

  /**
   * CALLABLE kernels over row ranges (see RowSplit): one job, or one per thread where the
   * work is worth it — the products from MIN_SPLIT_FLOP in all, the memory-bound loops from
   * MIN_SPLIT_ELEMENTS per thread.
   */
  const parts = (rows: number, work: RowWork, grain = 1): number => {
    if (pool === null) return 1;
    const wanted =
      "flop" in work
        ? rows * work.flop < MIN_SPLIT_FLOP
          ? 1
          : threads
        : Math.floor((rows * work.elements) / MIN_SPLIT_ELEMENTS);
    return Math.max(1, Math.min(wanted, threads, Math.ceil(rows / grain)));
  };
  const splitRows: RowSplit = Object.assign(
    (
      fn: (typeof CALLABLE)[number],
      rows: number,
      work: RowWork,
      args: (first: number, last: number, part: number) => number[],
      grain = 1,
    ): number => {
      const index = CALLABLE.indexOf(fn);
      const units = Math.ceil(rows / grain);
      const used = parts(rows, work, grain);
      const jobs: Job[] = [];
      for (let t = 0; t < used; t++) {
        const first = Math.min(rows, Math.round((t * units) / used) * grain);
        const last = Math.min(rows, Math.round(((t + 1) * units) / used) * grain);
        const list = args(first, last, t);
        jobs.push([Op.call, index, list.length, ...list]);
      }
      run(jobs);
      return used;
    },
    { parts },
  );

  /** PidRunner.run split over threads by neurons (see Kernels.runPid). */
  const gammaAt = new WeakMap<PidRunner, number>();
  const runPid = (estimator: PidRunner, input: PidBatch, output: PidResults): void => {
    const { config } = estimator;
    const B = input.batch ?? config.batch;
    const parts = pool ? Math.min(threads, Math.floor((input.neurons * B) / MIN_PID_WORK)) : 1;
    const arrays = [
      input.binIndex,
      input.theta,
      output.goal,
      output.atoms,
      output.hRes,
      output.gradient,
    ];
    if (parts < 2 || arrays.some((v) => v.buffer !== buffer)) {
      estimator.run(input, output);
      return;
    }
    let gamma = gammaAt.get(estimator);
    if (gamma === undefined) {
      gamma = arena.allocFloat64(config.gamma.length).byteOffset;
      gammaAt.set(estimator, gamma);
      self.adoptEstimator(gamma, estimator); // this thread's part runs on the caller's estimator
    }
    // γ as the estimator has it now (setGamma may have changed it): the workers' twins follow
    new Float64Array(buffer, gamma, config.gamma.length).set(config.gamma);
    const n = config.sources;
    const size = estimator.lattice.size;
    const theta8 = input.theta.BYTES_PER_ELEMENT;
    const jobs: Job[] = [];
    for (let t = 0; t < parts; t++) {
      const first = Math.round((t * input.neurons) / parts);
      const last = Math.round(((t + 1) * input.neurons) / parts);
      jobs.push([
        Op.pid,
        gamma,
        config.gamma.length,
        n,
        config.bins,
        config.batch,
        config.engine === "typescript" ? 1 : 0,
        last - first,
        B,
        input.binIndex.byteOffset + first * B * n,
        input.theta.byteOffset + first * B * theta8,
        theta8 === 8 ? 1 : 0,
        output.goal.byteOffset + 8 * first,
        output.atoms.byteOffset + 8 * first * size,
        output.hRes.byteOffset + 8 * first,
        output.gradient.byteOffset + 8 * first * B,
        size,
        (input.firstNeuron ?? 0) + first,
      ]);
    }
    run(jobs);
  };

  return {
    ...wasmLayerKernels(
      instance.exports as unknown as LayerExports,
      arena,
      { activateLayer },
      splitRows,
    ),
    name: "wasm-simd",
    ...sparseKernels(arena, splitRows),
    ...wasmLearnKernels(arena, splitRows),
    threads: pool ? threads : 1,
    runPid,
    close() {
      pool?.close();
      pool = null;
    },
    alloc(length) {
      checkAllocLength(length);
      return arena.alloc(length);
    },
    allocFloat64(length) {
      checkAllocLength(length);
      return arena.allocFloat64(length);
    },
    allocBytes(length) {
      checkAllocLength(length);
      return arena.allocBytes(length);
    },
    matmulABt(a, b, out, m, k, n, bias) {
      checkMatmul("matmulABt", a, b, out, m, k, n, bias);
      if (m === 0 || n === 0) return;
      try {
        const pa = arena.input(a, m * k);
        const pb = arena.input(b, n * k);
        const pBias = bias ? arena.input(bias, n) : 0;
        const outs = arena.outputs();
        const pOut = outs.place(out, m * n);
        gemm(pa, k, 1, pb, 1, k, pOut, m, k, n, pBias);
        outs.flush();
      } finally {
        arena.releaseScratch();
      }
    },
    matmulAtB(a, b, out, m, k, n) {
      checkMatmul("matmulAtB", a, b, out, m, k, n);
      if (m === 0 || n === 0) return;
      try {
        const pa = arena.input(a, k * m);
        const pb = arena.input(b, k * n);
        const outs = arena.outputs();
        const pOut = outs.place(out, m * n);
        gemm(pa, 1, m, pb, n, 1, pOut, m, k, n, 0);
        outs.flush();
      } finally {
        arena.releaseScratch();
      }
    },
  };
}
