/** One sitting of a memory experiment: run the tasks its folder has not finished on N runners, recording each as it ends, until done or told to stop. */

import {
  type MemoryExperimentConfig,
  type MemoryTask,
  memoryTasks,
  patternCount,
  taskKey,
} from "@infomorph/core";
import type { MemoryRunFolder, ResultLine } from "@infomorph/runs";
import type { KernelChoice } from "../training/session.js";
import { startRunners } from "./pool.js";

export interface MemoryProgress {
  /** Tasks recorded in the folder, this sitting and before. */
  done: number;
  /** Tasks left out because their scan had stopAfterFailures consecutive failures below them. */
  skipped: number;
  total: number;
}

export interface MemorySessionHooks {
  onStart?: (info: { kernels: string; threads: number } & MemoryProgress) => void;
  onTask?: (line: ResultLine, progress: MemoryProgress) => void;
  /** Checked before each task is handed out: true stops handing out (running tasks finish). */
  shouldStop?: () => boolean;
}

export interface MemorySessionResult extends MemoryProgress {
  /** True when stopped before every task was done. */
  stopped: boolean;
  kernels: string;
  threads: number;
  seconds: number;
}

/**
 * Run every task of the folder's experiment that is not recorded yet, `threads` at a time,
 * in the experiment's order (rule, seed, load upwards). Each result is appended to the
 * folder as soon as it arrives, so an interrupted sitting loses only the tasks in flight.
 */
export async function runMemorySession(
  folder: MemoryRunFolder,
  request: { threads: number; kernels: KernelChoice },
  hooks: MemorySessionHooks = {},
): Promise<MemorySessionResult> {
  const started = performance.now();
  const experiment = folder.experiment;
  const tasks = memoryTasks(experiment);
  const done = folder.doneKeys();
  const queue = tasks.filter((t) => !done.has(taskKey(t)));
  const scans = new ScanState(experiment, folder.results());
  const progress = (): MemoryProgress => ({
    done: folder.results().length,
    skipped:
      experiment.stopAfterFailures === 0
        ? 0
        : tasks.filter((t) => !done.has(taskKey(t)) && scans.skipped(t)).length,
    total: tasks.length,
  });
  const threads = Math.max(1, Math.min(request.threads, queue.length));
  const runners = await startRunners(
    { experiment: folder.config.experiment, kernels: request.kernels },
    threads,
  );
  const kernels = runners[0].kernels;
  hooks.onStart?.({ kernels, threads, ...progress() });
  let stopped = false;
  const next = (): MemoryTask | null => {
    while (queue.length > 0) {
      const task = queue.shift()!;
      if (!scans.skipped(task)) return task;
    }
    return null;
  };
  const loop = async (runner: (typeof runners)[number]): Promise<void> => {
    for (;;) {
      if (hooks.shouldStop?.()) {
        stopped = queue.some((t) => !scans.skipped(t));
        return;
      }
      const task = next();
      if (!task) return;
      const result = await runner.run(task);
      const line = folder.append(result, (performance.now() - started) / 1000);
      done.add(taskKey(task));
      scans.record(line);
      hooks.onTask?.(line, progress());
    }
  };
  try {
    await Promise.all(runners.map(loop));
  } finally {
    await Promise.all(runners.map((r) => r.close()));
  }
  const seconds = (performance.now() - started) / 1000;
  folder.writeSummary(seconds);
  return { ...progress(), stopped, kernels, threads, seconds };
}

/**
 * Which tasks a scan can skip. With stopAfterFailures = K > 0, a task is skipped once its
 * rule and seed failed at K consecutive scanned loads below it (every load between them
 * recorded): the scan has passed its capacity. Tasks still running below do not count until
 * they are recorded.
 */
export class ScanState {
  /** "rule/seed" → pattern count → stored. */
  private readonly chains = new Map<string, Map<number, boolean>>();
  private readonly counts: number[];

  constructor(
    private readonly experiment: MemoryExperimentConfig,
    lines: readonly Pick<ResultLine, "rule" | "seed" | "patterns" | "stored">[],
  ) {
    this.counts = experiment.loads.map((load) => patternCount(load, experiment.neurons));
    for (const line of lines) this.record(line);
  }

  record(line: Pick<ResultLine, "rule" | "seed" | "patterns" | "stored">): void {
    const key = `${line.rule}/${line.seed}`;
    const chain = this.chains.get(key) ?? new Map<number, boolean>();
    this.chains.set(key, chain);
    chain.set(line.patterns, line.stored);
  }

  skipped(task: MemoryTask): boolean {
    const K = this.experiment.stopAfterFailures;
    if (K === 0) return false;
    const chain = this.chains.get(`${task.rule}/${task.seed}`);
    if (!chain) return false;
    let failures = 0;
    for (const count of this.counts) {
      if (count >= task.patterns) return false;
      const stored = chain.get(count);
      if (stored === undefined) return false;
      failures = stored ? 0 : failures + 1;
      if (failures >= K) return true;
    }
    return false;
  }
}
