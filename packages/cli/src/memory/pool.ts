/** Runners for memory tasks: in this thread, or one worker thread each (tasks are independent, so N workers run N tasks at once; results do not depend on where a task runs). */

import { Worker } from "node:worker_threads";
import {
  InfomorphError,
  type Kernels,
  type MemoryTask,
  type MemoryTaskResult,
  type experimentToJSON,
  pickKernels,
  resolveMemoryExperiment,
  runMemoryTask,
  tsKernels,
} from "@infomorph/core";
import type { KernelChoice } from "../training/session.js";
import { workerScript } from "../workers/kernel-threads.js";

/** What a memory worker is started with. */
export interface MemoryWorkerInit {
  experiment: ReturnType<typeof experimentToJSON>;
  kernels: KernelChoice;
}

/** Messages from a worker. */
export type WorkerReply =
  | { type: "ready"; kernels: string }
  | { type: "result"; id: number; result: MemoryTaskResult }
  | { type: "error"; id: number; code: string | null; message: string };

/** Runs one task at a time. */
export interface TaskRunner {
  /** The kernels it computes with ("wasm-simd" or "ts"). */
  readonly kernels: string;
  run(task: MemoryTask): Promise<MemoryTaskResult>;
  close(): Promise<void>;
}

/**
 * Single-threaded kernels for memory tasks: "ts", or WebAssembly SIMD ("wasm" insists,
 * "auto" falls back to TypeScript). Task-level threads beat splitting the small products.
 */
export async function memoryKernels(choice: KernelChoice): Promise<Kernels> {
  if (choice === "ts") return tsKernels();
  const kernels = await pickKernels();
  if (choice === "wasm" && kernels.name === "ts") {
    throw new InfomorphError({
      code: "kernels/unavailable",
      path: ["kernels"],
      message: "this Node.js cannot run the WebAssembly SIMD kernels; use --kernels ts or auto.",
    });
  }
  return kernels;
}

/**
 * `threads` runners for an experiment: with one thread, tasks run in this thread; with more,
 * each runner is a worker thread (dist/workers/memory-worker.js) with its own kernels.
 */
export async function startRunners(init: MemoryWorkerInit, threads: number): Promise<TaskRunner[]> {
  if (threads === 1) return [await inThread(init)];
  const script = workerScript("memory-worker.js");
  if (!script) throw new Error("the memory worker script is not built; run npm run build");
  const runners = await Promise.allSettled(
    Array.from({ length: threads }, () => inWorker(script, init)),
  );
  const failed = runners.find((r) => r.status === "rejected");
  if (failed) {
    await Promise.all(runners.map((r) => (r.status === "fulfilled" ? r.value.close() : null)));
    throw (failed as PromiseRejectedResult).reason;
  }
  return runners.map((r) => (r as PromiseFulfilledResult<TaskRunner>).value);
}

async function inThread(init: MemoryWorkerInit): Promise<TaskRunner> {
  const config = resolveMemoryExperiment(init.experiment);
  const kernels = await memoryKernels(init.kernels);
  return {
    kernels: kernels.name,
    // yield to the event loop first, so a Ctrl-C between tasks is seen
    run: async (task) => {
      await new Promise((resolve) => setImmediate(resolve));
      return runMemoryTask(config, task, kernels);
    },
    close: async () => kernels.close(),
  };
}

function inWorker(script: URL, init: MemoryWorkerInit): Promise<TaskRunner> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: init });
    const pending = new Map<
      number,
      { ok: (r: MemoryTaskResult) => void; fail: (e: Error) => void }
    >();
    let next = 0;
    let kernels = "";
    const failAll = (err: Error) => {
      for (const p of pending.values()) p.fail(err);
      pending.clear();
    };
    worker.on("error", (err) => {
      failAll(err);
      reject(err);
    });
    // a worker that ends by itself (out of memory, killed) fails what it was running
    worker.on("exit", (code) => {
      const err = new Error(`a memory worker thread exited (code ${code}) during a task`);
      failAll(err);
      reject(err);
    });
    worker.on("message", (reply: WorkerReply) => {
      if (reply.type === "ready") {
        kernels = reply.kernels;
        resolve(runner);
        return;
      }
      const err =
        reply.type === "error"
          ? reply.code
            ? new InfomorphError({ code: reply.code, message: reply.message })
            : new Error(reply.message)
          : null;
      if (reply.id === -1 && err) {
        reject(err);
        return;
      }
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (!waiting) return;
      if (reply.type === "result") waiting.ok(reply.result);
      else if (err) waiting.fail(err);
    });
    const runner: TaskRunner = {
      get kernels() {
        return kernels;
      },
      run: (task) =>
        new Promise((ok, fail) => {
          const id = next++;
          pending.set(id, { ok, fail });
          worker.postMessage({ id, task });
        }),
      close: async () => {
        worker.removeAllListeners("exit");
        failAll(new Error("the memory worker was closed"));
        await worker.terminate();
      },
    };
  });
}
