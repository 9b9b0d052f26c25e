/** A kernel thread of the page's training worker: joins the kernels' shared WebAssembly memory (runKernelWorker) and runs its share of every product and PID until told to quit; its PID jobs run on PidEstimator twins. */

import { type KernelWorkerInit, PidEstimator, runKernelWorker } from "@infomorph/core";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<KernelWorkerInit>) => void) | null;
  postMessage(message: string): void;
};

scope.onmessage = (event) => {
  scope.onmessage = null;
  runKernelWorker(
    event.data,
    () => scope.postMessage("ready"),
    (config) => new PidEstimator(config),
  );
};
