/**
 * The backprop baseline of the ICLR 2025 reference code (its GlobalBackpropModel), kept beside
 * our ordinary baseline (backprop.ts) so that "infomorphic ≈ backprop" can be compared like for
 * like. It differs from the ordinary network in four ways, all deliberate here:
 *
 * 1. Hidden units have three sources, as the infomorphic trivariate layer: F = pixels,
 *    C = the label (one-hot in training, zeros in evaluation), L = the layer's own output of
 *    the previous pass (no self-connections, 0 in the first pass); two passes, and the
 *    gradient flows through both (pass 2's L is pass 1's output).
 *    A = s_F·[0.8 + 0.1·σ(2·s_F·s_C) + 0.1·σ(2·s_F·s_L)], Y ∈ {0, 1} with P(Y = 1) = σ(A);
 *    backward through the sample as through its mean: ∂Y/∂A = σ'(A).
 * 2. The label reaches the hidden layer during training (SCIENCE.md §10, quirk 3), so
 *    training sees a different input distribution than evaluation.
 * 3. The output is θ = σ(r), clamped to [1e−6, 1 − 1e−6] (zero gradient beyond), and the
 *    loss is softmax cross-entropy with θ itself as the logits: a class probability can never
 *    exceed e/(e + 9) ≈ 0.23, so the loss keeps pushing every θ towards 0 or 1.
 * 4. Evaluation flips, per batch, every output whose mean θ is ≥ ½ (θ → 1 − θ) before the
 *    argmax, as the reference does for all its models; with trained outputs (mean θ ≈ 0.1)
 *    it does not trigger.
 *
 * The reference's output layer also has a label source with fixed unit weights, but with its
 * k1 = 1 it cannot change θ and gets no gradient; it is left out. Parameters start as
 * torch.nn.Linear's (uniform in ±1/√fan_in, fan_in = the source's input dimension); one Adam
 * over all of them, lr 1e-3, no weight decay (the reference's optim_params_backprop).
 */

import { InfomorphError } from "../errors.js";
import type { GoalSpec } from "../goals/spec.js";
import type { Kernels } from "../kernels/kernels.js";
import { multiSource } from "../neuron/activation.js";
import { type Optimizer, adam } from "../optim/optimizer.js";
import { Rng, type RngState } from "../random/rng.js";
import { checkPredict, checkRestore, checkTrainBatch } from "./arguments.js";
import { type LayerAtoms, backpropHasNoAtoms } from "./atoms.js";
import type { BackpropConfig } from "./backprop.js";
import { type GoalLayer, noGoalLayer } from "./layer-goals.js";
import type { BatchStats, Model, ModelEpochStats } from "./model.js";

const PASSES = 2;
const ACTIVATION = multiSource({ alpha: [0.1, 0.1], beta: [2, 2] });
const THETA_MIN = 1e-6;

/** One source (or the output layer): weights [out × in], bias [out], their gradients and Adams. */
interface Linear {
  readonly inputs: number;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly gradWeights: Float32Array;
  readonly gradBias: Float32Array;
  readonly mask: Uint8Array | null;
  readonly optimizers: [Optimizer, Optimizer];
}

/** What one pass of the hidden layer leaves for the backward pass, [sample × neuron]. */
interface Pass {
  readonly sL: Float32Array;
  readonly a: Float32Array;
  /** ∂A/∂s_F, ∂A/∂s_C, ∂A/∂s_L. */
  readonly dA: [Float32Array, Float32Array, Float32Array];
  readonly theta: Float32Array;
  readonly y: Float32Array;
}

interface ReferenceState {
  readonly layers: { weights: Float32Array; bias: Float32Array; optimizers: unknown[] }[];
  readonly rng: RngState;
}

