/** A layer of infomorphic neurons: per input class a weight matrix, bias and mask; stochastic ±1 outputs; the local PID learning rule. */

import { InfomorphError } from "../errors.js";
import type { Kernels } from "../kernels/kernels.js";
import type { SparsePattern } from "../kernels/sparse-pattern.js";
import { type Optimizer, type OptimizerState, adam } from "../optim/optimizer.js";
import { lattice } from "../pid/lattice.js";
import { type EstimatorOutput, PidEstimator } from "../pid/samples.js";
import type { Rng } from "../random/rng.js";
import type { Activation } from "./activation.js";
import type { Binning } from "./binning.js";

/** How a source's inputs connect to the neurons. */
export type Connectivity =
  /** Every input to every neuron. */
  | { kind: "dense" }
  /** Lateral: every other neuron of the layer (no self-connections). */
  | { kind: "no-self" }
  /** Lateral: `inputs` other neurons per neuron, chosen at random (seeded), no self-connections. */
  | { kind: "sparse"; inputs: number }
  /** Fixed one-to-one unit weights, input k drives neuron k only (the output layer's label context). Never learned. */
  | { kind: "one-to-one" };

/** One input class (PID source) of a layer. */
export interface SourceConfig {
  /** Class name, e.g. "F", "C", "L". */
  readonly name: string;
  /** Input dimension (for lateral sources, the layer size). */
  readonly inputs: number;
  /** Default: dense. */
  readonly connectivity?: Connectivity;
}

export interface OptimizerConfig {
  readonly lr: number;
  /** L2 weight decay added to the loss gradient, as torch.optim.Adam's weight_decay. */
  readonly weightDecay: number;
}

export interface LayerConfig {
  /** Number of neurons. */
  readonly size: number;
  /** Input classes in PID source order, F (the driving input) first. */
  readonly sources: readonly SourceConfig[];
  readonly activation: Activation;
  readonly binning: Binning;
  /** γ over the atoms in canonical order, then γ_res (see goals/). */
  readonly gamma: Float64Array;
  /** Adam, per weight matrix and bias. */
  readonly optimizer: OptimizerConfig;
  /** Frozen layers keep their initial weights (random projection). */
  readonly frozen?: boolean;
}

/** The learned parameters of one source. Float32, row-major [neuron × input]. */
export interface SourceParameters {
  readonly name: string;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  /** 1 where a connection exists; null when dense. */
  readonly mask: Uint8Array | null;
  readonly learned: boolean;
}

export interface LayerState {
  readonly parameters: { weights: Float32Array; bias: Float32Array }[];
  readonly optimizers: OptimizerState[];
}

/** Per-batch outcome of learning: mean goal over neurons. Atoms go to the layer's accumulators. */
export interface LayerLearnStats {
  readonly meanGoal: number;
}

/**
 * Infomorphic neurons (docs/SCIENCE.md §1, §4, §5). Each source j gives s_j = W_j·x_j + b_j;
 * the neuron fires Y = +1 with θ = σ(A(s)). Learning is local: the PID estimator
 * gives ∂G/∂θ per sample, and
 *
 *   ∂G/∂W_j = Σ_i (∂G/∂θ_i)·θ_i(1 − θ_i)·∂A/∂s_j·x_{j,i}ᵀ
 *
 * (three factors: bin-specific modulation × postsynaptic slope × presynaptic input).
 * Bin assignment is not differentiated, and no gradient leaves the layer. Each
 * weight matrix has its own Adam minimising −ΣG plus L2 weight decay.
 *
 * Precision: float32 for weights, activations and products; float64 inside the PID.
 * Buffers for `capacity` samples are allocated once.
 */
export class InfomorphicLayer {
  readonly size: number;
  readonly capacity: number;
  readonly config: LayerConfig;
  readonly parameters: SourceParameters[];
  /** Per source, s_j of the current batch [sample × neuron]. */
  readonly s: Float32Array[];
  /** θ of the current batch [sample × neuron]. */
  readonly theta: Float32Array;
  /** Sampled outputs ±1 of the current batch [sample × neuron]. */
  readonly samples: Float32Array;
  /** Σ over learned batches of each neuron's atoms and H_res [neuron × (atoms + 1)]; see takeAtomMeans(). */
  readonly atomSums: Float64Array;
  atomBatches = 0;

  private readonly kernels: Kernels;
  /** Per source, the mask's pattern where the products run sparse (see SPARSE_DENSITY), else null. */
  private readonly patterns: (SparsePattern | null)[];
  private readonly activationValue: Float32Array;
  private readonly dA: Float32Array[];
  private readonly bins: Uint8Array;
  private readonly estimator: PidEstimator;
  private readonly estimate: EstimatorOutput;
  private readonly thetaNeuronMajor: Float64Array;
  private readonly delta: Float32Array;
  private readonly gradWeights: Float32Array[];
  private readonly gradBias: Float32Array[];
  private readonly optimizers: { weights: Optimizer; bias: Optimizer }[];

