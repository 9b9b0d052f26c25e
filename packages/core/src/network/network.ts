/** The papers' infomorphic network: an optional hidden layer (F with label, feedback and/or lateral context) and an output layer whose context is the label. */

import { InfomorphError } from "../errors.js";
import type { Goal } from "../goals/goal.js";
import { parseGoal } from "../goals/spec.js";
import type { Kernels } from "../kernels/kernels.js";
import { activationFromConfig } from "../neuron/activation.js";
import { type Binning, type BinningInput, resolveBinning } from "../neuron/binning.js";
import {
  InfomorphicLayer,
  type LayerConfig,
  type LayerState,
  type OptimizerConfig,
  type SourceConfig,
} from "../neuron/layer.js";
import { Rng, type RngState } from "../random/rng.js";
import type { BatchStats, Model, ModelEpochStats } from "./model.js";

/** An activation by kind and parameters, e.g. {kind: "modulatory", k1: 0.9, k2: 2}. */
export interface ActivationConfig {
  readonly kind: string;
  readonly [param: string]: unknown;
}

/**
 * A goal (see goals/spec.ts): a named goal of the papers ("trivariate-opt1"), weights as a
 * string ("(F)(C)=1, H_res=0.1") or by atom name ({"(F)(C)": 1, "H_res": 0.1}).
 */
export type GoalConfig = string | Readonly<Record<string, number>>;

export interface HiddenLayerConfig {
  readonly size: number;
  /** "infomorphic" ascends its goal; "random-projection" keeps its random weights and fires Y = 2·H(s_F) − 1 (heaviside threshold). */
  readonly kind: "infomorphic" | "random-projection";
  /** The context source C: none, the label (one-hot), or feedback (the output layer's samples). */
  readonly context: "none" | "label" | "feedback";
  /** The lateral source L: none, every other neuron, or k random others. */
  readonly lateral:
    | null
    | { readonly kind: "no-self" }
    | { readonly kind: "sparse"; readonly inputs: number };
  /** Forward passes per batch; L is the previous pass's samples (0 in the first); only the last enters the goal. */
  readonly passes: number;
  readonly activation: ActivationConfig;
  readonly binning: BinningInput;
  readonly goal: GoalConfig;
  readonly optimizer: OptimizerConfig;
}

export interface OutputLayerConfig {
  readonly activation: ActivationConfig;
  readonly binning: BinningInput;
  readonly goal: GoalConfig;
  readonly optimizer: OptimizerConfig;
}

export interface InfomorphicNetworkConfig {
  readonly kind: "infomorphic";
  readonly inputs: number;
  readonly classes: number;
  readonly hidden: HiddenLayerConfig | null;
  readonly output: OutputLayerConfig;
}

interface NetworkState {
  readonly hidden: LayerState | null;
  readonly output: LayerState;
  readonly rng: RngState;
  readonly flip: number[];
}

/**
 * Training: label context present (one-hot, in the output layer through fixed one-to-one
 * unit weights); every layer learns locally from its own goal, samples are detached.
 * Evaluation (SCIENCE.md §6): label context zeroed in all layers, hidden neurons still
 * sample (from a separate evaluation stream, so evaluating never changes training), output
 * neurons that fired *less* for their own class than for the others during the last
 * training epoch are flipped (θ → 1 − θ), then argmax. PID cannot tell Y from −Y, so
 * the polarity is decided by agreement with the class, which works for any number of
 * classes; the reference's rule (mean θ > ½, per evaluation batch) is a coin toss when two
 * balanced classes make every neuron fire half the time.
 */
export class InfomorphicNetwork implements Model {
  readonly kind = "infomorphic";
  readonly classes: number;
  readonly config: InfomorphicNetworkConfig;
  readonly hidden: InfomorphicLayer | null;
  readonly output: InfomorphicLayer;
  /** Per output neuron: 1 if its θ is read as 1 − θ. */
  readonly flip: Uint8Array;