/** The reference code's global-backprop model; see the file comment. Config: BackpropConfig with variant "reference". */
export class ReferenceBackpropNetwork implements Model {
  readonly kind = "backprop";
  readonly classes: number;
  readonly inputs: number;
  /** The largest batch trainBatch() and each chunk of predict() take. */
  readonly capacity: number;
  /** The seed it was built with. */
  readonly seed: number;
  readonly config: BackpropConfig;
  private readonly kernels: Kernels;
  private readonly F: Linear;
  private readonly C: Linear;
  private readonly L: Linear;
  private readonly O: Linear;
  private rng: Rng;
  private readonly evalSeed: number;
  private readonly onehot: Float32Array;
  private readonly sF: Float32Array;
  private readonly sC: Float32Array;
  private readonly passes: Pass[];
  private readonly theta: Float32Array;
  /** 1 where σ(r) was clamped (no gradient flows there). */
  private readonly clamped: Uint8Array;
  private readonly dR: Float32Array;
  private readonly dY: Float32Array;
  private readonly deltaF: Float32Array;
  private readonly deltaC: Float32Array;
  private readonly deltaL: Float32Array;
  private readonly weightsLT: Float32Array;
  private readonly sample: boolean;

  /**
   * `options.sample: false` (tests only) makes the hidden output its mean σ(A) instead of a
   * sample: then the surrogate backward pass is the exact gradient of that network.
   */
  constructor(
    config: BackpropConfig,
    capacity: number,
    kernels: Kernels,
    seed: number,
    options: { readonly sample?: boolean } = {},
  ) {
    if (!Number.isInteger(config.hidden) || config.hidden < 1) {
      throw new InfomorphError({
        code: "backprop/reference-hidden",
        path: ["hidden"],
        message: `the reference backprop network needs at least one hidden unit (got hidden ${config.hidden}). Set hidden to 100, or use variant "ordinary" for softmax regression.`,
      });
    }
    this.sample = options.sample ?? true;
    this.config = config;
    this.classes = config.classes;
    this.kernels = kernels;
    this.capacity = capacity;
    this.inputs = config.inputs;
    this.seed = seed;
    const { inputs, classes, hidden: n, optimizer } = config;
    const init = new Rng(seed);
    this.rng = new Rng(seed + 1);
    this.evalSeed = seed + 2;
    const linear = (inputs: number, outputs: number, noSelf = false): Linear => {
      const bound = 1 / Math.sqrt(inputs);
      const weights = kernels.alloc(inputs * outputs);
      const mask = noSelf ? new Uint8Array(inputs * outputs).fill(1) : null;
      for (let e = 0; e < weights.length; e++) weights[e] = (2 * init.uniform() - 1) * bound;
      if (mask)
        for (let k = 0; k < outputs; k++) weights[k * inputs + k] = mask[k * inputs + k] = 0;
      const bias = Float32Array.from({ length: outputs }, () => (2 * init.uniform() - 1) * bound);
      return {
        inputs,
        weights,
        bias,
        gradWeights: kernels.alloc(inputs * outputs),
        gradBias: new Float32Array(outputs),
        mask,
        optimizers: [adam(weights.length, optimizer), adam(outputs, optimizer)],
      };
    };
    this.F = linear(inputs, n);
    this.C = linear(classes, n);
    this.L = linear(n, n, true);
    this.O = linear(n, classes);
    const cells = capacity * n;
    this.onehot = kernels.alloc(capacity * classes);
    this.sF = kernels.alloc(cells);
    this.sC = kernels.alloc(cells);
    this.passes = Array.from({ length: PASSES }, () => ({
      sL: kernels.alloc(cells),
      a: kernels.alloc(cells),
      dA: [kernels.alloc(cells), kernels.alloc(cells), kernels.alloc(cells)],
      theta: kernels.alloc(cells),
      y: kernels.alloc(cells),
    }));
    this.theta = kernels.alloc(capacity * classes);
    this.clamped = new Uint8Array(capacity * classes);
    this.dR = kernels.alloc(capacity * classes);
    this.dY = kernels.alloc(cells);
    this.deltaF = kernels.alloc(cells);
    this.deltaC = kernels.alloc(cells);
    this.deltaL = kernels.alloc(cells);
    this.weightsLT = kernels.alloc(n * n);
  }

  allocInput(length: number): Float32Array {
    return this.kernels.alloc(length);
  }

  /** A backprop network has no goals: always throws goal/no-goal-layer. */
  setGoal(_layer: GoalLayer, _goal: GoalSpec): never {
    throw noGoalLayer("backprop", "goal");
  }

