/**
 * The worker side of a local worker process: receive trials from the coordinator over IPC,
 * train them with the CLI's TrialRunner (the process keeps its datasets loaded between trials)
 * and report epochs and results. Ctrl-C is the coordinator's to handle; a coordinator that
 * dies (even by SIGKILL) closes the channel and this process exits as soon as its event loop
 * runs (after the batch or the synchronous dataset load in progress: seconds on a loaded
 * machine), leaving each run folder at its last checkpoint for the resumed study.
 */

import type { TrialRunner } from "../runner.js";
import type { FromWorker, ToWorker } from "./protocol.js";

/** Serve trials on this process's IPC channel until the coordinator disconnects. */
export function serveLocalWorker(runner: TrialRunner): void {
  const send = process.send?.bind(process);
  if (!send) {
    throw new Error(
      "this is a worker process of infomorph search; the coordinator starts it with an IPC channel (run infomorph search instead).",
    );
  }
  const post = (message: FromWorker) => {
    if (process.connected) send(message);
  };
  // A terminal's Ctrl-C reaches the whole process group; the coordinator decides what stops.
  process.on("SIGINT", () => {});
  process.on("disconnect", () => process.exit(0));
  let stopRequested = false;
  process.on("message", (message: ToWorker) => {
    if (message.type === "stop") {
      stopRequested = true;
      return;
    }
    const { job, dir } = message;
    stopRequested = false;
    runner
      .run(job, dir, {
        onEpoch: (p) =>
          post({
            type: "epoch",
            trial: job.trial,
            seed: p.seed,
            epoch: p.epoch,
            epochs: p.epochs,
            validation: p.validation,
          }),
        shouldStop: () => stopRequested || !process.connected,
      })
      .then(
        (outcome) =>
          post(
            outcome === null
              ? { type: "stopped", trial: job.trial }
              : { type: "done", trial: job.trial, outcome },
          ),
        (err: unknown) =>
          post({
            type: "error",
            trial: job.trial,
            message: err instanceof Error ? err.message : String(err),
          }),
      );
  });
  post({ type: "ready" });
}
