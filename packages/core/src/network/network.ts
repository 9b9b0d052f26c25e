/** The papers' infomorphic network: an optional hidden layer (F with label, feedback and/or lateral context) and an output layer whose context is the label. */

import { InfomorphError } from "../errors.js";
import type { GoalSpec } from "../goals/spec.js";
import type { Kernels } from "../kernels/kernels.js";
import { InfomorphicLayer, type LayerState } from "../neuron/layer.js";
import { Rng, type RngState } from "../random/rng.js";
import {
  checkEpochAtoms,
  checkHiddenSamples,
  checkPredict,
  checkRestore,
  checkTrainBatch,
} from "./arguments.js";
import { type LayerAtoms, layerAtoms } from "./atoms.js";
import {
  type HiddenLayerConfig,
  type InfomorphicNetworkConfig,
  OUTPUT_SOURCE_NAMES,
  checkEvaluation,
  checkStack,
  hiddenLayerConfig,
  hiddenSourceNames,
  outputLayerConfig,
} from "./config.js";
import { type GoalLayer, layerGoal, noGoalLayer } from "./layer-goals.js";
import type { BatchStats, Model, ModelEpochStats } from "./model.js";
import { WeightAverage, type WeightAverageState } from "./weight-average.js";

export type {
  ActivationConfig,
  GoalConfig,
  HiddenLayerConfig,
  InfomorphicNetworkConfig,
  OutputLayerConfig,
} from "./config.js";
export { OUTPUT_SOURCE_NAMES, hiddenSourceNames } from "./config.js";
export type { GoalLayer };

/** A layer of an infomorphic network by name: "hidden" (the first hidden layer), "hidden2", … (stacked layers), "output". */
export type LayerName = "hidden" | "output" | `hidden${number}`;

interface NetworkState {
  readonly hidden: LayerState | null;
  /** Absent in checkpoints written before stacked layers existed. */
  readonly stacked?: LayerState[];
  /** With evaluation.averageWeights only. */
  readonly average?: WeightAverageState;
  readonly output: LayerState;
  readonly rng: RngState;
  readonly flip: number[];
}

