/**
 * The PID estimator split over neurons across worker_threads (Node only). Inputs and outputs
 * live in SharedArrayBuffers; the calling thread computes the first range itself, workers the
 * others. Below a work threshold fewer threads (down to the caller alone) are used. Every
 * thread runs runRange(), and each neuron is computed independently, so results are
 * bit-identical for any number of threads.
 */

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  type EstimatorConfig,
  type EstimatorInput,
  type EstimatorOutput,
  InfomorphError,
  PidEstimator,
  lattice,
} from "@infomorph/core";
import {
  type RangeDone,
  type SharedBuffers,
  type SharedViews,
  type WorkerInit,
  runRange,
  sharedViews,
} from "./range.js";

export interface PidPoolOptions {
  /** Threads in all, the calling one included (default: os.availableParallelism()). */
  threads?: number;
  /** Most neurons per run (the layer size). */
  capacity: number;
  /**
   * Least work per thread, in neuron·samples (default 65 536: 64 neurons of 1024 samples,
   * about 8 ms of estimator time): smaller runs use fewer threads, the smallest only the caller.
   */
  minWorkPerThread?: number;
  /** The compiled worker script (default: pid-worker.js next to this module). */
  workerUrl?: URL;
}

export class PidPool {
  /** Threads available, the calling one included. */
  readonly threads: number;
  readonly capacity: number;
  /** Threads the last run used. */
  lastThreads = 0;
  private readonly estimator: PidEstimator;
  private readonly views: SharedViews;
  private readonly workers: Worker[];
  private readonly minWork: number;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;

  private constructor(
    config: EstimatorConfig,
    options: PidPoolOptions,
    buffers: SharedBuffers,
    workers: Worker[],
  ) {
    this.threads = workers.length + 1;
    this.capacity = options.capacity;
    this.estimator = new PidEstimator(config);
    this.views = sharedViews(buffers);
    this.workers = workers;
    this.minWork = options.minWorkPerThread ?? 65536;
    for (const worker of workers) {
      worker.on("error", (error) => {
        // A crashed worker fails every job in flight rather than leaving run() waiting.
        for (const job of this.pending.values()) job.reject(error);
        this.pending.clear();
      });
      worker.on("message", (done: RangeDone) => {
        const job = this.pending.get(done.id);
        if (!job) return;
        this.pending.delete(done.id);
        if (done.error) job.reject(new Error(done.error));
        else job.resolve();
      });
    }
  }

  /** Start the workers (threads − 1 of them) and wait until each has built its estimator. */
  static async create(config: EstimatorConfig, options: PidPoolOptions): Promise<PidPool> {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) {
      throw new InfomorphError({
        code: "workers/bad-threads",
        path: ["threads"],
        message: `threads must be a positive integer (got ${threads}).`,
      });
    }
    const { capacity } = options;
    const n = config.sources;
    const B = config.batch;
    const size = lattice(n).size;
    const sab = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));
    const buffers: SharedBuffers = {
      binIndex: sab(capacity * B * n),
      theta: sab(capacity * B * 8),
      goal: sab(capacity * 8),
      atoms: sab(capacity * size * 8),
      hRes: sab(capacity * 8),
      gradient: sab(capacity * B * 8),
    };
    const init: WorkerInit = {
      config: { ...config, gamma: Array.from(config.gamma) },
      buffers,
    };
    const url = options.workerUrl ?? new URL("./pid-worker.js", import.meta.url);
    const workers = await Promise.all(
      Array.from(
        { length: threads - 1 },
        () =>
          new Promise<Worker>((resolve, reject) => {
            const worker = new Worker(url, { workerData: init });
            worker.once("error", reject);
            worker.once("message", () => resolve(worker));
          }),
      ),
    );
    return new PidPool(config, options, buffers, workers);
  }

  /** Threads a run of `neurons` × `batch` uses. */
  threadsFor(neurons: number, batch: number): number {
    const byWork = Math.floor((neurons * batch) / this.minWork);
    return Math.max(1, Math.min(this.threads, byWork, neurons));
  }

  /** PidEstimator.run over the pool: the same results, bit for bit. */
  async run(input: EstimatorInput, output: EstimatorOutput): Promise<void> {
    const { neurons } = input;
    const B = input.batch ?? this.estimator.batch;
    const n = this.estimator.sources;
    const size = this.estimator.lattice.size;
    if (neurons > this.capacity) {
      throw new InfomorphError({
        code: "workers/too-many-neurons",
        path: ["neurons"],
        message: `this pool holds up to ${this.capacity} neurons (got ${neurons}); create it with a larger capacity.`,
      });
    }
    if (input.binIndex.length !== neurons * B * n || input.theta.length !== neurons * B) {
      throw new InfomorphError({
        code: "estimator/bad-input",
        message: `expected binIndex of length ${neurons * B * n} and theta of length ${neurons * B} for ${neurons} neurons × ${B} samples × ${n} sources (got ${input.binIndex.length} and ${input.theta.length}).`,
      });
    }
    const v = this.views;
    v.binIndex.set(input.binIndex);
    v.theta.set(input.theta);
    const threads = this.threadsFor(neurons, B);
    this.lastThreads = threads;
    const starts = Array.from({ length: threads + 1 }, (_, t) =>
      Math.round((t * neurons) / threads),
    );
    const jobs: Promise<void>[] = [];
    for (let t = 1; t < threads; t++) {
      const id = this.nextId++;
      jobs.push(
        new Promise<void>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
        }),
      );
      this.workers[t - 1].postMessage({
        id,
        first: starts[t],
        count: starts[t + 1] - starts[t],
        batch: B,
      });
    }
    let failure: unknown = null;
    try {
      runRange(this.estimator, v, 0, starts[1], B);
    } catch (error) {
      failure = error;
    }
    const settled = await Promise.allSettled(jobs);
    if (failure) throw failure;
    for (const s of settled) if (s.status === "rejected") throw s.reason;
    output.goal.set(v.goal.subarray(0, neurons));
    output.hRes.set(v.hRes.subarray(0, neurons));
    output.atoms.set(v.atoms.subarray(0, neurons * size));
    output.gradient.set(v.gradient.subarray(0, neurons * B));
  }

  /** Stop the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
