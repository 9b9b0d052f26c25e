/** Entry point of a kernel worker thread: joins the kernels' shared memory and runs jobs until told to quit; its PID jobs run on PidEstimator twins. */

import { parentPort, workerData } from "node:worker_threads";
import { type KernelWorkerInit, PidEstimator, runKernelWorker } from "@infomorph/core";

runKernelWorker(
  workerData as KernelWorkerInit,
  () => parentPort?.postMessage("ready"),
  (config) => new PidEstimator(config),
);
