/** Entry point of a memory task worker: builds its own single-threaded kernels, then runs the capacity tasks it is sent, one at a time. */

import { parentPort, workerData } from "node:worker_threads";
import { InfomorphError, resolveMemoryExperiment, runMemoryTask } from "@infomorph/core";
import { type MemoryWorkerInit, type WorkerReply, memoryKernels } from "../memory/pool.js";

const init = workerData as MemoryWorkerInit;
const port = parentPort!;
const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) =>
  port.postMessage(reply, transfer);

try {
  const config = resolveMemoryExperiment(init.experiment);
  const kernels = await memoryKernels(init.kernels);
  post({ type: "ready", kernels: kernels.name });
  port.on("message", (message: { id: number; task: Parameters<typeof runMemoryTask>[1] }) => {
    try {
      const result = runMemoryTask(config, message.task, kernels);
      const buffers = [result.atoms.buffer, result.goalAtoms?.buffer].filter(
        (b): b is ArrayBuffer => b instanceof ArrayBuffer,
      );
      post({ type: "result", id: message.id, result }, buffers);
    } catch (err) {
      post({ type: "error", id: message.id, ...describe(err) });
    }
  });
} catch (err) {
  post({ type: "error", id: -1, ...describe(err) });
}

function describe(err: unknown): { code: string | null; message: string } {
  return err instanceof InfomorphError
    ? { code: err.code, message: err.message }
    : { code: null, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
