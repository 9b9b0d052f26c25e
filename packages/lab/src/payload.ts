/**
 * What the page gets of a run: the same object whether `infomorph report` embeds it in one
 * file or `infomorph lab` sends it: config, metrics, every neuron's atoms per epoch, each
 * layer's goal and weights at the checkpoint, and the representational complexity when it
 * was measured, with core's atom bands (the page adds those of epochs that arrive later). Data
 * paths in its config are portable (portableConfig: ~/… or relative to the run folder). The
 * page derives the rest it draws (curves, the neuron map); typed arrays travel as
 * {dtype, base64} (the checkpoint codec).
 */

import {
  type GoalConfig,
  type SourceWeights,
  atomTrajectories,
  parseGoal,
  weightSummary,
} from "@infomorph/core";
import {
  type AtomsLayer,
  type LinesCursor,
  type MetricLine,
  type RunConfig,
  type RunContents,
  decodeState,
} from "@infomorph/runs";
import type { ReportComplexity } from "./complexity.js";
import { portableConfig } from "./portable-path.js";

/**
 * A source's weights are sent whole up to this many values (neurons × inputs, 8 MB); above
 * it only their per-neuron summary (a dense lateral source of 2000 neurons has 4 M).
 */
export const MAX_SENT_WEIGHTS = 2_000_000;

/** One source of a layer's weights at the checkpoint. */
export interface PayloadSource {
  name: string;
  inputs: number;
  /** [neuron × inputs], row-major; null when there are more than MAX_SENT_WEIGHTS. */
  weights: Float32Array | null;
  bias: Float32Array;
  /** core's weightSummary, per neuron. */
  summary: {
    norm: Float64Array;
    mean: Float64Array;
    maxAbs: Float64Array;
    positiveFraction: Float64Array;
  };
}

/** A layer with PID atoms. */
export interface PayloadLayer extends AtomsLayer {
  /** Epochs held in `values`. */
  epochs: number;
  /** Every neuron's atoms and H_res per epoch: float32 [epoch][neuron][stride], bits. */
  values: Float32Array;
  /** core's atomTrajectories over the epochs, each [epoch × stride] bits (sent so the page need not sort N values per atom and epoch again). */
  bands: { median: Float64Array; q10: Float64Array; q90: Float64Array; mean: Float64Array };
  /** The layer's goal: its name (null for weights written out) and γ per value (atoms, then H_res). */
  goal: { name: string | null; gamma: Float64Array } | null;
  /** Its weights per source at the checkpoint (empty when the checkpoint holds none). */
  weights: PayloadSource[];
}

/** A goal change the lab's in-page training records in config.json (goalChanges). */
export interface GoalChange {
  epoch: number;
  batch: number;
  goal: string;
}

/** Whether a process trains the run (live mode only). */
export interface RunStatus {
  state: "starting" | "training" | "stopped" | "finished" | "failed";
  /** The training process, while one writes the run. */
  pid: number | null;
  /** Whether this lab started that process (only those can be stopped from the page). */
  startedHere: boolean;
  /** Why it failed, in the CLI's words; null otherwise. */
  message: string | null;
  /** The epochs the run trains up to (config.json's, which a resume with more epochs raises). */
  target: number;
}

/** A run as the lab's list shows it (GET api/runs). */
export interface RunListEntry {
  name: string;
  preset: string;
  dataset: string;
  hidden: number;
  epochs: { completed: number; target: number };
  /** Validation accuracy of the newest epoch, and the best one; null before the first epoch. */
  validation: number | null;
  bestValidation: number | null;
  status: RunStatus;
  created: string;
}

/** A goal-search study in the runs folder as the lab's list shows it (GET api/runs, "studies"). */
export interface StudyListEntry {
  name: string;
  /** The sampler's kind (tpe, random, …); "-" when study.json cannot be read. */
  sampler: string;
  /** Trials told (complete or failed) and asked, of the study's total. */
  trials: { done: number; asked: number; total: number };
  /** The best objective (validation accuracy) of a complete trial so far. */
  best: number | null;
  /** running: a live coordinator holds writer.lock; finished: every trial told; else stopped. failed: unreadable (message says why). */
  state: "running" | "finished" | "stopped" | "failed";
  message: string | null;
  /** When its first trial was asked (ISO 8601); null before any. */
  started: string | null;
}

