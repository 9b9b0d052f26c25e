/**
 * A run as the page holds it: the payload of `infomorph report` or `infomorph lab`
 * (src/payload.ts) decoded, growing as live events arrive (metrics lines, epochs of atoms,
 * new weights), with what the views draw derived from it: learning curves, and per layer the
 * atom bands of core's atomTrajectories and each atom's class.
 */

import { atomTrajectories } from "@infomorph/core";
import { type MetricLine, decodeBinary, decodeState } from "@infomorph/runs/browser";
import type {
  GoalChange,
  LiveCursor,
  PayloadLayer,
  PayloadSource,
  RunPayload,
  RunStatus,
} from "../../../src/payload.js";
import { type AtomClass, atomClasses } from "../analysis/atom-classes.js";

export type { GoalChange, LiveCursor, PayloadSource, RunPayload, RunStatus };

/** One layer's atoms, epoch by epoch, with their bands. */
export class LayerData {
  readonly name: string;
  readonly size: number;
  readonly sources: readonly string[];
  /** Canonical atom names, then "H_res". */
  readonly names: readonly string[];
  /** The same by source, e.g. "(F)(C)", then "H_res". */
  readonly aliases: readonly string[];
  /** Values per neuron and epoch: atoms + 1. */
  readonly stride: number;
  readonly goal: PayloadLayer["goal"];
  /** Each atom's class (not H_res). */
  readonly classes: readonly AtomClass[];
  /** Per epoch, [neuron × stride] bits. */
  readonly epochs: Float32Array[] = [];
  /** core's atomTrajectories over the epochs: [epoch × stride] each. */
  bands = {
    median: new Float64Array(0),
    q10: new Float64Array(0),
    q90: new Float64Array(0),
    mean: new Float64Array(0),
  };
  weights: PayloadSource[];

  constructor(layer: PayloadLayer) {
    this.name = layer.name;
    this.size = layer.size;
    this.sources = layer.sources;
    this.names = [...layer.atoms, "H_res"];
    this.aliases = [...layer.aliases, "H_res"];
    this.stride = layer.stride;
    this.goal = layer.goal;
    this.classes = atomClasses(layer.sources.length);
    this.weights = layer.weights;
    const per = layer.size * layer.stride;
    this.addEpochs(
      Array.from({ length: layer.epochs }, (_, e) => layer.values.subarray(e * per, (e + 1) * per)),
    );
  }

  /** Append whole epochs ([neuron × stride] each) and extend the bands by them. */
  addEpochs(epochs: readonly Float32Array[]): void {
    if (epochs.length === 0) return;
    this.epochs.push(...epochs);
    const more = atomTrajectories(epochs, { values: this.stride });
    const grow = (old: Float64Array, add: Float64Array) => {
      const out = new Float64Array(old.length + add.length);
      out.set(old);
      out.set(add, old.length);
      return out;
    };
    this.bands = {
      median: grow(this.bands.median, more.median),
      q10: grow(this.bands.q10, more.q10),
      q90: grow(this.bands.q90, more.q90),
      mean: grow(this.bands.mean, more.mean),
    };
  }

  /** Neuron n's values over the epochs, [epoch × stride]. */
  neuron(n: number): Float32Array {
    const out = new Float32Array(this.epochs.length * this.stride);
    this.epochs.forEach((epoch, e) => {
      out.set(epoch.subarray(n * this.stride, (n + 1) * this.stride), e * this.stride);
    });
    return out;
  }
}

/** Per epoch, the accuracy of each split and the mean goal of each layer. */
export interface Curves {
  epochs: number[];
  train: number[];
  validation: number[];
  test: (number | null)[];
  /** One series per layer (infomorphic: G in bits; backprop: [cross-entropy]). */
  goals: { label: string; values: number[] }[];
  goalKind: "goal" | "loss";
}

export class RunData {
  readonly name: string;
  readonly config: RunPayload["config"];
  readonly layers: LayerData[];
  complexity: RunPayload["complexity"];
  status: RunStatus | null;
  cursor: LiveCursor | null;
  /** Completed epochs at the newest checkpoint seen. */
  checkpointEpoch: number;
  /** The last line per epoch and split (a resume after a crash may repeat an epoch). */
  private readonly lines = new Map<string, MetricLine>();
  private cachedCurves: Curves | null = null;

  constructor(payload: RunPayload) {
    this.name = payload.name;
    this.config = payload.config;
    this.layers = payload.layers.map((layer) => new LayerData(layer));
    this.complexity = payload.complexity;
    this.status = payload.live?.status ?? null;
    this.cursor = payload.live?.cursor ?? null;
    this.checkpointEpoch = payload.epoch;
    this.addMetrics(payload.metrics);
  }

  /** The payload as JSON carries it (typed arrays as {dtype, base64}). */
  static decode(json: unknown): RunData {
    return new RunData(decodeState(json) as RunPayload);
  }

  /** The payload in the lab server's binary form (typed arrays as raw bytes). */
  static fromBinary(buffer: ArrayBuffer): RunData {
    return new RunData(decodeBinary(buffer) as RunPayload);
  }

  addMetrics(lines: readonly MetricLine[]): void {
    for (const line of lines) this.lines.set(`${line.epoch}/${line.split}`, line);
    if (lines.length > 0) this.cachedCurves = null;
  }

  /** Epochs with a validation line, in order. */
  get epochsDone(): number {
    return this.curves().epochs.length;
  }

  get goalChanges(): readonly GoalChange[] {
    return this.config.goalChanges ?? [];
  }

  curves(): Curves {
    if (this.cachedCurves) return this.cachedCurves;
    const byEpoch = new Map<number, Partial<Record<MetricLine["split"], MetricLine>>>();
    for (const line of this.lines.values()) {
      const entry = byEpoch.get(line.epoch) ?? {};
      entry[line.split] = line;
      byEpoch.set(line.epoch, entry);
    }
    const entries = [...byEpoch.entries()].sort(([a], [b]) => a - b);
    const goalCount = Math.max(0, ...entries.map(([, e]) => e.train?.goals?.length ?? 0));
    const backprop = this.config.model.kind === "backprop";
    this.cachedCurves = {
      epochs: entries.map(([epoch]) => epoch),
      train: entries.map(([, e]) => e.train?.accuracy ?? Number.NaN),
      validation: entries.map(([, e]) => e.validation?.accuracy ?? Number.NaN),
      test: entries.map(([, e]) => e.test?.accuracy ?? null),
      goalKind: backprop ? "loss" : "goal",
      goals: Array.from({ length: goalCount }, (_, i) => ({
        label: backprop ? "cross-entropy" : (this.layers[i]?.name ?? `layer ${i + 1}`),
        values: entries.map(([, e]) => e.train?.goals?.[i] ?? Number.NaN),
      })),
    };
    return this.cachedCurves;
  }

  /** The newest epoch's metrics lines by split. */
  lastEpoch(): { epoch: number; lines: Partial<Record<MetricLine["split"], MetricLine>> } | null {
    const c = this.curves();
    const epoch = c.epochs.at(-1);
    if (epoch === undefined) return null;
    const lines: Partial<Record<MetricLine["split"], MetricLine>> = {};
    for (const split of ["train", "validation", "test"] as const) {
      const line = this.lines.get(`${epoch}/${split}`);
      if (line) lines[split] = line;
    }
    return { epoch, lines };
  }
}