/**
 * Training: label context present (one-hot, in the output layer through fixed one-to-one
 * unit weights); every layer learns locally from its own goal, samples are detached.
 * Evaluation (docs/SCIENCE.md §6): label context zeroed in all layers, hidden neurons still
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
  readonly inputs: number;
  /** The largest batch trainBatch() and each chunk of predict() take. */
  readonly capacity: number;
  /** The seed it was built with: weights, sampling and evaluation streams derive from it. */
  readonly seed: number;
  readonly hidden: InfomorphicLayer | null;
  /** The layers of config.stacked, bottom to top. */
  readonly stacked: readonly InfomorphicLayer[];
  readonly output: InfomorphicLayer;
  /** Per output neuron: 1 if its θ is read as 1 − θ. */
  readonly flip: Uint8Array;

  private rng: Rng;
  private currentConfig: InfomorphicNetworkConfig;
  /** The layers' atoms over the last training epoch (endEpoch), null before the first. */
  private lastEpoch: ModelEpochStats | null = null;
  private readonly kernels: Kernels;
  private readonly evalSeed: number;
  private readonly onehot: Float32Array;
  /** Per hidden layer (bottom to top): the config, and its samples of the previous pass (the next pass's lateral input). */
  private readonly hiddenConfigs: readonly HiddenLayerConfig[];
  private readonly previous: Float32Array[];
  private readonly average: WeightAverage | null;
  /** Per output neuron k, over this epoch's training samples: Σθ_k and count with label k, and without. */
  private readonly thetaWithClass: Float64Array;
  private readonly countWithClass: Float64Array;
  private readonly thetaWithoutClass: Float64Array;
  private readonly countWithoutClass: Float64Array;

  constructor(config: InfomorphicNetworkConfig, capacity: number, kernels: Kernels, seed: number) {
    this.currentConfig = config;
    this.classes = config.classes;
    this.inputs = config.inputs;
    this.capacity = capacity;
    this.seed = seed;
    this.kernels = kernels;
    const init = new Rng(seed);
    this.rng = new Rng(seed + 1);
    this.evalSeed = seed + 2;
    const h = config.hidden;
    const stacked = config.stacked ?? [];
    checkStack(h, stacked);
    checkEvaluation(config.evaluation);
    this.hiddenConfigs = h ? [h, ...stacked] : [];
    const layers = this.hiddenConfigs.map(
      (layer, l) =>
        new InfomorphicLayer(
          hiddenLayerConfig(
            layer,
            config,
            l === 0 ? config.inputs : this.hiddenConfigs[l - 1].size,
          ),
          capacity,
          kernels,
          init,
        ),
    );
    this.hidden = layers[0] ?? null;
    this.stacked = layers.slice(1);
    this.output = new InfomorphicLayer(outputLayerConfig(config), capacity, kernels, init);
    this.flip = new Uint8Array(config.classes);
    this.onehot = kernels.alloc(capacity * config.classes);
    this.previous = this.hiddenConfigs.map((layer) =>
      kernels.alloc(layer.lateral ? capacity * layer.size : 0),
    );
    const decay = config.evaluation?.averageWeights;
    this.average =
      decay === undefined
        ? null
        : new WeightAverage(
            [...layers, this.output].flatMap((layer) =>
              layer.parameters.filter((p) => p.learned).flatMap((p) => [p.weights, p.bias]),
            ),
            decay,
          );
    this.thetaWithClass = new Float64Array(config.classes);
    this.countWithClass = new Float64Array(config.classes);
    this.thetaWithoutClass = new Float64Array(config.classes);
    this.countWithoutClass = new Float64Array(config.classes);
  }

  /** The complete config, with the goals setGoal() set. */
  get config(): InfomorphicNetworkConfig {
    return this.currentConfig;
  }

  allocInput(length: number): Float32Array {
    return this.kernels.alloc(length);
  }

  /**
   * The goal `layer` ascends from the next batch on: written as for a config (a named goal,
   * `"(F)(C)=1, (F)(L)=-1"`, or {atom: weight}) over the layer's sources — the hidden layer's
   * (see hiddenSourceNames) or the output layer's F and C. Only the goal's weights change
   * (weights, optimizer moments and streams are kept), so it is cheap enough for a slider.
   * `config` then holds the new goal, and so does a saved model. Errors: an unknown atom (the
   * message lists the layer's atoms), a hidden goal for a network without a learning hidden
   * layer.
   *
   * @example model.setGoal("hidden", "(F)(C)=1, (F)(L)=-1")
   */
  setGoal(layer: GoalLayer, goal: GoalSpec): void {
    if (layer !== "hidden" && layer !== "output") {
      throw new InfomorphError({
        code: "goal/unknown-layer",
        path: ["layer"],
        message: `layer must be "hidden" or "output" (got ${JSON.stringify(layer)}).`,
      });
    }
    const config = this.currentConfig;
    if (layer === "output") {
      const { goal: parsed, stored } = layerGoal(goal, OUTPUT_SOURCE_NAMES, "goal");
      this.output.setGamma(parsed.gamma);
      this.currentConfig = { ...config, output: { ...config.output, goal: stored } };
      return;
    }
    const h = config.hidden;
    if (h === null) throw noGoalLayer("no-hidden", "goal");
    if (h.kind === "random-projection") throw noGoalLayer("random-projection", "goal");
    // every hidden layer of a stack takes the hidden goal, as withLayerGoals sets it; all are
    // parsed before any changes, so a typo changes nothing
    const parsed = this.hiddenConfigs.map((c) => layerGoal(goal, hiddenSourceNames(c), "goal"));
    this.hiddenLayers().forEach((l, i) => l.setGamma(parsed[i].goal.gamma));
    const [first, ...stacked] = parsed.map((p, i) => ({
      ...this.hiddenConfigs[i],
      goal: p.stored,
    }));
    this.currentConfig = { ...config, hidden: first, ...(config.stacked ? { stacked } : {}) };
  }

  /**
   * The atoms of every neuron of `layer` over the last training epoch (the means endEpoch()
   * returned), by name. Throws before the first epoch has ended.
   *
   * @example model.atoms("hidden").atom("(F)(C)") // one value per hidden neuron, bits
   */
  atoms(layer: LayerName): LayerAtoms {
    const stats = this.lastEpoch?.layers.find((l) => l.name === layer);
    if (!stats) {
      const names = this.layerNames().map((n) => JSON.stringify(n));
      throw new InfomorphError({
        code: "atoms/not-available",
        path: ["layer"],
        message: this.lastEpoch
          ? `this network has no layer ${JSON.stringify(layer)}; its layers are ${names.join(", ")}.`
          : "no training epoch has ended yet, so there are no atoms to read; train an epoch first (trainModel, or trainBatch() then endEpoch()).",
      });
    }
    return layerAtoms(stats);
  }

  /** The layers' names as endEpoch() and atoms() know them: "hidden", "hidden2", …, "output". */
  private layerNames(): string[] {
    return [
      ...this.hiddenLayers().map((_, l) => (l === 0 ? "hidden" : `hidden${l + 1}`)),
      "output",
    ];
  }

  trainBatch(x: Float32Array, labels: Uint8Array, count: number): BatchStats {
    checkTrainBatch(this, x, labels, count);
    this.setOnehot(labels, count);
    const hiddenGoals = this.forward(x, count, this.rng, true);
    const out = this.output;
    const { meanGoal } = out.learn([this.hiddenOutput(x), this.onehot], count);
    this.average?.update();
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
      goals: [...hiddenGoals, meanGoal],
    };
  }

  predict(x: Float32Array, count: number, scores: Float32Array): void {
    checkPredict(this, x, count, scores);
    this.evaluating(() => this.predictWith(x, count, scores));
  }

  private predictWith(x: Float32Array, count: number, scores: Float32Array): void {
    const rng = new Rng(this.evalSeed);
    const repeats = this.config.evaluation?.samples ?? 1;
    for (let start = 0; start < count; start += this.capacity) {
      const n = Math.min(this.capacity, count - start);
      const chunk = x.subarray(start * this.config.inputs, (start + n) * this.config.inputs);
      const out = scores.subarray(start * this.classes, (start + n) * this.classes);
      out.fill(0);
      for (let r = 0; r < repeats; r++) {
        this.forward(chunk, n, rng, false);
        const theta = this.output.theta;
        for (let e = 0; e < n * this.classes; e++) {
          const k = e % this.classes;
          out[e] += (this.flip[k] ? 1 - theta[e] : theta[e]) / repeats;
        }
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
    checkHiddenSamples(this, x, count, out, size);
    const rng = new Rng(this.evalSeed);
    this.evaluating(() => {
      for (let start = 0; start < count; start += this.capacity) {
        const n = Math.min(this.capacity, count - start);
        const chunk = x.subarray(start * this.config.inputs, (start + n) * this.config.inputs);
        this.forward(chunk, n, rng, false);
        for (let e = 0; e < n * size; e++) out[start * size + e] = hidden.samples[e] > 0 ? 1 : -1;
      }
    });
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
    const names = this.layerNames();
    const layers = this.hiddenLayers().map((layer, l) => ({
      name: names[l],
      atoms: layer.takeAtomMeans(),
      ...this.layerInfo(layer),
    }));
    layers.push({
      name: "output",
      atoms: this.output.takeAtomMeans(),
      ...this.layerInfo(this.output),
    });
    this.lastEpoch = { layers };
    return { layers };
  }

  /** The atoms of the last epoch, for saveModel (null before the first). */
  epochAtoms(): ModelEpochStats | null {
    return this.lastEpoch;
  }

  /** Set the last epoch's atoms (loadModel), checked against the layers (state/mismatch). */
  restoreEpochAtoms(stats: unknown): void {
    const names = this.layerNames();
    this.lastEpoch = checkEpochAtoms(
      [...this.hiddenLayers(), this.output].map((layer, l) => ({
        name: names[l],
        values: layer.atomSums.length,
        ...this.layerInfo(layer),
      })),
      stats,
    );
  }

  state(): NetworkState {
    return {
      hidden: this.hidden?.state() ?? null,
      ...(this.stacked.length > 0 ? { stacked: this.stacked.map((l) => l.state()) } : {}),
      ...(this.average ? { average: this.average.state() } : {}),
      output: this.output.state(),
      rng: this.rng.state(),
      flip: Array.from(this.flip),
    };
  }

  /**
   * Continue from a state() of a network with the same config. The state is checked first
   * (state/mismatch naming the first entry that differs, e.g. `state.hidden.parameters[0].weights`),
   * so a wrong one changes nothing.
   */
  restore(state: unknown): void {
    checkRestore({ ...this.state(), rng: { words: [0, 0, 0, 0], spareNormal: null } }, state);
    const s = state as NetworkState;
    const flip = s.flip.findIndex((f) => f !== 0 && f !== 1);
    if (flip >= 0) {
      throw new InfomorphError({
        code: "state/mismatch",
        path: ["state", "flip", flip],
        message: `state.flip[${flip}] is ${s.flip[flip]}; each output neuron's flip is 0 or 1. The state is damaged; save it again.`,
      });
    }
    const rng = Rng.fromState(s.rng);
    if (this.hidden && s.hidden) this.hidden.restore(s.hidden);
    this.stacked.forEach((layer, l) => {
      const saved = s.stacked?.[l];
      if (saved) layer.restore(saved);
    });
    this.output.restore(s.output);
    if (this.average && s.average) this.average.restore(s.average);
    this.rng = rng;
    this.flip.set(s.flip);
  }

  /** Run `fn` with the evaluation weights (the averaged ones, when configured). */
  private evaluating<T>(fn: () => T): T {
    return this.average ? this.average.withAverage(fn) : fn();
  }

  private layerInfo(layer: InfomorphicLayer) {
    return { size: layer.size, sources: layer.config.sources.map((s) => s.name) };
  }

  /**
   * Forward through the hidden layers (all passes, each pass running every hidden layer
   * bottom to top) and the output layer's activation. When learning, every infomorphic
   * hidden layer learns from its last pass with the inputs that pass was given (L = the
   * previous pass's samples); returns their mean goals, bottom to top.
   */
  private forward(x: Float32Array, count: number, rng: Rng, learning: boolean): number[] {
    const layers = this.hiddenLayers();
    const configs = this.hiddenConfigs;
    const label = learning ? this.onehot : null;
    const out = this.output;
    if (layers.length === 0) {
      this.outputActivate(x, label, count, rng);
      return [];
    }
    const cells = (l: number) => count * configs[l].size;
    const names = layers.map((layer) => layer.config.sources.map((s) => s.name));
    const iC = names.map((n) => n.indexOf("C"));
    const iL = names.map((n) => n.indexOf("L"));
    // What each source of each layer was given in the current pass (learn() needs it).
    const used: (Float32Array | null)[][] = names.map((n) => n.map(() => null));
    layers[0].project(0, x, count);
    used[0][0] = x;
    layers.forEach((layer, l) => {
      if (iC[l] >= 0 && configs[l].context === "label") {
        layer.project(iC[l], label, count);
        used[l][iC[l]] = label;
      }
    });
    const lateral: (Float32Array | null)[] = layers.map(() => null);
    let feedback: Float32Array | null = null;
    const passes = configs[0].passes;
    for (let pass = 0; pass < passes; pass++) {
      layers.forEach((layer, l) => {
        if (l > 0) {
          const below = layers[l - 1].samples;
          layer.project(0, below, count);
          used[l][0] = below;
        }
        if (iL[l] >= 0) {
          layer.project(iL[l], lateral[l], count);
          used[l][iL[l]] = lateral[l];
        }
        if (iC[l] >= 0 && configs[l].context === "feedback") {
          layer.project(iC[l], feedback, count);
          used[l][iC[l]] = feedback;
        }
        if (configs[l].kind === "random-projection") {
          // Deterministic threshold units: Y = 2·H(s_F) − 1 with the layer's heaviside activation.
          const step = layer.theta.subarray(0, cells(l));
          layer.config.activation.apply([layer.s[0].subarray(0, cells(l))], step, null);
          for (let e = 0; e < cells(l); e++) layer.samples[e] = 2 * step[e] - 1;
        } else {
          layer.activate(count, rng);
          if (!learning && this.config.evaluation?.hidden === "mean") {
            for (let e = 0; e < cells(l); e++) layer.samples[e] = 2 * layer.theta[e] - 1;
          }
        }
      });
      if (pass === passes - 1) break;
      // The next pass's lateral input: a copy, since this pass's L input must stay intact
      // for learning (the last pass's L input is the previous pass's samples).
      layers.forEach((layer, l) => {
        if (iL[l] < 0) return;
        this.previous[l].set(layer.samples.subarray(0, cells(l)));
        lateral[l] = this.previous[l];
      });
      if (configs[0].context === "feedback") {
        this.outputActivate(layers[0].samples, label, count, rng);
        feedback = out.samples;
      }
    }
    const goals: number[] = [];
    if (learning) {
      layers.forEach((layer, l) => {
        if (configs[l].kind === "infomorphic") goals.push(layer.learn(used[l], count).meanGoal);
      });
    }
    this.outputActivate(this.hiddenOutput(x), label, count, rng);
    return goals;
  }

  /** The hidden layers, bottom to top (none for a read-out alone). */
  private hiddenLayers(): InfomorphicLayer[] {
    return this.hidden ? [this.hidden, ...this.stacked] : [];
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

  /** What the output layer reads: the top hidden layer's samples, or the inputs. */
  private hiddenOutput(x: Float32Array): Float32Array {
    const layers = this.hiddenLayers();
    return layers.length > 0 ? layers[layers.length - 1].samples : x;
  }

  private setOnehot(labels: Uint8Array, count: number): void {
    const c = this.classes;
    this.onehot.fill(0, 0, count * c);
    // labels were checked by trainBatch
    for (let i = 0; i < count; i++) this.onehot[i * c + labels[i]] = 1;
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