/** Where a live page continues reading: the byte offsets after what the payload holds. */
export interface LiveCursor {
  metrics: LinesCursor;
  /** Per layer, bytes of its atoms file already sent. */
  atoms: number[];
}

export interface RunPayload {
  /** The run's name: its folder's name in the runs folder. */
  name: string;
  config: RunConfig & { goalChanges?: GoalChange[] };
  /** Completed epochs at the checkpoint. */
  epoch: number;
  metrics: MetricLine[];
  layers: PayloadLayer[];
  /** Measured by the report (`infomorph report`); null until the live page asks for it. */
  complexity: ReportComplexity | null;
  /** Live mode only: where the event stream continues, and who trains the run. */
  live: { cursor: LiveCursor; status: RunStatus } | null;
}

/** The payload of a run read by readRun (its checkpoint's epochs) under `name`. */
export function runPayload(
  run: RunContents,
  name: string,
  complexity: ReportComplexity | null,
  live: RunPayload["live"] = null,
): RunPayload {
  return {
    name,
    config: portableConfig(run.config, run.dir),
    epoch: run.epoch,
    metrics: run.metrics,
    layers: run.layers
      .filter((layer) => layer.epochs.length > 0)
      .map((layer) => {
        const { epochs, ...spec } = layer;
        const per = layer.size * layer.stride;
        const values = new Float32Array(epochs.length * per);
        epochs.forEach((epoch, e) => values.set(epoch, e * per));
        const bands = atomTrajectories(epochs, { values: layer.stride });
        return {
          ...spec,
          epochs: epochs.length,
          values,
          bands: { median: bands.median, q10: bands.q10, q90: bands.q90, mean: bands.mean },
          goal: layerGoal(layer, run.config),
          weights: layerWeights(layer.name, layer.sources, run.state),
        };
      }),
    complexity,
    live,
  };
}

/** The goal a layer ascended, from the run's model config, or null when it has none. */
export function layerGoal(
  layer: Pick<AtomsLayer, "name" | "sources">,
  config: RunConfig,
): PayloadLayer["goal"] {
  const model = config.model;
  if (model.kind !== "infomorphic") return null;
  let goalConfig: GoalConfig;
  if (layer.name === "output") goalConfig = model.output.goal;
  else if (layer.name === "hidden" && model.hidden && model.hidden.kind === "infomorphic")
    goalConfig = model.hidden.goal;
  else return null;
  const resolved = parseGoal(goalConfig, {
    sources: layer.sources.length,
    classNames: layer.sources,
  });
  const named = typeof goalConfig === "string" && !goalConfig.includes("=");
  return { name: named ? (goalConfig as string) : null, gamma: resolved.gamma };
}

/** The weights of every layer in a checkpoint's state, by layer name (for live updates). */
export function stateWeights(
  layers: readonly Pick<AtomsLayer, "name" | "sources">[],
  state: unknown,
): Record<string, PayloadSource[]> {
  return Object.fromEntries(layers.map((l) => [l.name, layerWeights(l.name, l.sources, state)]));
}

/** A typed array, or one as the checkpoint encodes it ({dtype, base64}). */
function decodeArray(value: unknown): unknown {
  return ArrayBuffer.isView(value) ? value : decodeState(value);
}

/** state[layer].parameters[j] for source j, when the checkpoint holds them in that shape. */
function layerWeights(name: string, sources: readonly string[], state: unknown): PayloadSource[] {
  const saved = (state as Record<string, { parameters?: unknown } | undefined> | null)?.[name];
  const parameters = saved?.parameters;
  if (!Array.isArray(parameters) || parameters.length !== sources.length) return [];
  // A state read "encoded" (readRun's option) is decoded here, its parameters only.
  const all = parameters.map((p: Record<string, unknown>) => ({
    weights: decodeArray(p?.weights),
    bias: decodeArray(p?.bias),
  })) as SourceWeights[];
  if (!all.every((s) => s.weights instanceof Float32Array && s.bias instanceof Float32Array)) {
    return [];
  }
  return all.map((source, j) => {
    const summary = weightSummary(source);
    return {
      name: sources[j],
      inputs: source.weights.length / source.bias.length,
      weights: source.weights.length <= MAX_SENT_WEIGHTS ? source.weights : null,
      bias: source.bias,
      summary: {
        norm: summary.norm,
        mean: summary.mean,
        maxAbs: summary.maxAbs,
        positiveFraction: summary.positiveFraction,
      },
    };
  });
}