  private rng: Rng;
  private readonly kernels: Kernels;
  private readonly evalSeed: number;
  private readonly capacity: number;
  private readonly onehot: Float32Array;
  private readonly previous: Float32Array;
  /** Per output neuron k, over this epoch's training samples: Σθ_k and count with label k, and without. */
  private readonly thetaWithClass: Float64Array;
  private readonly countWithClass: Float64Array;
  private readonly thetaWithoutClass: Float64Array;
  private readonly countWithoutClass: Float64Array;

  constructor(config: InfomorphicNetworkConfig, capacity: number, kernels: Kernels, seed: number) {
    this.config = config;
    this.classes = config.classes;
    this.capacity = capacity;
    this.kernels = kernels;
    const init = new Rng(seed);
    this.rng = new Rng(seed + 1);
    this.evalSeed = seed + 2;
    const h = config.hidden;
    this.hidden = h
      ? new InfomorphicLayer(hiddenLayerConfig(h, config), capacity, kernels, init)
      : null;
    this.output = new InfomorphicLayer(outputLayerConfig(config), capacity, kernels, init);
    this.flip = new Uint8Array(config.classes);
    this.onehot = kernels.alloc(capacity * config.classes);
    this.previous = kernels.alloc(capacity * (h?.size ?? 0));
    this.thetaWithClass = new Float64Array(config.classes);
    this.countWithClass = new Float64Array(config.classes);
    this.thetaWithoutClass = new Float64Array(config.classes);
    this.countWithoutClass = new Float64Array(config.classes);
  }

  allocInput(length: number): Float32Array {
    return this.kernels.alloc(length);
  }

  trainBatch(x: Float32Array, labels: Uint8Array, count: number): BatchStats {
    this.setOnehot(labels, count);
    const hiddenGoal = this.forward(x, count, this.rng, true);
    const out = this.output;
    const { meanGoal } = out.learn([this.hiddenOutput(x), this.onehot], count);
    let correct = 0;
    for (let i = 0; i < count; i++) {
      if (argmaxFlipped(out.theta, i, this.classes, this.flip) === labels[i]) correct++;
      for (let k = 0; k < this.classes; k++) {
        const theta = out.theta[i * this.classes + k];
        if (labels[i] === k) {
          this.thetaWithClass[k] += theta;
          this.countWithClass[k]++;
        } else {
          this.thetaWithoutClass[k] += theta;
          this.countWithoutClass[k]++;
        }
      }
    }
    return {
      accuracy: correct / count,
      goals: hiddenGoal === null ? [meanGoal] : [hiddenGoal, meanGoal],
    };
  }

  predict(x: Float32Array, count: number, scores: Float32Array): void {
    const rng = new Rng(this.evalSeed);
    for (let start = 0; start < count; start += this.capacity) {
      const n = Math.min(this.capacity, count - start);
      const chunk = x.subarray(start * this.config.inputs, (start + n) * this.config.inputs);
      this.forward(chunk, n, rng, false);
      const theta = this.output.theta;
      for (let e = 0; e < n * this.classes; e++) {
        const k = e % this.classes;
        scores[start * this.classes + e] = this.flip[k] ? 1 - theta[e] : theta[e];
      }
    }
  }

  /**
   * The hidden layer's ±1 samples for `count` inputs as evaluation sees them: label
   * context zeroed, every lateral pass run, stochastic neurons sampled from the evaluation
   * stream, in the same chunks as predict(). So they are the samples predict() reads out,
   * the same for every call on the same state, and training is not changed.
   * Writes out[sample × hidden size] (row-major); out must hold count × hidden size entries.
   * Throws for a network without a hidden layer.
   *
   * @example net.hiddenSamples(validation.features, 4096, new Int8Array(4096 * 100))
   */
  hiddenSamples(x: Float32Array, count: number, out: Int8Array): void {
    const hidden = this.hidden;
    if (!hidden) {
      throw new InfomorphError({
        code: "network/no-hidden-layer",
        path: ["hidden"],
        message:
          "this network has no hidden layer (read-out only), so it has no hidden samples. Configure model.hidden to get some.",
      });
    }
    const size = hidden.size;
    if (out.length < count * size) {
      throw new InfomorphError({
        code: "network/output-too-small",
        path: ["out"],
        message: `out holds ${out.length} entries but ${count} samples × ${size} hidden neurons need ${count * size}. Allocate new Int8Array(${count * size}).`,
      });
    }
    const rng = new Rng(this.evalSeed);
    for (let start = 0; start < count; start += this.capacity) {
      const n = Math.min(this.capacity, count - start);
      const chunk = x.subarray(start * this.config.inputs, (start + n) * this.config.inputs);
      this.forward(chunk, n, rng, false);
      for (let e = 0; e < n * size; e++) out[start * size + e] = hidden.samples[e] > 0 ? 1 : -1;
    }
  }

