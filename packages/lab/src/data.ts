/** The numbers a run report shows, computed in Node from a run folder's contents: header facts, learning curves, atom bands per layer (core's atomTrajectories), receptive fields (core's receptiveField), weight summaries, confusion matrices, goals, and the representational complexity measured by complexity.ts. */

import { homedir } from "node:os";
import {
  type GoalConfig,
  type SourceWeights,
  atomTrajectories,
  goalFromJSON,
  namedGoal,
  receptiveField,
  weightSummary,
} from "@infomorph/core";
import type { MetricLine, RunConfig, RunContents, RunLayerAtoms } from "@infomorph/runs";
import type { ReportComplexity } from "./complexity.js";
import { portablePath, runName } from "./portable-path.js";

/**
 * Sources with more weights than this (neurons × inputs) are shown by their summary only,
 * not as bars: the lateral weights of 2000 neurons would add 16 MB to the page.
 */
export const MAX_BAR_WEIGHTS = 250_000;

export interface ReportHeader {
  run: string;
  preset: string;
  model: "infomorphic" | "backprop";
  dataset: string;
  source: string;
  hidden: number;
  epochs: { completed: number; target: number };
  batchSize: number;
  seed: number;
  kernels: string;
  created: string;
  version: string;
  /** Accuracy of the last epoch per split (null: not measured). */
  final: { epoch: number; train: number; validation: number; test: number | null } | null;
  /** The epoch with the highest validation accuracy (the first on ties), and test at it. */
  best: { epoch: number; validation: number; test: number | null } | null;
}

export interface ReportCurves {
  epochs: number[];
  train: number[];
  validation: number[];
  test: (number | null)[];
  /** "goal" for infomorphic layers (bits), "loss" for backprop (cross-entropy, nats). */
  goalKind: "goal" | "loss";
  /** Mean training goal per epoch, one series per layer. */
  goals: { label: string; values: number[] }[];
}

/** One source of a layer's weights, ready to draw. */
export interface ReportSource {
  name: string;
  inputs: number;
  /** Feed-forward weights of an image input as core's receptive-field images (scale per neuron). */
  image: { rows: number; cols: number; rgba: Uint8Array; scale: Float32Array } | null;
  /** The weights, row-major [neuron × inputs], when there are at most MAX_BAR_WEIGHTS. */
  weights: Float32Array | null;
  /** core's weightSummary, per neuron. */
  summary: {
    norm: Float64Array;
    mean: Float64Array;
    maxAbs: Float64Array;
    positiveFraction: Float64Array;
  };
}

export interface ReportLayer {
  name: string;
  size: number;
  sources: string[];
  /** Canonical atom names, then "H_res". */
  names: string[];
  /** The same by source class, e.g. "(F)(C)", then "H_res". */
  aliases: string[];
  /** Values per neuron and epoch: atoms + 1. */
  values: number;
  /** Epochs stored (1…epochs). */
  epochs: number;
  /** The goal of the layer: its name (null for weights given inline) and γ per value. */
  goal: { name: string | null; gamma: Float64Array } | null;
  /** core's atomTrajectories, each [epoch × value], bits. */
  bands: { median: Float64Array; q10: Float64Array; q90: Float64Array; mean: Float64Array };
  /** Every neuron's values, as stored: float32 [epoch][neuron][value], bits. */
  atoms: Float32Array;
  /** The layer's weights per source (empty when the checkpoint holds none for it). */
  weights: ReportSource[];
}

export interface ReportConfusion {
  epoch: number;
  classes: number;
  /** [true class][predicted class] counts. */
  validation: number[][] | null;
  test: number[][] | null;
}

export interface ReportData {
  header: ReportHeader;
  curves: ReportCurves;
  layers: ReportLayer[];
  confusion: ReportConfusion | null;
  /** The hidden layer's representational complexity (complexity.ts), or why it was skipped. */
  complexity: ReportComplexity;
  config: RunConfig;
}

