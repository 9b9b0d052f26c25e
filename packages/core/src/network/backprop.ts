/** The backprop baseline on the same architecture: N stochastic binary hidden units (surrogate gradient), 10 linear outputs, softmax cross-entropy, global gradient. */

import type { GoalSpec } from "../goals/spec.js";
import type { Kernels } from "../kernels/kernels.js";
import { type Optimizer, adam } from "../optim/optimizer.js";
import { Rng, type RngState } from "../random/rng.js";
import { checkPredict, checkRestore, checkTrainBatch } from "./arguments.js";
import { type LayerAtoms, backpropHasNoAtoms } from "./atoms.js";
import { type GoalLayer, noGoalLayer } from "./layer-goals.js";
import type { BatchStats, Model, ModelEpochStats } from "./model.js";

export interface BackpropConfig {
  readonly kind: "backprop";
  readonly inputs: number;
  readonly classes: number;
  /** Hidden units; 0 gives softmax regression on the inputs. */
  readonly hidden: number;
  readonly optimizer: { readonly lr: number; readonly weightDecay: number };
  /**
   * "ordinary" (default): this file's network. "reference": the ICLR reference code's
   * baseline, with label and lateral inputs in the hidden layer and sigmoid outputs as
   * logits (ReferenceBackpropNetwork, backprop-reference.ts).
   */
  readonly variant?: "ordinary" | "reference";
}

interface Dense {
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly gradWeights: Float32Array;
  readonly gradBias: Float32Array;
  readonly optimizers: [Optimizer, Optimizer];
}

interface BackpropState {
  readonly layers: { weights: Float32Array; bias: Float32Array; optimizers: unknown[] }[];
  readonly rng: RngState;
}

/**
 * Hidden units fire Y = ±1 with P(+1) = σ(s), in training and evaluation alike. The
 * backward pass treats Y as its expectation 2σ(s) − 1 (surrogate derivative 2σ'(s)).
 * Logits = Y·W2ᵀ + b2, loss = mean cross-entropy. This is the ordinary baseline:
 * unlike the reference's, it feeds no label into the hidden layer and uses proper
 * logits rather than sigmoid probabilities (docs/SCIENCE.md §10, quirk 3).
 */
export class BackpropNetwork implements Model {
  readonly kind = "backprop";
  readonly classes: number;
  readonly inputs: number;
  /** The largest batch trainBatch() and each chunk of predict() take. */
  readonly capacity: number;
  /** The seed it was built with: weights, sampling and evaluation streams derive from it. */
  readonly seed: number;
  readonly config: BackpropConfig;
  private readonly layers: Dense[];
  private readonly kernels: Kernels;
  private rng: Rng;
  private readonly evalSeed: number;
  private readonly s: Float32Array;
  private readonly y: Float32Array;
  private readonly logits: Float32Array;
  private readonly dLogits: Float32Array;
  private readonly dS: Float32Array;

  allocInput(length: number): Float32Array {
    return this.kernels.alloc(length);
  }

  constructor(config: BackpropConfig, capacity: number, kernels: Kernels, seed: number) {
    this.config = config;
    this.classes = config.classes;
    this.inputs = config.inputs;
    this.kernels = kernels;
    this.capacity = capacity;
    this.seed = seed;
    const init = new Rng(seed);
    this.rng = new Rng(seed + 1);
    this.evalSeed = seed + 2;
    const widths =
      config.hidden > 0
        ? [config.inputs, config.hidden, config.classes]
        : [config.inputs, config.classes];
    this.layers = widths
      .slice(1)
      .map((out, l) => dense(widths[l], out, kernels, init, config.optimizer));
    const h = Math.max(config.hidden, 1);
    this.s = kernels.alloc(capacity * h);
    this.y = kernels.alloc(capacity * h);
    this.logits = kernels.alloc(capacity * config.classes);
    this.dLogits = kernels.alloc(capacity * config.classes);
    this.dS = kernels.alloc(capacity * h);
  }

  /** A backprop network has no goals: always throws goal/no-goal-layer (typed for the union with InfomorphicNetwork). */
  setGoal(_layer: GoalLayer, _goal: GoalSpec): never {
    throw noGoalLayer("backprop", "goal");
  }

  /** A backprop network has no PID atoms: always throws atoms/not-available. */
  atoms(_layer: string): LayerAtoms {
    throw backpropHasNoAtoms();
  }