  /** A backprop network has no PID atoms: always throws atoms/not-available. */
  atoms(_layer: string): LayerAtoms {
    throw backpropHasNoAtoms();
  }

  trainBatch(x: Float32Array, labels: Uint8Array, count: number): BatchStats {
    checkTrainBatch(this, x, labels, count);
    const { loss, accuracy } = this.computeGradients(x, labels, count);
    for (const p of [this.F, this.C, this.L, this.O]) {
      p.optimizers[0].step(p.weights, p.gradWeights, p.mask);
      p.optimizers[1].step(p.bias, p.gradBias);
    }
    return { accuracy, goals: [loss] };
  }

  /**
   * Forward and backward on one batch without changing the parameters: returns the loss and
   * the batch accuracy (label present), and leaves every gradient in gradients().
   */
  computeGradients(
    x: Float32Array,
    labels: Uint8Array,
    count: number,
  ): { loss: number; accuracy: number } {
    const c = this.classes;
    const n = this.config.hidden;
    this.onehot.fill(0, 0, count * c);
    for (let i = 0; i < count; i++) this.onehot[i * c + labels[i]] = 1;
    this.forward(x, this.onehot, count, this.rng);

    // Cross-entropy with θ as the logits; through the clamp only where θ is inside it.
    const { theta, dR } = this;
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < count; i++) {
      let max = Number.NEGATIVE_INFINITY;
      let best = 0;
      for (let k = 0; k < c; k++) {
        if (theta[i * c + k] > max) {
          max = theta[i * c + k];
          best = k;
        }
      }
      if (best === labels[i]) correct++;
      let z = 0;
      for (let k = 0; k < c; k++) z += Math.exp(theta[i * c + k] - max);
      loss -= (theta[i * c + labels[i]] - max - Math.log(z)) / count;
      for (let k = 0; k < c; k++) {
        const t = theta[i * c + k];
        const p = Math.exp(t - max) / z;
        const g = (p - (k === labels[i] ? 1 : 0)) / count;
        dR[i * c + k] = this.clamped[i * c + k] ? 0 : g * t * (1 - t);
      }
    }

