/**
 * Local worker processes for a study folder: long-lived Node processes that each train one
 * trial at a time and keep their datasets loaded between trials (the per-trial overhead is a
 * message, not a process start and a data load). A process that dies while training is
 * reported as the trial's error and replaced by a fresh one at the next trial.
 */

import { type ChildProcess, fork } from "node:child_process";
import type { TrialJob } from "../trial-job.js";
import type { FromWorker, ToWorker } from "./protocol.js";

/** What the pool reports: a worker's messages about its trial, or its death. */
export type PoolReport =
  | Exclude<FromWorker, { type: "ready" }>
  | { readonly type: "crashed"; readonly trial: number; readonly message: string };

export interface PoolOptions {
  /** The worker script (the CLI's local-worker.js), started with Node's IPC channel. */
  readonly script: string;
  /** Processes at most. */
  readonly size: number;
  /** Arguments for the script (e.g. --threads 1). */
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly onReport: (report: PoolReport) => void;
}

interface Slot {
  readonly child: ChildProcess;
  trial: number | null;
  /** The last few KiB the process wrote to stderr: the reason of a crash. */
  stderr: string;
}

const STDERR_KEPT = 4096;

export class LocalWorkerPool {
  private readonly slots: Slot[] = [];
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  /** Processes started and alive. */
  get processes(): number {
    return this.slots.length;
  }

  /** Whether a process is idle or another may start. */
  hasRoom(): boolean {
    return this.slots.length < this.options.size || this.slots.some((s) => s.trial === null);
  }

  /** Give `job` to an idle process (starting one when fewer than `size` run). */
  run(job: TrialJob, dir: string): void {
    let slot = this.slots.find((s) => s.trial === null);
    if (!slot) {
      if (this.slots.length >= this.options.size) {
        throw new Error(
          `all ${this.options.size} worker processes are busy; the coordinator dispatches at most that many trials`,
        );
      }
      slot = this.start();
    }
    slot.trial = job.trial;
    this.send(slot, { type: "trial", job, dir });
  }

  /** Ask every busy process to stop its trial after the current batch. */
  stop(): void {
    for (const slot of this.slots) if (slot.trial !== null) this.send(slot, { type: "stop" });
  }

  /** End every process (closing its channel makes it exit). */
  close(): void {
    this.closed = true;
    for (const slot of this.slots) {
      if (slot.child.connected) slot.child.disconnect();
    }
  }

  private start(): Slot {
    const child = fork(this.options.script, [...(this.options.args ?? [])], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      env: this.options.env ?? process.env,
      serialization: "advanced",
    });
    const slot: Slot = { child, trial: null, stderr: "" };
    this.slots.push(slot);
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      slot.stderr = (slot.stderr + text).slice(-STDERR_KEPT);
    });
    child.on("message", (message: FromWorker) => {
      if (message.type === "ready") return;
      if (message.type !== "epoch") slot.trial = null;
      this.options.onReport(message);
    });
    // A message to a process that has just died fails here; its "exit" reports the trial.
    child.on("error", () => {});
    child.on("exit", (code, signal) => {
      this.slots.splice(this.slots.indexOf(slot), 1);
      const trial = slot.trial;
      if (trial === null || this.closed) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const last = slot.stderr.trim().split("\n").slice(-3).join(" | ");
      this.options.onReport({
        type: "crashed",
        trial,
        message: `worker process ${child.pid} ${how} while training trial ${trial}${last ? `: ${last}` : ""}`,
      });
    });
    return slot;
  }

  private send(slot: Slot, message: ToWorker): void {
    slot.child.send(message);
  }
}
