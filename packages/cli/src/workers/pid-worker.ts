/** Entry point of a PidPool worker thread: one PidEstimator, jobs by message, results in the shared buffers. */

import { parentPort, workerData } from "node:worker_threads";
import { PidEstimator } from "@infomorph/core";
import { type RangeDone, type RangeJob, type WorkerInit, runRange, sharedViews } from "./range.js";

const init = workerData as WorkerInit;
const estimator = new PidEstimator(init.config);
const views = sharedViews(init.buffers);

parentPort?.on("message", (job: RangeJob) => {
  const done: RangeDone = { id: job.id };
  try {
    runRange(estimator, views, job.first, job.count, job.batch);
  } catch (error) {
    done.error = error instanceof Error ? error.message : String(error);
  }
  parentPort?.postMessage(done);
});
parentPort?.postMessage({ id: -1 } satisfies RangeDone);