/** Gather every number the report shows from a run read by readRun and its complexity (reportComplexity). */
export function reportData(run: RunContents, complexity: ReportComplexity): ReportData {
  const config = portableConfig(run.config, run.dir);
  const byEpoch = metricsByEpoch(run.metrics);
  const curves = learningCurves(byEpoch, config, run.layers);
  return {
    header: header({ ...run, config }, curves),
    curves,
    layers: run.layers
      .filter((layer) => layer.epochs.length > 0)
      .map((layer) => reportLayer(layer, config, run.state, config.data.dim)),
    confusion: lastConfusion(byEpoch),
    complexity,
    config,
  };
}

/**
 * The run config as the report shows it: data paths without the machine's absolute folders
 * (portablePath), since a report is shared; the run folder's config.json keeps the real ones.
 */
function portableConfig(config: RunConfig, runDir: string): RunConfig {
  const portable = (text: string) => portablePath(text, runDir, homedir());
  const [, scheme, path] = /^(csv:|idx:)?(.*)$/s.exec(config.data.dataset) ?? [];
  const data = {
    ...config.data,
    dataset: `${scheme ?? ""}${portable(path ?? "")}`,
    dataDir: config.data.dataDir && portable(config.data.dataDir),
    source: portable(config.data.source),
  };
  return { ...config, data };
}

type EpochMetrics = Map<number, Partial<Record<MetricLine["split"], MetricLine>>>;

function metricsByEpoch(lines: readonly MetricLine[]): EpochMetrics {
  const byEpoch: EpochMetrics = new Map();
  for (const line of lines) {
    const entry = byEpoch.get(line.epoch) ?? {};
    entry[line.split] = line;
    byEpoch.set(line.epoch, entry);
  }
  return new Map([...byEpoch.entries()].sort(([a], [b]) => a - b));
}

function learningCurves(
  byEpoch: EpochMetrics,
  config: RunConfig,
  layers: readonly RunLayerAtoms[],
): ReportCurves {
  const entries = [...byEpoch.entries()];
  const goalCount = Math.max(0, ...entries.map(([, e]) => e.train?.goals?.length ?? 0));
  const backprop = config.model.kind === "backprop";
  const label = (i: number): string =>
    backprop ? "cross-entropy" : (layers[i]?.name ?? `layer ${i + 1}`);
  return {
    epochs: entries.map(([epoch]) => epoch),
    train: entries.map(([, e]) => e.train?.accuracy ?? 0),
    validation: entries.map(([, e]) => e.validation?.accuracy ?? 0),
    test: entries.map(([, e]) => e.test?.accuracy ?? null),
    goalKind: backprop ? "loss" : "goal",
    goals: Array.from({ length: goalCount }, (_, i) => ({
      label: label(i),
      values: entries.map(([, e]) => e.train?.goals?.[i] ?? 0),
    })),
  };
}

function header(run: RunContents, curves: ReportCurves): ReportHeader {
  const { config } = run;
  const last = curves.epochs.length - 1;
  let best = -1;
  curves.validation.forEach((v, i) => {
    if (best < 0 || v > curves.validation[best]) best = i;
  });
  return {
    run: runName(run.dir),
    preset: config.preset,
    model: config.model.kind,
    dataset: config.data.dataset,
    source: config.data.source,
    hidden: config.hidden,
    epochs: { completed: run.epoch, target: config.training.epochs },
    batchSize: config.training.batchSize,
    seed: config.training.seed,
    kernels: config.kernels,
    created: config.created,
    version: config.versions.infomorph,
    final:
      last < 0
        ? null
        : {
            epoch: curves.epochs[last],
            train: curves.train[last],
            validation: curves.validation[last],
            test: curves.test[last],
          },
    best:
      best < 0
        ? null
        : {
            epoch: curves.epochs[best],
            validation: curves.validation[best],
            test: curves.test[best],
          },
  };
}

