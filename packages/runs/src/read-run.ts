/** Read a finished or running run folder without changing it (and without its lock): config, committed metrics, atoms per layer and epoch, and the model state of the last checkpoint. */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { InfomorphError, decodeState } from "@infomorph/core";
import { readAtomsIndex, readLayerAtoms } from "./atoms.js";
import { requireRunFolder } from "./folder.js";
import type { AtomsLayer } from "./format/atoms-index.js";
import { type RunConfig, validateRunConfig } from "./format/config.js";
import { METRICS_FILE, type MetricLine } from "./format/metric-line.js";
import { CHECKPOINT_FILE, CONFIG_FILE } from "./format/run-files.js";
import { readJsonFile } from "./json-file.js";
import { readMetrics } from "./metrics.js";

/** One layer's stored atoms: per epoch a [neuron × stride] float32 array (atoms, then H_res). */
export interface RunLayerAtoms extends AtomsLayer {
  readonly epochs: Float32Array[];
}

/** Everything a report needs from a run folder, as of its last checkpoint. */
export interface RunContents {
  readonly dir: string;
  readonly config: RunConfig;
  /** Completed epochs at the checkpoint. */
  readonly epoch: number;
  /** Byte length of each append-only file at the checkpoint (where a live reader continues). */
  readonly files: Readonly<Record<string, number>>;
  /** The metrics lines up to the checkpoint. */
  readonly metrics: MetricLine[];
  /** Layers with PID atoms (none for backprop); epochs 1…epoch, oldest first. */
  readonly layers: RunLayerAtoms[];
  /** The model state: decoded (typed arrays restored), or as stored when readRun was asked so. */
  readonly state: unknown;
}

export interface ReadRunOptions {
  /**
   * "decoded" (default): typed arrays restored; "encoded": as checkpoint.json holds it
   * ({dtype, base64}), for a reader that decodes only the parts it needs (a model's state
   * holds its optimizer moments too, twice the weights).
   */
  state?: "decoded" | "encoded";
}

/**
 * Read `dir` as written by `infomorph train`. Unlike RunFolder.open (which prepares a
 * resume), this never writes: a tail past the checkpoint, left by a crash or by a
 * training still running, is skipped rather than cut off. A damaged metrics line or atoms
 * file throws "run/corrupt-file" naming the file and line, as RunFolder.open does.
 */
export function readRun(dir: string, options: ReadRunOptions = {}): RunContents {
  requireRunFolder(dir, "report/not-a-run");
  const config = validateRunConfig(readJson(dir, CONFIG_FILE), join(dir, CONFIG_FILE));
  if (!existsSync(join(dir, CHECKPOINT_FILE))) {
    throw new InfomorphError({
      code: "report/no-checkpoint",
      path: [dir],
      message: `${dir} has no ${CHECKPOINT_FILE}; the run stopped before its first checkpoint. Train at least one epoch.`,
    });
  }
  const checkpoint = readJson(dir, CHECKPOINT_FILE) as {
    epoch?: unknown;
    files?: Record<string, number>;
    state?: unknown;
  };
  if (typeof checkpoint.epoch !== "number" || typeof checkpoint.files !== "object") {
    throw new InfomorphError({
      code: "report/bad-checkpoint",
      path: [join(dir, CHECKPOINT_FILE)],
      message: `${join(dir, CHECKPOINT_FILE)} has no epoch or file lengths; it was not written by 'infomorph train'.`,
    });
  }
  const epoch = checkpoint.epoch;
  const files = checkpoint.files ?? {};
  const metrics = readMetrics(dir, files[METRICS_FILE] ?? 0);
  const index = readAtomsIndex(dir);
  const stored = index ? Math.min(index.epochs, epoch) : 0;
  const layers = (index?.layers ?? []).map((layer) => ({
    ...layer,
    epochs: readLayerAtoms(dir, layer, stored),
  }));
  const state = options.state === "encoded" ? checkpoint.state : decodeState(checkpoint.state);
  return { dir, config, epoch, files, metrics, layers, state };
}

function readJson(dir: string, name: string): unknown {
  return readJsonFile(
    join(dir, name),
    "report/bad-json",
    "It was changed by hand or is being written; try again.",
  );
}
