/**
 * Fork–join over threads that share the kernels' WebAssembly memory. The calling thread
 * writes one job per thread into a shared control block, wakes the workers (Atomics), runs
 * its own part, and blocks until the others are done, so a training step stays synchronous.
 * Every thread, the caller included, runs the same `KernelThread.execute()`; a kernels object
 * with one thread never dispatches at all (browsers without cross-origin isolation).
 *
 * Browser-safe: only WebAssembly, SharedArrayBuffer and Atomics. The host (the CLI with
 * node:worker_threads, a page with Web Workers) starts the workers and calls
 * runKernelWorker() in each.
 */

import { InfomorphError } from "../../errors.js";
import type { CreatePidRunner, PidRunner } from "../params.js";
import { adoptPidModule } from "./pid-kernel.js";
import type { WebAssemblyApi } from "./webassembly.js";

// The global WebAssembly, typed as far as core uses it (see webassembly.ts).
declare const WebAssembly: typeof WebAssemblyApi;

/** What the kernels module exports that threads call (pointers are byte addresses). */
export interface KernelExports {
  gemm(
    a: number,
    rsa: number,
    csa: number,
    b: number,
    rsb: number,
    csb: number,
    out: number,
    ldc: number,
    m: number,
    k: number,
    n: number,
    bias: number,
    workspace: number,
  ): void;
  gemm_workspace_bytes(): number;
  set_stack(top: number): void;
  __heap_base: { value: number };
}

/** Job kinds. A slot whose op is idle has nothing to do this round. */
export const Op = { idle: 0, quit: 1, gemm: 2, pid: 3, call: 4 } as const;

/** The most threads a kernels object runs on, the calling one included. */
export const MAX_THREADS = 64;

/**
 * Exports a job may call by index with Op.call ([Op.call, index, argc, ...args]): kernels
 * that need no per-thread workspace beyond the C stack and take their row range as arguments.
 */
export const CALLABLE = [
  "sparse_transpose",
  "sparse_gather",
  "sparse_abt",
  "sparse_atb",
  "layer_activate",
  "layer_delta",
  "layer_transpose",
  "bin_layer",
  "adam_step",
] as const;

/** The work of one row of a split kernel: FLOP (the products), or elements read and written (memory-bound loops). */
export type RowWork = { flop: number } | { elements: number };

/**
 * Runs CALLABLE `fn` over rows [0, rows) — on the calling thread, or split into row ranges
 * (boundaries on multiples of `grain`) over the kernels' threads when rows × `work` is worth
 * it. `args(first, last, part)` are fn's arguments for the part-th range; every output
 * depends on its own range only, so any split gives the same bits. Returns the number of
 * ranges run (at most MAX_THREADS), which `parts()` tells beforehand.
 */
export interface RowSplit {
  (
    fn: (typeof CALLABLE)[number],
    rows: number,
    work: RowWork,
    args: (first: number, last: number, part: number) => number[],
    grain?: number,
  ): number;
  parts(rows: number, work: RowWork, grain?: number): number;
}

/** A job: [op, ...int32 arguments]; null: nothing for that thread this round. */
export type Job = readonly number[] | null;

/**
 * The control block, int32 fields: the round's generation (bumped by the caller), the number
 * of workers still busy, then one slot per thread: the op, its arguments, and the thread's
 * error of the round (length, then UTF-16 code units of a JSON {code, path, message}).
 */
const GENERATION = 0;
const PENDING = 1;
const SLOTS = 2;
const ARGUMENTS = 24;
const ERROR_CAPACITY = 1000;
const SLOT_SIZE = 1 + ARGUMENTS + 1 + ERROR_CAPACITY;

/** Loads of the control word a thread spins through before it sleeps (tens of microseconds). */
const SPIN_LOADS = 20000;

/** Bytes of control block for `threads` threads. */
export function controlBytes(threads: number): number {
  return (SLOTS + threads * SLOT_SIZE) * 4;
}

/** What a worker needs to join: the shared memory, the control block, and its own regions. */
export interface KernelWorkerInit {
  /** The compiled shared-memory kernels module (a WebAssembly.Module, sent, not recompiled). */
  readonly module: unknown;
  /** The compiled PID module, or null where the PID runs in TypeScript. */
  readonly pidModule: unknown;
  /** The shared WebAssembly.Memory of the kernels. */
  readonly memory: unknown;
  readonly control: SharedArrayBuffer;
  /** 1, 2, …: this worker's slot (0 is the calling thread). */
  readonly thread: number;
  /** Top of this worker's own C stack in the shared memory. */
  readonly stackTop: number;
  /** This worker's own gemm workspace. */
  readonly workspace: number;
}