  constructor(config: LayerConfig, capacity: number, kernels: Kernels, rng: Rng) {
    const { size, sources, activation } = config;
    if (sources.length !== activation.sources) {
      throw new InfomorphError({
        code: "layer/sources-mismatch",
        path: ["sources"],
        message: `the layer has ${sources.length} sources (${sources.map((s) => s.name).join(", ")}) but its ${activation.kind} activation takes ${activation.sources}.`,
      });
    }
    const atoms = lattice(sources.length).size;
    if (config.gamma.length !== atoms + 1) {
      throw new InfomorphError({
        code: "layer/bad-gamma",
        path: ["gamma"],
        message: `the goal has ${config.gamma.length} entries; ${sources.length} sources need ${atoms + 1}.`,
      });
    }
    // γ copied: setGamma() changes the layer's own, never a caller's or a named goal's
    this.config = { ...config, gamma: Float64Array.from(config.gamma) };
    this.size = size;
    this.capacity = capacity;
    this.kernels = kernels;
    this.parameters = sources.map((source) => initParameters(source, size, rng, kernels));
    const cells = capacity * size;
    this.s = sources.map(() => kernels.alloc(cells));
    // θ, a, dA and δ in the kernels' memory, so the layer kernels use them without copies
    this.dA = sources.map(() => kernels.alloc(cells));
    this.activationValue = kernels.alloc(cells);
    this.theta = kernels.alloc(cells);
    this.samples = kernels.alloc(cells);
    this.bins = kernels.allocBytes(cells * sources.length);
    this.thetaNeuronMajor = kernels.allocFloat64(cells);
    this.delta = kernels.alloc(cells);
    this.estimator = new PidEstimator({
      sources: sources.length,
      bins: config.binning.bins,
      batch: capacity,
      gamma: config.gamma,
    });
    // In the kernels' memory, so runPid() can split the neurons over threads without copies.
    this.estimate = {
      goal: kernels.allocFloat64(size),
      atoms: kernels.allocFloat64(size * atoms),
      hRes: kernels.allocFloat64(size),
      gradient: kernels.allocFloat64(size * capacity),
    };
    this.gradWeights = this.parameters.map((p) => kernels.alloc(p.weights.length));
    this.patterns = this.parameters.map((p, j) => {
      const { connectivity, inputs } = sources[j];
      const sparse =
        connectivity?.kind === "sparse" && connectivity.inputs <= SPARSE_DENSITY * inputs;
      return sparse && p.mask ? kernels.sparsePattern(p.mask, size, inputs) : null;
    });
    this.gradBias = this.parameters.map((p) => kernels.alloc(p.bias.length));
    this.optimizers = this.parameters.map((p) => ({
      // moments in the kernels' memory; kernels.adamStep gives the TS bits
      weights: adam(p.weights.length, config.optimizer, kernels),
      bias: adam(p.bias.length, config.optimizer, kernels),
    }));
    this.atomSums = new Float64Array(size * (atoms + 1));
  }

  /** The goal γ the layer's PID estimator ascends (atoms in canonical order, then γ_res): a copy. */
  get gamma(): Float64Array {
    return this.estimator.gamma;
  }

  /**
   * Ascend another goal from the next learn() on (γ of the same length: atoms of this
   * layer's sources in canonical order, then γ_res). Cheap: see PidEstimator.setGamma.
   */
  setGamma(gamma: ArrayLike<number>): void {
    this.estimator.setGamma(gamma);
    this.config.gamma.set(this.estimator.config.gamma);
  }

  /** s_j = x_j·W_jᵀ + b_j for `count` samples; x is [sample × inputs], or null for an all-zero input (s_j = b_j). */
  project(source: number, x: Float32Array | null, count: number): void {
    const p = this.parameters[source];
    const out = this.s[source];
    const inputs = this.config.sources[source].inputs;
    const n = this.size;
    const pattern = this.patterns[source];
    if (x === null) {
      for (let i = 0; i < count; i++) out.set(p.bias, i * n);
    } else if (this.config.sources[source].connectivity?.kind === "one-to-one") {
      out.set(x.subarray(0, count * n));
    } else if (pattern) {
      this.kernels.sparseMatmulABt(x, p.weights, pattern, out, count, p.bias);
    } else {
      this.kernels.matmulABt(x, p.weights, out, count, inputs, n, p.bias);
    }
  }

  /** θ = σ(A(s)) from the current s, and ±1 samples drawn with the rng. */
  activate(count: number, rng: Rng): void {
    const { activation } = this.config;
    const { s, activationValue, dA, theta, samples } = this;
    this.kernels.activateLayer(
      activation.spec,
      s,
      activationValue,
      dA,
      theta,
      samples,
      count * this.size,
      rng,
    );
  }

