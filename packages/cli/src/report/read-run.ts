/** Read a finished or running run folder without changing it: config, committed metrics, atoms per layer and epoch, and the model state of the last checkpoint. */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InfomorphError } from "@infomorph/core";
import { decodeState, fromLittleEndian } from "../runs/codec.js";
import { type RunConfig, validateRunConfig } from "../runs/config.js";
import {
  ATOMS_INDEX_FILE,
  type AtomsIndex,
  type AtomsLayer,
  CHECKPOINT_FILE,
  CONFIG_FILE,
  METRICS_FILE,
  type MetricLine,
  requireRunFolder,
} from "../runs/folder.js";

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
  /** The metrics lines up to the checkpoint. */
  readonly metrics: MetricLine[];
  /** Layers with PID atoms (none for backprop); epochs 1…epoch, oldest first. */
  readonly layers: RunLayerAtoms[];
  /** The decoded model state (typed arrays restored). */
  readonly state: unknown;
}

/**
 * Read `dir` as written by `infomorph train`. Unlike RunFolder.open (which prepares a
 * resume), this never writes: a tail past the checkpoint, left by a crash or by a
 * training still running, is skipped rather than cut off.
 */
export function readRun(dir: string): RunContents {
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
  const metricsText = readFileSync(join(dir, METRICS_FILE))
    .subarray(0, files[METRICS_FILE] ?? 0)
    .toString("utf8");
  const metrics = metricsText
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as MetricLine);

  const index = existsSync(join(dir, ATOMS_INDEX_FILE))
    ? (readJson(dir, ATOMS_INDEX_FILE) as AtomsIndex)
    : null;
  const stored = index ? Math.min(index.epochs, epoch) : 0;
  const layers = (index?.layers ?? []).map((layer) => readLayer(dir, layer, stored));
  return { dir, config, epoch, metrics, layers, state: decodeState(checkpoint.state) };
}

function readLayer(dir: string, layer: AtomsLayer, epochs: number): RunLayerAtoms {
  const perEpoch = layer.size * layer.stride;
  const path = join(dir, layer.file);
  const bytes = readFileSync(path);
  if (bytes.length < epochs * perEpoch * 4) {
    throw new InfomorphError({
      code: "report/truncated-atoms",
      path: [path],
      message: `${path} holds ${bytes.length} bytes, fewer than the ${epochs} epochs × ${layer.size} neurons × ${layer.stride} values × 4 bytes that ${ATOMS_INDEX_FILE} promises. The folder was changed; train it again.`,
    });
  }
  const all = fromLittleEndian("float32", bytes.subarray(0, epochs * perEpoch * 4)) as Float32Array;
  const byEpoch = Array.from({ length: epochs }, (_, e) =>
    all.subarray(e * perEpoch, (e + 1) * perEpoch),
  );
  return { ...layer, epochs: byEpoch };
}

function readJson(dir: string, name: string): unknown {
  const path = join(dir, name);
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new InfomorphError({
      code: "report/bad-json",
      path: [path],
      message: `${path} is not valid JSON (${(err as Error).message}). It was changed by hand or is being written; try again.`,
    });
  }
}