  endEpoch(): ModelEpochStats {
    for (let k = 0; k < this.classes; k++) {
      // A class absent from the epoch leaves its neuron's polarity as it was.
      if (this.countWithClass[k] === 0 || this.countWithoutClass[k] === 0) continue;
      const withClass = this.thetaWithClass[k] / this.countWithClass[k];
      const withoutClass = this.thetaWithoutClass[k] / this.countWithoutClass[k];
      this.flip[k] = withClass < withoutClass ? 1 : 0;
    }
    for (const sums of [
      this.thetaWithClass,
      this.countWithClass,
      this.thetaWithoutClass,
      this.countWithoutClass,
    ])
      sums.fill(0);
    const layers = [];
    if (this.hidden)
      layers.push({
        name: "hidden",
        atoms: this.hidden.takeAtomMeans(),
        ...this.layerInfo(this.hidden),
      });
    layers.push({
      name: "output",
      atoms: this.output.takeAtomMeans(),
      ...this.layerInfo(this.output),
    });
    return { layers };
  }

  state(): NetworkState {
    return {
      hidden: this.hidden?.state() ?? null,
      output: this.output.state(),
      rng: this.rng.state(),
      flip: Array.from(this.flip),
    };
  }

  restore(state: unknown): void {
    const s = state as NetworkState;
    if (this.hidden && s.hidden) this.hidden.restore(s.hidden);
    this.output.restore(s.output);
    this.rng = Rng.fromState(s.rng);
    this.flip.set(s.flip);
  }

  private layerInfo(layer: InfomorphicLayer) {
    return { size: layer.size, sources: layer.config.sources.map((s) => s.name) };
  }

  /**
   * Forward through the hidden layer (all passes) and the output layer's activation.
   * When learning, the hidden layer learns from its last pass; returns its mean goal.
   */
  private forward(x: Float32Array, count: number, rng: Rng, learning: boolean): number | null {
    const h = this.config.hidden;
    const hidden = this.hidden;
    const out = this.output;
    const label = learning ? this.onehot : null;
    let hiddenGoal: number | null = null;
    if (hidden && h) {
      const sources = hidden.config.sources.map((s) => s.name);
      const iF = 0;
      const iC = sources.indexOf("C");
      const iL = sources.indexOf("L");
      const cells = count * h.size;
      hidden.project(iF, x, count);
      if (iC >= 0 && h.context === "label") hidden.project(iC, label, count);
      const used: (Float32Array | null)[] = sources.map(() => null);
      used[iF] = x;
      if (iC >= 0 && h.context === "label") used[iC] = label;
      let feedback: Float32Array | null = null;
      for (let pass = 0; pass < h.passes; pass++) {
        const lateral = pass === 0 ? null : this.previous;
        if (iL >= 0) {
          hidden.project(iL, lateral, count);
          used[iL] = lateral;
        }
        if (iC >= 0 && h.context === "feedback") {
          hidden.project(iC, feedback, count);
          used[iC] = feedback;
        }
        if (h.kind === "random-projection") {
          // Deterministic threshold units: Y = 2·H(s_F) − 1 with the layer's heaviside activation.
          const step = hidden.theta.subarray(0, cells);
          hidden.config.activation.apply([hidden.s[iF].subarray(0, cells)], step, null);
          for (let e = 0; e < cells; e++) hidden.samples[e] = 2 * step[e] - 1;
        } else {
          hidden.activate(count, rng);
        }
        this.previous.set(hidden.samples.subarray(0, cells));
        if (h.context === "feedback" && pass < h.passes - 1) {
          this.outputActivate(hidden.samples, label, count, rng);
          feedback = out.samples;
        }
      }
      if (learning && h.kind === "infomorphic") hiddenGoal = hidden.learn(used, count).meanGoal;
    }
    this.outputActivate(this.hiddenOutput(x), label, count, rng);
    return hiddenGoal;
  }