  /**
   * One local learning step from the current batch (the last activate() call): bin the
   * sources, PID of each neuron, ∂G/∂θ, the three-factor weight gradient, and an Adam
   * step per source. `inputs[j]` must be the x_j given to project() (null for all-zero).
   */
  learn(inputs: readonly (Float32Array | null)[], count: number): LayerLearnStats {
    this.bin(count);
    const stats = this.goalGradient(inputs, count);
    if (!this.config.frozen) this.step();
    return stats;
  }

  /** Bin every source of the current batch for the PID (bins are not differentiated). */
  bin(count: number): void {
    const cells = count * this.size;
    this.kernels.binLayer(
      this.config.binning,
      this.s.map((v) => v.subarray(0, cells)),
      count,
      this.size,
      this.bins.subarray(0, cells * this.parameters.length),
    );
  }

  /**
   * The PID of every neuron from the current bins and θ, and the loss gradient
   * −∂(ΣG)/∂W_j, −∂(ΣG)/∂b_j into gradients(); returns the mean goal over neurons.
   */
  goalGradient(inputs: readonly (Float32Array | null)[], count: number): LayerLearnStats {
    const n = this.size;
    const cells = count * n;
    const sources = this.parameters.length;
    // The estimator wants θ neuron-major.
    const { theta, thetaNeuronMajor } = this;
    this.kernels.transposeToNeuronMajor(theta, thetaNeuronMajor, count, n);
    const est = this.estimate;
    this.kernels.runPid(
      this.estimator,
      {
        neurons: n,
        batch: count,
        binIndex: this.bins.subarray(0, cells * sources),
        theta: thetaNeuronMajor.subarray(0, cells),
      },
      est,
    );
    this.accumulateAtoms();
    let meanGoal = 0;
    for (let k = 0; k < n; k++) meanGoal += est.goal[k] / n;
    if (this.config.frozen) return { meanGoal };

    for (let j = 0; j < sources; j++) {
      if (!this.parameters[j].learned) continue;
      // δ_ik = ∂G/∂s_j = ∂G/∂θ · θ(1 − θ) · ∂A/∂s_j; the loss is −ΣG, so its gradient is −δ.
      const delta = this.delta;
      const gw = this.gradWeights[j];
      this.kernels.layerDelta(est.gradient, theta, this.dA[j], delta, this.gradBias[j], count, n);
      const x = inputs[j];
      if (x === null) gw.fill(0);
      else if (this.patterns[j]) this.sparseGradient(j, delta, x, count);
      else this.kernels.matmulAtB(delta, x, gw, n, count, this.config.sources[j].inputs);
    }
    return { meanGoal };
  }

  /** The weight gradient of sparse source j, on its pattern only (0 elsewhere, as the mask needs). */
  private sparseGradient(j: number, delta: Float32Array, x: Float32Array, count: number): void {
    const pattern = this.patterns[j];
    if (pattern) this.kernels.sparseMatmulAtB(delta, x, pattern, this.gradWeights[j], count);
  }

  /** The loss gradients of the last goalGradient() call, per source. */
  gradients(): { weights: Float32Array; bias: Float32Array }[] {
    return this.parameters.map((_, j) => ({
      weights: this.gradWeights[j],
      bias: this.gradBias[j],
    }));
  }

  /** Adam step of every learned source from the current gradients; masked weights stay 0. */
  step(): void {
    this.parameters.forEach((p, j) => {
      if (!p.learned) return;
      this.optimizers[j].weights.step(p.weights, this.gradWeights[j], p.mask);
      this.optimizers[j].bias.step(p.bias, this.gradBias[j]);
    });
  }

  /** Mean atoms (and H_res, last) of every neuron over the batches learned since the last call; resets. */
  takeAtomMeans(): Float64Array {
    const means = this.atomSums.map((v) => v / Math.max(1, this.atomBatches));
    this.atomSums.fill(0);
    this.atomBatches = 0;
    return means;
  }

  state(): LayerState {
    return {
      parameters: this.parameters.map((p) => ({
        weights: p.weights.slice(),
        bias: p.bias.slice(),
      })),
      optimizers: this.optimizers.flatMap((o) => [o.weights.state(), o.bias.state()]),
    };
  }

  restore(state: LayerState): void {
    state.parameters.forEach((saved, j) => {
      this.parameters[j].weights.set(saved.weights);
      this.parameters[j].bias.set(saved.bias);
    });
    this.optimizers.forEach((o, j) => {
      o.weights.restore(state.optimizers[2 * j]);
      o.bias.restore(state.optimizers[2 * j + 1]);
    });
  }