    const [first, second] = this.passes;
    const O = this.O;
    this.accumulate(O, dR, second.y, count, c, n);
    // dL/dY₂ = dR·W_O, then dL/dA₂ = dL/dY₂·σ'(A₂).
    const { dY, deltaF, deltaC, deltaL } = this;
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < n; j++) {
        let g = 0;
        for (let k = 0; k < c; k++) g += dR[i * c + k] * O.weights[k * n + j];
        dY[i * n + j] = g;
      }
    }
    const cells = count * n;
    for (let e = 0; e < cells; e++) {
      const t = second.theta[e];
      const g = dY[e] * t * (1 - t);
      deltaF[e] = g * second.dA[0][e];
      deltaC[e] = g * second.dA[1][e];
      deltaL[e] = g * second.dA[2][e];
    }
    // W_L's gradient from pass 2 (pass 1's lateral input is 0); then back into pass 1.
    this.accumulate(this.L, deltaL, first.y, count, n, n);
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++) this.weightsLT[j * n + k] = this.L.weights[k * n + j];
    this.kernels.matmulABt(deltaL, this.weightsLT, dY, count, n, n);
    const gradBiasL = this.L.gradBias;
    for (let e = 0; e < cells; e++) {
      const t = first.theta[e];
      const g = dY[e] * t * (1 - t);
      deltaF[e] += g * first.dA[0][e];
      deltaC[e] += g * first.dA[1][e];
      gradBiasL[e % n] += g * first.dA[2][e];
    }
    this.accumulate(this.F, deltaF, x, count, n, this.config.inputs);
    this.accumulate(this.C, deltaC, this.onehot, count, n, c);
    return { loss, accuracy: correct / count };
  }

  /** The gradients of the last computeGradients(), in the order of state().layers: F, C, L, output; weights then bias. */
  gradients(): Float32Array[] {
    return [this.F, this.C, this.L, this.O].flatMap((p) => [p.gradWeights, p.gradBias]);
  }

  predict(x: Float32Array, count: number, scores: Float32Array): void {
    checkPredict(this, x, count, scores);
    const rng = new Rng(this.evalSeed);
    const { inputs } = this.config;
    const c = this.classes;
    const zeros = this.onehot.fill(0);
    for (let start = 0; start < count; start += this.capacity) {
      const m = Math.min(this.capacity, count - start);
      this.forward(x.subarray(start * inputs, (start + m) * inputs), zeros, m, rng);
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let i = 0; i < m; i++) sum += this.theta[i * c + k];
        const flip = sum / m >= 0.5;
        for (let i = 0; i < m; i++) {
          const t = this.theta[i * c + k];
          scores[(start + i) * c + k] = flip ? 1 - t : t;
        }
      }
    }
  }

  endEpoch(): ModelEpochStats {
    return { layers: [] };
  }

  state(): ReferenceState {
    return {
      layers: [this.F, this.C, this.L, this.O].map((p) => ({
        weights: p.weights.slice(),
        bias: p.bias.slice(),
        optimizers: p.optimizers.map((o) => o.state()),
      })),
      rng: this.rng.state(),
    };
  }

  /** Continue from a state() of a network with the same config; checked first (state/mismatch), so a wrong one changes nothing. */
  restore(state: unknown): void {
    checkRestore({ ...this.state(), rng: { words: [0, 0, 0, 0], spareNormal: null } }, state);
    const s = state as ReferenceState;
    const rng = Rng.fromState(s.rng);
    [this.F, this.C, this.L, this.O].forEach((p, l) => {
      p.weights.set(s.layers[l].weights);
      p.bias.set(s.layers[l].bias);
      p.optimizers.forEach((o, k) => o.restore(s.layers[l].optimizers[k] as never));
    });
    this.rng = rng;
  }

  /** Both hidden passes and the output θ for `count` samples with label context `label`. */
  private forward(x: Float32Array, label: Float32Array, count: number, rng: Rng): void {
    const { inputs, classes, hidden: n } = this.config;
    const cells = count * n;
    const k = this.kernels;
    k.matmulABt(x, this.F.weights, this.sF, count, inputs, n, this.F.bias);
    k.matmulABt(label, this.C.weights, this.sC, count, classes, n, this.C.bias);
    let previous: Float32Array | null = null;
    for (const pass of this.passes) {
      if (previous === null) {
        for (let e = 0; e < cells; e++) pass.sL[e] = this.L.bias[e % n];
      } else {
        k.matmulABt(previous, this.L.weights, pass.sL, count, n, n, this.L.bias);
      }
      // ±1 samples from the shared activation kernel, then the reference's {0, 1}.
      const { y, theta } = pass;
      k.activateLayer(
        ACTIVATION.spec,
        [this.sF, this.sC, pass.sL],
        pass.a,
        pass.dA,
        theta,
        y,
        cells,
        rng,
      );
      if (this.sample) for (let e = 0; e < cells; e++) y[e] = y[e] > 0 ? 1 : 0;
      else y.set(theta.subarray(0, cells));
      previous = y;
    }
    k.matmulABt(previous!, this.O.weights, this.theta, count, n, classes, this.O.bias);
    for (let e = 0; e < count * classes; e++) {
      const t = 1 / (1 + Math.exp(-this.theta[e]));
      this.clamped[e] = t < THETA_MIN || t > 1 - THETA_MIN ? 1 : 0;
      this.theta[e] = Math.min(1 - THETA_MIN, Math.max(THETA_MIN, t));
    }
  }

  /** Weight and bias gradients of `p` from δ [count × out] and its input [count × in]. */
  private accumulate(
    p: Linear,
    delta: Float32Array,
    input: Float32Array,
    count: number,
    out: number,
    inputs: number,
  ): void {
    this.kernels.matmulAtB(delta, input, p.gradWeights, out, count, inputs);
    if (p.mask) for (let e = 0; e < p.mask.length; e++) if (!p.mask[e]) p.gradWeights[e] = 0;
    p.gradBias.fill(0);
    for (let i = 0; i < count; i++)
      for (let k = 0; k < out; k++) p.gradBias[k] += delta[i * out + k];
  }
}