/**
 * One thread's view of the kernels: its instance, its workspace, and its PID estimators. A
 * worker builds its estimators with `createPid` (twins of the caller's); the calling thread
 * only ever runs the caller's own (adoptEstimator), so it needs none.
 */
export class KernelThread {
  /** By the address of the estimator's γ copy in shared memory, which the caller makes once per estimator. */
  private readonly estimators = new Map<number, PidRunner>();

  constructor(
    readonly exports: KernelExports,
    readonly buffer: ArrayBuffer,
    private readonly workspace: number,
    private readonly createPid: CreatePidRunner | null = null,
  ) {}

  /**
   * Run PID jobs whose γ copy is at `gammaAt` with `estimator` itself rather than a twin
   * built from its config (the calling thread already holds the estimator).
   */
  adoptEstimator(gammaAt: number, estimator: PidRunner): void {
    this.estimators.set(gammaAt, estimator);
  }

  /** Runs one job; `a` holds the op's arguments (see Op). */
  execute(op: number, a: Int32Array): void {
    if (op === Op.gemm) {
      this.exports.gemm(
        a[0],
        a[1],
        a[2],
        a[3],
        a[4],
        a[5],
        a[6],
        a[7],
        a[8],
        a[9],
        a[10],
        a[11],
        this.workspace,
      );
    } else if (op === Op.pid) {
      this.pid(a);
    } else if (op === Op.call) {
      const f = (this.exports as unknown as Record<string, (...args: number[]) => void>)[
        CALLABLE[a[0]]
      ];
      f(...a.subarray(2, 2 + a[1]));
    }
  }

  /** Neurons of a PID job (arguments: as loader.ts's runPid writes them). */
  private pid(a: Int32Array): void {
    const [gammaAt, gammaLength, sources, bins, capacity, typescript] = a;
    const [
      neurons,
      batch,
      binAt,
      thetaAt,
      thetaF64,
      goalAt,
      atomsAt,
      hResAt,
      gradientAt,
      size,
      first,
    ] = a.subarray(6);
    const gamma = new Float64Array(this.buffer, gammaAt, gammaLength);
    let estimator = this.estimators.get(gammaAt);
    if (!estimator) {
      if (!this.createPid) throw new Error("unreachable: a PID job for an estimator not adopted");
      estimator = this.createPid({
        sources,
        bins,
        batch: capacity,
        gamma: gamma.slice(),
        engine: typescript ? "typescript" : "auto",
      });
      this.estimators.set(gammaAt, estimator);
    } else if (!sameValues(estimator.config.gamma, gamma)) {
      estimator.setGamma(gamma); // the caller's goal changed (a twin; the caller's own is current)
    }
    const b = this.buffer;
    estimator.run(
      {
        neurons,
        batch,
        binIndex: new Uint8Array(b, binAt, neurons * batch * sources),
        theta: thetaF64
          ? new Float64Array(b, thetaAt, neurons * batch)
          : new Float32Array(b, thetaAt, neurons * batch),
        firstNeuron: first,
      },
      {
        goal: new Float64Array(b, goalAt, neurons),
        atoms: new Float64Array(b, atomsAt, neurons * size),
        hRes: new Float64Array(b, hResAt, neurons),
        gradient: new Float64Array(b, gradientAt, neurons * batch),
      },
    );
  }
}

/**
 * The calling thread's side: dispatch() runs one job per thread and returns when all are
 * done; a worker's error is rethrown here (an InfomorphError keeps its code and message).
 */
export class KernelThreads {
  private readonly control: Int32Array;

  constructor(
    readonly threads: number,
    control: SharedArrayBuffer,
    private readonly self: KernelThread,
  ) {
    this.control = new Int32Array(control);
  }

  /** Runs jobs[t] on thread t (0: this thread) and returns when all are done. */
  dispatch(jobs: readonly Job[]): void {
    const c = this.control;
    for (let t = 1; t < this.threads; t++) {
      const slot = SLOTS + t * SLOT_SIZE;
      const job = jobs[t] ?? null;
      c[slot] = job ? job[0] : Op.idle;
      if (job) for (let i = 1; i < job.length; i++) c[slot + i] = job[i];
      c[slot + 1 + ARGUMENTS] = 0;
    }
    Atomics.store(c, PENDING, this.threads - 1);
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
    let own: unknown = null;
    const job = jobs[0] ?? null;
    if (job) {
      try {
        this.self.execute(job[0], Int32Array.from(job.slice(1)));
      } catch (error) {
        own = error;
      }
    }
    spinUntilChanged(c, PENDING, -1, (value) => value === 0);
    for (;;) {
      const pending = Atomics.load(c, PENDING);
      if (pending === 0) break;
      Atomics.wait(c, PENDING, pending);
    }
    // The lowest thread's error, as one thread running every part in order would throw first.
    if (own) throw own;
    for (let t = 1; t < this.threads; t++) {
      const error = readError(c, t);
      if (error) throw error;
    }
  }