  trainBatch(x: Float32Array, labels: Uint8Array, count: number): BatchStats {
    checkTrainBatch(this, x, labels, count);
    this.forward(x, count, this.rng);
    const c = this.classes;
    const { logits, dLogits } = this;
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < count; i++) {
      let max = Number.NEGATIVE_INFINITY;
      let best = 0;
      for (let k = 0; k < c; k++) {
        if (logits[i * c + k] > max) {
          max = logits[i * c + k];
          best = k;
        }
      }
      if (best === labels[i]) correct++;
      let z = 0;
      for (let k = 0; k < c; k++) z += Math.exp(logits[i * c + k] - max);
      loss += -(logits[i * c + labels[i]] - max - Math.log(z)) / count;
      for (let k = 0; k < c; k++) {
        const p = Math.exp(logits[i * c + k] - max) / z;
        dLogits[i * c + k] = (p - (k === labels[i] ? 1 : 0)) / count;
      }
    }
    const hidden = this.config.hidden;
    const top = this.layers[this.layers.length - 1];
    const below = hidden > 0 ? this.y : x;
    this.gradients(top, dLogits, below, count, c, hidden > 0 ? hidden : this.config.inputs);
    if (hidden > 0) {
      // dL/dY = dLogits·W2, then the surrogate dY/ds = 2σ'(s) = 2θ(1 − θ).
      const { dS, s } = this;
      for (let i = 0; i < count; i++) {
        for (let j = 0; j < hidden; j++) {
          let g = 0;
          for (let k = 0; k < c; k++) g += dLogits[i * c + k] * top.weights[k * hidden + j];
          const t = 1 / (1 + Math.exp(-s[i * hidden + j]));
          dS[i * hidden + j] = g * 2 * t * (1 - t);
        }
      }
      this.gradients(this.layers[0], dS, x, count, hidden, this.config.inputs);
    }
    for (const layer of this.layers) {
      layer.optimizers[0].step(layer.weights, layer.gradWeights);
      layer.optimizers[1].step(layer.bias, layer.gradBias);
    }
    return { accuracy: correct / count, goals: [loss] };
  }

  predict(x: Float32Array, count: number, scores: Float32Array): void {
    checkPredict(this, x, count, scores);
    const rng = new Rng(this.evalSeed);
    const d = this.config.inputs;
    for (let start = 0; start < count; start += this.capacity) {
      const n = Math.min(this.capacity, count - start);
      this.forward(x.subarray(start * d, (start + n) * d), n, rng);
      scores.set(this.logits.subarray(0, n * this.classes), start * this.classes);
    }
  }

  endEpoch(): ModelEpochStats {
    return { layers: [] };
  }

  state(): BackpropState {
    return {
      layers: this.layers.map((l) => ({
        weights: l.weights.slice(),
        bias: l.bias.slice(),
        optimizers: l.optimizers.map((o) => o.state()),
      })),
      rng: this.rng.state(),
    };
  }

  /** Continue from a state() of a network with the same config; checked first (state/mismatch), so a wrong one changes nothing. */
  restore(state: unknown): void {
    checkRestore({ ...this.state(), rng: { words: [0, 0, 0, 0], spareNormal: null } }, state);
    const s = state as BackpropState;
    const rng = Rng.fromState(s.rng);
    s.layers.forEach((saved, l) => {
      const layer = this.layers[l];
      layer.weights.set(saved.weights);
      layer.bias.set(saved.bias);
      layer.optimizers.forEach((o, k) => o.restore(saved.optimizers[k] as never));
    });
    this.rng = rng;
  }

  private forward(x: Float32Array, count: number, rng: Rng): void {
    const { hidden, inputs, classes } = this.config;
    let below = x;
    let width = inputs;
    if (hidden > 0) {
      const first = this.layers[0];
      this.kernels.matmulABt(x, first.weights, this.s, count, inputs, hidden, first.bias);
      for (let e = 0; e < count * hidden; e++) {
        const t = 1 / (1 + Math.exp(-this.s[e]));
        this.y[e] = rng.uniform() < t ? 1 : -1;
      }
      below = this.y;
      width = hidden;
    }
    const top = this.layers[this.layers.length - 1];
    this.kernels.matmulABt(below, top.weights, this.logits, count, width, classes, top.bias);
  }

  /** Weight and bias gradients of a dense layer from δ [count × out] and its input [count × in]. */
  private gradients(
    layer: Dense,
    delta: Float32Array,
    input: Float32Array,
    count: number,
    out: number,
    inputs: number,
  ): void {
    this.kernels.matmulAtB(delta, input, layer.gradWeights, out, count, inputs);
    layer.gradBias.fill(0);
    for (let i = 0; i < count; i++)
      for (let k = 0; k < out; k++) layer.gradBias[k] += delta[i * out + k];
  }
}

function dense(
  inputs: number,
  outputs: number,
  kernels: Kernels,
  rng: Rng,
  opt: BackpropConfig["optimizer"],
): Dense {
  const bound = 1 / Math.sqrt(inputs);
  const weights = kernels.alloc(inputs * outputs);
  for (let e = 0; e < weights.length; e++) weights[e] = (2 * rng.uniform() - 1) * bound;
  const bias = Float32Array.from({ length: outputs }, () => (2 * rng.uniform() - 1) * bound);
  return {
    weights,
    bias,
    gradWeights: kernels.alloc(inputs * outputs),
    gradBias: new Float32Array(outputs),
    optimizers: [adam(weights.length, opt), adam(outputs, opt)],
  };
}