  private outputActivate(
    input: Float32Array,
    label: Float32Array | null,
    count: number,
    rng: Rng,
  ): void {
    this.output.project(0, input, count);
    this.output.project(1, label, count);
    this.output.activate(count, rng);
  }

  private hiddenOutput(x: Float32Array): Float32Array {
    return this.hidden ? this.hidden.samples : x;
  }

  private setOnehot(labels: Uint8Array, count: number): void {
    const c = this.classes;
    this.onehot.fill(0, 0, count * c);
    for (let i = 0; i < count; i++) {
      if (labels[i] >= c) {
        throw new InfomorphError({
          code: "network/bad-label",
          message: `label ${labels[i]} of sample ${i} is outside 0…${c - 1} for ${c} classes.`,
        });
      }
      this.onehot[i * c + labels[i]] = 1;
    }
  }
}

/** Index of the largest (flipped) θ of sample i; ties go to the lower class. */
export function argmaxFlipped(
  theta: Float32Array,
  i: number,
  classes: number,
  flip: Uint8Array,
): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < classes; k++) {
    const t = theta[i * classes + k];
    const v = flip[k] ? 1 - t : t;
    if (v > bestValue) {
      bestValue = v;
      best = k;
    }
  }
  return best;
}

/** One parser for every goal a config holds: a named goal, a weights string, or an object (goals/spec.ts). */
function resolveGoal(g: GoalConfig, classNames: string[]): Goal {
  return parseGoal(g, { sources: classNames.length, classNames });
}

/**
 * The PID sources of a hidden layer in order: F, then C (label or feedback context), then L
 * (lateral). Its goal is written over these names, e.g. "(F)(C)" or, without context, "(F)(L)".
 */
export function hiddenSourceNames(h: Pick<HiddenLayerConfig, "context" | "lateral">): string[] {
  const names = ["F"];
  if (h.context === "label" || h.context === "feedback") names.push("C");
  if (h.lateral) names.push("L");
  return names;
}

/** The output layer's sources: F (the hidden layer's samples, or the inputs) and C (the label). */
export const OUTPUT_SOURCE_NAMES: readonly string[] = Object.freeze(["F", "C"]);

function hiddenLayerConfig(h: HiddenLayerConfig, net: InfomorphicNetworkConfig): LayerConfig {
  const sources: SourceConfig[] = [{ name: "F", inputs: net.inputs }];
  if (h.context === "label" || h.context === "feedback") {
    sources.push({ name: "C", inputs: net.classes });
  }
  if (h.lateral) sources.push({ name: "L", inputs: h.size, connectivity: h.lateral });
  const classNames = hiddenSourceNames(h);
  const randomProjection = h.kind === "random-projection";
  const activation = randomProjection
    ? activationFromConfig({ kind: "heaviside" })
    : activationFromConfig(h.activation);
  return {
    size: h.size,
    sources: randomProjection ? sources.slice(0, 1) : sources,
    activation,
    binning: resolveBinning(h.binning),
    gamma: randomProjection ? new Float64Array(2) : resolveGoal(h.goal, classNames).gamma,
    optimizer: h.optimizer,
    frozen: randomProjection,
  };
}

function outputLayerConfig(net: InfomorphicNetworkConfig): LayerConfig {
  const o = net.output;
  return {
    size: net.classes,
    sources: [
      { name: "F", inputs: net.hidden?.size ?? net.inputs },
      { name: "C", inputs: net.classes, connectivity: { kind: "one-to-one" } },
    ],
    activation: activationFromConfig(o.activation),
    binning: resolveBinning(o.binning) as Binning,
    gamma: resolveGoal(o.goal, [...OUTPUT_SOURCE_NAMES]).gamma,
    optimizer: o.optimizer,
  };
}
