/** The runs folder at a glance: every run (a folder with config.json) with its preset, data, progress, last and best validation accuracy, and whether a process trains it now. */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CONFIG_FILE,
  type RunConfig,
  RunLock,
  tailMetrics,
  validateRunConfig,
} from "@infomorph/runs";
import type { RunListEntry, RunStatus } from "../payload.js";
import { portableConfig } from "../portable-path.js";
import { markedFolders } from "./run-paths.js";
import type { Trainings } from "./trainings.js";

/** Every run in `root` (a real path), newest first; folders that are not runs, or link outside `root`, are left out. */
export function listRuns(root: string, trainings: Trainings): RunListEntry[] {
  const entries: RunListEntry[] = [];
  for (const { name, dir } of markedFolders(root, CONFIG_FILE)) {
    try {
      entries.push(runEntry(dir, name, trainings));
    } catch (err) {
      entries.push(damaged(name, (err as Error).message));
    }
  }
  // Trainings that are still setting their folder up.
  for (const name of trainings.names()) {
    if (!entries.some((e) => e.name === name)) {
      entries.push({
        ...damaged(name, null),
        status: runStatus(join(root, name), name, trainings, 0, 0),
      });
    }
  }
  return entries.sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
}

function runEntry(dir: string, name: string, trainings: Trainings): RunListEntry {
  const config = validateRunConfig(readConfig(dir), join(dir, CONFIG_FILE));
  const { completed, validation, best } = progress(dir);
  return {
    name,
    preset: config.preset,
    dataset: portableConfig(config, dir).data.dataset,
    hidden: config.hidden,
    epochs: { completed, target: config.training.epochs },
    validation,
    bestValidation: best,
    status: runStatus(dir, name, trainings, completed, config.training.epochs),
    created: config.created,
  };
}

function readConfig(dir: string): RunConfig {
  // A small file, replaced atomically by its writer: read whole.
  return JSON.parse(readFileSync(join(dir, CONFIG_FILE), "utf8")) as RunConfig;
}

/** Epochs with a validation line in metrics.jsonl (complete lines), the newest and the best accuracy. */
function progress(dir: string): {
  completed: number;
  validation: number | null;
  best: number | null;
} {
  const { lines } = tailMetrics(dir);
  const byEpoch = new Map<number, number>();
  for (const line of lines) if (line.split === "validation") byEpoch.set(line.epoch, line.accuracy);
  const epochs = [...byEpoch.keys()].sort((a, b) => a - b);
  const last = epochs.at(-1);
  return {
    completed: last ?? 0,
    validation: last === undefined ? null : (byEpoch.get(last) ?? null),
    best: epochs.length === 0 ? null : Math.max(...byEpoch.values()),
  };
}

/**
 * Who trains the run now: a training this lab started (until it exits), else any live process
 * holding the run's lock; otherwise failed (this lab's training ended with an error), finished
 * (all epochs done) or stopped.
 */
export function runStatus(
  dir: string,
  name: string,
  trainings: Trainings,
  completed: number,
  target: number,
): RunStatus {
  const own = trainings.get(name);
  if (own && own.exit === null) {
    return {
      state: own.writing ? "training" : "starting",
      pid: own.pid,
      startedHere: true,
      message: null,
      target,
    };
  }
  const holder = existsSync(dir) ? RunLock.activeHolder(dir) : null;
  if (holder)
    return { state: "training", pid: holder.pid, startedHere: false, message: null, target };
  if (own?.exit?.failed) {
    return { state: "failed", pid: null, startedHere: true, message: own.exit.message, target };
  }
  return {
    state: completed >= target && target > 0 ? "finished" : "stopped",
    pid: null,
    startedHere: false,
    message: null,
    target,
  };
}

function damaged(name: string, message: string | null): RunListEntry {
  return {
    name,
    preset: "-",
    dataset: "-",
    hidden: 0,
    epochs: { completed: 0, target: 0 },
    validation: null,
    bestValidation: null,
    status: {
      state: message === null ? "starting" : "failed",
      pid: null,
      startedHere: false,
      message,
      target: 0,
    },
    created: "",
  };
}