  /** Ends every worker's loop; the kernels must not be used afterwards. */
  close(): void {
    this.dispatch(Array.from({ length: this.threads }, (_, t) => (t === 0 ? null : [Op.quit])));
  }
}

/**
 * The worker's side: instantiate the shared kernels module on the given memory, move the C
 * stack to this worker's region, report ready, then run jobs until told to quit. PID jobs
 * run on estimators built by `createPid` from the caller's estimator config (the host passes
 * `(config) => new PidEstimator(config)`; the kernels do not know the estimator).
 * Blocks the worker's thread (Atomics.wait) between jobs.
 */
export function runKernelWorker(
  init: KernelWorkerInit,
  ready: () => void,
  createPid: CreatePidRunner,
): void {
  const module = init.module as WebAssemblyApi.Module;
  const instance = new WebAssembly.Instance(module, { env: { memory: init.memory } });
  if (init.pidModule) adoptPidModule(init.pidModule as WebAssemblyApi.Module);
  const exports = instance.exports as unknown as KernelExports;
  exports.set_stack(init.stackTop);
  const memory = init.memory as WebAssemblyApi.Memory;
  const thread = new KernelThread(exports, memory.buffer, init.workspace, createPid);
  const c = new Int32Array(init.control);
  const slot = SLOTS + init.thread * SLOT_SIZE;
  let seen = Atomics.load(c, GENERATION);
  ready();
  for (;;) {
    // Jobs come in bursts (several products and a PID per batch): a short spin catches the
    // next one without the microseconds a futex wake-up costs; then sleep.
    spinUntilChanged(c, GENERATION, seen);
    Atomics.wait(c, GENERATION, seen);
    const generation = Atomics.load(c, GENERATION);
    if (generation === seen) continue;
    seen = generation;
    const op = c[slot];
    try {
      if (op !== Op.idle && op !== Op.quit)
        thread.execute(op, c.slice(slot + 1, slot + 1 + ARGUMENTS));
    } catch (error) {
      recordError(c, slot + 1 + ARGUMENTS, error);
    }
    if (Atomics.sub(c, PENDING, 1) === 1) Atomics.notify(c, PENDING);
    if (op === Op.quit) return;
  }
}

/** Spins up to SPIN_LOADS loads while c[at] equals `from` (or until `done(value)`); no sleeping. */
function spinUntilChanged(
  c: Int32Array,
  at: number,
  from: number,
  done: (value: number) => boolean = (value) => value !== from,
): void {
  for (let i = 0; i < SPIN_LOADS; i++) if (done(Atomics.load(c, at))) return;
}

/** Writes a worker's error into its slot, at `at`: length, then the JSON text. */
function recordError(c: Int32Array, at: number, error: unknown): void {
  const e = error as { code?: unknown; path?: unknown; message?: unknown };
  const text = JSON.stringify({
    code: typeof e?.code === "string" ? e.code : "kernels/worker-failed",
    path: Array.isArray(e?.path) ? e.path : undefined,
    message: typeof e?.message === "string" ? e.message : String(error),
  }).slice(0, ERROR_CAPACITY);
  for (let i = 0; i < text.length; i++) c[at + 1 + i] = text.charCodeAt(i);
  c[at] = text.length;
}

/** Thread t's error of the last round, or null. */
function readError(c: Int32Array, thread: number): InfomorphError | null {
  const at = SLOTS + thread * SLOT_SIZE + 1 + ARGUMENTS;
  if (c[at] === 0) return null;
  let text = "";
  for (const code of c.subarray(at + 1, at + 1 + c[at])) text += String.fromCharCode(code);
  try {
    const { code, path, message } = JSON.parse(text) as {
      code: string;
      path?: (string | number)[];
      message: string;
    };
    return new InfomorphError({ code, path, message });
  } catch {
    return new InfomorphError({
      code: "kernels/worker-failed",
      message: `kernel worker thread ${thread} failed: ${text}`,
    });
  }
}

/** Whether two goal vectors hold the same values (γ has a few dozen entries at most for n ≤ 3). */
function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