function lastConfusion(byEpoch: EpochMetrics): ReportConfusion | null {
  const last = [...byEpoch.entries()].at(-1);
  if (!last) return null;
  const [epoch, e] = last;
  const validation = e.validation?.confusion ?? null;
  const test = e.test?.confusion ?? null;
  const classes = (validation ?? test)?.length ?? 0;
  return classes === 0 ? null : { epoch, classes, validation, test };
}

function reportLayer(
  layer: RunLayerAtoms,
  config: RunConfig,
  state: unknown,
  inputDim: number,
): ReportLayer {
  const values = layer.stride;
  const bands = atomTrajectories(layer.epochs, { values });
  const atoms = new Float32Array(layer.epochs.length * layer.size * values);
  layer.epochs.forEach((epoch, e) => atoms.set(epoch, e * epoch.length));
  return {
    name: layer.name,
    size: layer.size,
    sources: [...layer.sources],
    names: [...layer.atoms, "H_res"],
    aliases: [...layer.aliases, "H_res"],
    values,
    epochs: layer.epochs.length,
    goal: layerGoal(layer, config),
    bands: { median: bands.median, q10: bands.q10, q90: bands.q90, mean: bands.mean },
    atoms,
    weights: layerWeights(layer, state, inputDim),
  };
}

/** The goal a layer ascended, from the run's model config, or null when it has none. */
export function layerGoal(
  layer: Pick<RunLayerAtoms, "name" | "sources">,
  config: RunConfig,
): ReportLayer["goal"] {
  const model = config.model;
  if (model.kind !== "infomorphic") return null;
  let goalConfig: GoalConfig;
  if (layer.name === "output") goalConfig = model.output.goal;
  else if (layer.name === "hidden" && model.hidden && model.hidden.kind === "infomorphic")
    goalConfig = model.hidden.goal;
  else return null;
  const resolved =
    typeof goalConfig === "string"
      ? namedGoal(goalConfig)
      : goalFromJSON(goalConfig, { sources: layer.sources.length, classNames: layer.sources });
  return { name: typeof goalConfig === "string" ? goalConfig : null, gamma: resolved.gamma };
}

/** state[layer].parameters[j] for source j, when the checkpoint holds them in that shape. */
function layerWeights(layer: RunLayerAtoms, state: unknown, inputDim: number): ReportSource[] {
  const saved = (state as Record<string, { parameters?: unknown } | undefined> | null)?.[
    layer.name
  ];
  const parameters = saved?.parameters;
  if (!Array.isArray(parameters) || parameters.length !== layer.sources.length) return [];
  const sources = parameters as SourceWeights[];
  if (!sources.every((s) => s.weights instanceof Float32Array && s.bias instanceof Float32Array))
    return [];
  return sources.map((source, j) => {
    const inputs = source.weights.length / source.bias.length;
    const side = Math.round(Math.sqrt(inputs));
    const isImage = layer.sources[j] === "F" && inputs === inputDim && side * side === inputs;
    const summary = weightSummary(source);
    return {
      name: layer.sources[j],
      inputs,
      image: isImage ? fieldImages(source, side) : null,
      weights: source.weights.length <= MAX_BAR_WEIGHTS && !isImage ? source.weights : null,
      summary: {
        norm: summary.norm,
        mean: summary.mean,
        maxAbs: summary.maxAbs,
        positiveFraction: summary.positiveFraction,
      },
    };
  });
}

/** Every neuron's receptive field as side × side RGBA, each on its own |w| scale. */
function fieldImages(source: SourceWeights, side: number): NonNullable<ReportSource["image"]> {
  const neurons = source.bias.length;
  const pixels = side * side * 4;
  const rgba = new Uint8Array(neurons * pixels);
  const scale = new Float32Array(neurons);
  for (let i = 0; i < neurons; i++) {
    const field = receptiveField(source, i, { rows: side, cols: side, scale: "neuron" });
    rgba.set(field.rgba, i * pixels);
    scale[i] = field.scale;
  }
  return { rows: side, cols: side, rgba, scale };
}