  private accumulateAtoms(): void {
    const n = this.size;
    const atoms = this.estimate.atoms.length / n;
    const stride = atoms + 1;
    for (let k = 0; k < n; k++) {
      for (let a = 0; a < atoms; a++)
        this.atomSums[k * stride + a] += this.estimate.atoms[k * atoms + a];
      this.atomSums[k * stride + atoms] += this.estimate.hRes[k];
    }
    this.atomBatches++;
  }
}

/**
 * The largest fraction of connections (inputs per neuron / inputs) at which a sparse source
 * uses the sparse products: they cost 2·count·entries against the dense 2·count·n·inputs but
 * run at a lower rate per entry. Measured (wasm kernels alone, one Zen 3 core, count 1024,
 * 2000 × 2000): dense forward and gradient ≈ 230–250 ms each; sparse at 5 % (the ICLR lateral
 * source, 100 of 2000) ≈ 28 and 25 ms, at 12.5 % ≈ 62 and 64 ms, at 25 % ≈ 170 and 150 ms,
 * still ahead of dense.
 */
const SPARSE_DENSITY = 0.25;

/**
 * Initial parameters as the reference code makes them: torch.nn.Linear(inputs, size), i.e.
 * weights and bias uniform in ±1/√inputs, then the connection mask applied (masked weights
 * exactly 0); one-to-one sources are the identity. fan_in is the source's full input
 * dimension, not its connections per neuron: a sparse lateral source with 100 of 2000
 * inputs starts at ±1/√2000, as in the ICLR code (a 4.5× smaller lateral drive at start
 * than ±1/√100).
 */
function initParameters(
  source: SourceConfig,
  size: number,
  rng: Rng,
  kernels: Kernels,
): SourceParameters {
  const connectivity = source.connectivity ?? { kind: "dense" };
  const { inputs } = source;
  // In the kernels' memory: the products read them in place, every batch.
  const weights = kernels.alloc(size * inputs);
  const bias = kernels.alloc(size);
  if (connectivity.kind === "one-to-one") {
    if (inputs !== size) {
      throw new InfomorphError({
        code: "layer/one-to-one-size",
        path: ["sources", source.name],
        message: `a one-to-one source needs as many inputs as neurons (got ${inputs} inputs for ${size} neurons).`,
      });
    }
    for (let k = 0; k < size; k++) weights[k * inputs + k] = 1;
    return { name: source.name, weights, bias, mask: null, learned: false };
  }
  const mask = connectionMask(connectivity, size, inputs, rng, kernels);
  const bound = 1 / Math.sqrt(Math.max(1, inputs));
  for (let e = 0; e < weights.length; e++) {
    const w = (2 * rng.uniform() - 1) * bound;
    weights[e] = mask && mask[e] === 0 ? 0 : w;
  }
  for (let k = 0; k < size; k++) bias[k] = (2 * rng.uniform() - 1) * bound;
  return { name: source.name, weights, bias, mask, learned: true };
}

function connectionMask(
  connectivity: Connectivity,
  size: number,
  inputs: number,
  rng: Rng,
  kernels: Kernels,
): Uint8Array | null {
  if (connectivity.kind === "dense") return null;
  if (inputs !== size) {
    throw new InfomorphError({
      code: "layer/lateral-size",
      message: `a lateral source (${connectivity.kind}) needs as many inputs as neurons (got ${inputs} for ${size}).`,
    });
  }
  const mask = kernels.allocBytes(size * inputs); // read by the Adam kernel every step
  if (connectivity.kind === "no-self") {
    mask.fill(1);
    for (let k = 0; k < size; k++) mask[k * inputs + k] = 0;
    return mask;
  }
  if (connectivity.kind !== "sparse") {
    throw new InfomorphError({
      code: "layer/bad-connectivity",
      message: `connectivity "${connectivity.kind}" has no connection mask.`,
    });
  }
  const k = connectivity.inputs;
  if (!Number.isInteger(k) || k < 1 || k > size - 1) {
    throw new InfomorphError({
      code: "layer/bad-sparse-inputs",
      path: ["lateral", "inputs"],
      message: `sparse lateral connectivity needs 1 to ${size - 1} inputs per neuron for ${size} neurons (got ${k}).`,
    });
  }
  const others = new Int32Array(size - 1);
  for (let neuron = 0; neuron < size; neuron++) {
    for (let m = 0, o = 0; m < size; m++) if (m !== neuron) others[o++] = m;
    // Partial Fisher–Yates: the first k of a random permutation of the other neurons.
    for (let t = 0; t < k; t++) {
      const pick = t + rng.int(size - 1 - t);
      const tmp = others[t];
      others[t] = others[pick];
      others[pick] = tmp;
      mask[neuron * inputs + others[t]] = 1;
    }
  }
  return mask;
}
