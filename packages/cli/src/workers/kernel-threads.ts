/** Kernels on several threads in Node: worker_threads running kernel-worker.js on the kernels' shared memory. */

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type Kernels, type SpawnKernelWorker, pickKernels } from "@infomorph/core";

/**
 * A compiled worker script of this folder (e.g. "kernel-worker.js"): next to this module in
 * dist/, or, when this module runs from its TypeScript source (tests), the built copy in
 * ../../dist; null if there is none yet.
 */
export function workerScript(file: string): URL | null {
  const here = import.meta.url;
  const url = here.endsWith(".ts")
    ? new URL(`../../dist/workers/${file}`, here)
    : new URL(`./${file}`, here);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Starts one kernel worker and resolves once it has joined. The worker is unref'd: it never
 * keeps the process alive, and it sleeps (Atomics.wait) whenever there is no work.
 */
export const spawnKernelWorker: SpawnKernelWorker = (init) =>
  new Promise((resolve, reject) => {
    const script = workerScript("kernel-worker.js");
    if (!script) {
      reject(new Error("the kernel worker script is not built; run npm run build"));
      return;
    }
    const worker = new Worker(script, { workerData: init });
    worker.once("error", reject);
    worker.once("message", () => {
      worker.unref();
      resolve();
    });
  });

/** Threads to use by default: every core the OS gives this process. */
export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * The fastest kernels here on `threads` threads (default: every core): WebAssembly SIMD with
 * worker threads where available, else the single-threaded fallbacks of pickKernels().
 */
export function pickThreadedKernels(
  options: { memoryMiB?: number; threads?: number } = {},
): Promise<Kernels> {
  return pickKernels({
    ...options,
    threads: options.threads ?? defaultThreads(),
    spawn: spawnKernelWorker,
  });
}
