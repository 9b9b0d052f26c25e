/**
 * The recurrent infomorphic layer of Blümel et al. (arXiv 2511.02584): N neurons, each with
 * its own pattern bit as external source and the other neurons' states as internal source,
 * learning its recurrent weights by ascending a PID goal (pure redundancy by default).
 */

import { InfomorphError } from "../errors.js";
import type { Goal } from "../goals/goal.js";
import { REDUNDANCY } from "../goals/named.js";
import type { Kernels } from "../kernels/kernels.js";
import { sigmoid } from "../neuron/activation.js";
import { binIndex } from "../neuron/binning.js";
import { type Optimizer, adam } from "../optim/optimizer.js";
import { type EstimatorOutput, PidEstimator, estimatorOutput } from "../pid/samples.js";
import type { Rng } from "../random/rng.js";
import { withDefaults } from "./defaults.js";
import { memoryGoal } from "./goal.js";
import { type HopfieldNetwork, hopfieldNetwork, zeroDiagonal } from "./network.js";
import { checkNeurons } from "./patterns.js";

/** The layer and its training schedule; resolveInfomorphicMemory() fills the paper's defaults. */
export interface InfomorphicMemoryConfig {
  /** The goal every neuron ascends, over 2 sources (1 = external pattern bit, 2 = internal field). */
  goal: Goal;
  /** Equal-width bins of the internal source over [−range, range]; default 60. */
  bins: number;
  /** Half-width of the fixed binning range; default 20 (values outside go to the end bins). */
  range: number;
  /** The fixed one-to-one external weight w_ext; default 2.3. */
  externalWeight: number;
  /** Inverse temperature β of θ = σ(β·(r + c)); default 1. */
  beta: number;
  /** Initial recurrent weights: U(−1/√N, 1/√N) times this; default 0.001. */
  initScale: number;
  /** Adam learning rate; default 0.05. */
  lr: number;
  /** Most full-batch epochs; default 5000. */
  maxEpochs: number;
  /** Log-spaced epochs (np.logspace(0, log10(maxEpochs), n), truncated) at which storage is tested; default 15. */
  checkpoints: number;
  /** Stop at the first checkpoint where the patterns are stored (the paper's schedule); default true. False trains all maxEpochs. */
  earlyStop: boolean;
}

/** The layer as written by a user: any field may be left out; the goal in any form memoryGoal() reads. */
export type InfomorphicMemoryInput = Partial<Omit<InfomorphicMemoryConfig, "goal">> & {
  goal?: Parameters<typeof memoryGoal>[0];
};

/** The paper's layer: 60 bins over [−20, 20], w_ext = 2.3 (frozen), β = 1, Adam lr 0.05, ≤ 5000 epochs, 15 checks, early stop. */
export const INFOMORPHIC_MEMORY_DEFAULTS: Omit<InfomorphicMemoryConfig, "goal"> = {
  bins: 60,
  range: 20,
  externalWeight: 2.3,
  beta: 1,
  initScale: 0.001,
  lr: 0.05,
  maxEpochs: 5000,
  checkpoints: 15,
  earlyStop: true,
};

/**
 * Fill the defaults (the redundancy goal and INFOMORPHIC_MEMORY_DEFAULTS) and validate:
 * a two-source goal (memoryGoal), bins an integer from 2 to 255, range, externalWeight, beta and lr
 * positive, initScale ≥ 0, maxEpochs and checkpoints integers ≥ 1.
 *
 * @example resolveInfomorphicMemory({}).bins // 60
 */
export function resolveInfomorphicMemory(input: InfomorphicMemoryInput): InfomorphicMemoryConfig {
  const { goal: spec, ...rest } = input;
  const c: InfomorphicMemoryConfig = {
    goal: spec === undefined ? REDUNDANCY : memoryGoal(spec),
    ...withDefaults(INFOMORPHIC_MEMORY_DEFAULTS, rest),
  };
  if (!Number.isInteger(c.bins) || c.bins < 2 || c.bins > 255) {
    throw new InfomorphError({
      code: "memory/bad-bins",
      path: ["bins"],
      message: `bins must be an integer from 2 to 255 (got ${c.bins}); the paper uses 60.`,
    });
  }
  for (const [name, hint] of [
    ["range", 20],
    ["externalWeight", 2.3],
    ["beta", 1],
    ["lr", 0.05],
  ] as const) {
    const x = c[name];
    if (!(Number.isFinite(x) && x > 0)) {
      throw new InfomorphError({
        code: "memory/bad-param",
        path: [name],
        message: `${name} must be a positive number (got ${x}); the paper uses ${hint}.`,
      });
    }
  }
  if (!(Number.isFinite(c.initScale) && c.initScale >= 0)) {
    throw new InfomorphError({
      code: "memory/bad-param",
      path: ["initScale"],
      message: `initScale must be a number ≥ 0 (got ${c.initScale}); the paper uses 0.001.`,
    });
  }
  for (const [name, hint] of [
    ["maxEpochs", 5000],
    ["checkpoints", 15],
  ] as const) {
    if (!(Number.isInteger(c[name]) && c[name] >= 1)) {
      throw new InfomorphError({
        code: "memory/bad-param",
        path: [name],
        message: `${name} must be an integer ≥ 1 (got ${c[name]}); the paper uses ${hint}.`,
      });
    }
  }
  if (typeof c.earlyStop !== "boolean") {
    throw new InfomorphError({
      code: "memory/bad-param",
      path: ["earlyStop"],
      message: `earlyStop must be true or false (got ${JSON.stringify(c.earlyStop)}); the paper stops early (true).`,
    });
  }
  return c;
}

/**
 * The epochs at which training tests storage, as the reference's
 * np.logspace(0, log10(maxEpochs), count, dtype=int): 10^(k·log10(maxEpochs)/(count − 1))
 * truncated, for k = 0 … count − 1 (duplicates removed). Like numpy, the last one can fall
 * just short of maxEpochs (4999 of 5000); the trainer tests once more at the end anyway.
 *
 * @example checkpointEpochs(5000, 15) // [1, 3, 6, 11, 20, 38, 70, 129, 238, 438, 805, 1480, 2721, 4999]
 */
export function checkpointEpochs(maxEpochs: number, count: number): number[] {
  if (count === 1) return [maxEpochs];
  const top = Math.log10(maxEpochs);
  const epochs = new Set<number>();
  for (let k = 0; k < count; k++) {
    epochs.add(Math.max(1, Math.floor(10 ** ((k * top) / (count - 1)))));
  }
  return [...epochs];
}

/** The PID of every neuron of the layer on its training patterns (float64, bits). */
export interface MemoryAtoms {
  /** [neuron × 4]: unique external {1}, unique internal {2}, redundancy {1}{2}, synergy {12}. */
  atoms: Float64Array;
  /** H_res per neuron. */
  hRes: Float64Array;
  /** The goal G per neuron. */
  goal: Float64Array;
}

/**
 * The recurrent infomorphic layer. For pattern ξ (one row of the training set) neuron i sees
 *
 *   r = w_ext·ξ_i (external, fixed),   c = Σ_{j≠i} W_ij ξ_j (internal),   θ = σ(β·(r + c))
 *
 * Its PID sources are r (two values, binned over [−range, range] into 2 bins as the
 * reference does; any split at 0 gives the same PID) and c in `bins` equal bins over
 * [−range, range]; the target is Y ∈ {−1, +1} with P(Y = +1) = θ (soft histogram). Training
 * is teacher-forced and deterministic, as in the reference with reps = 0: the internal state
 * is the pattern itself, and each epoch is one full-batch step of Adam on −Σ_i G_i, with
 *
 *   ∂G_i/∂W_ij = Σ_μ (∂G_i/∂θ_i^μ)·θ_i^μ(1 − θ_i^μ)·β·ξ_j^μ
 *
 * (∂G/∂θ from pid/samples.ts, closed form; bins not differentiated). The diagonal is masked
 * to 0 (no self-connections). At recall the external input is 0, so a neuron fires
 * sign(c): network() is an ordinary Hopfield network with weights W.
 */
export class InfomorphicMemory {
  readonly config: InfomorphicMemoryConfig;
  readonly neurons: number;
  readonly count: number;
  /** Recurrent weights [N × N], row i into neuron i; W_ii = 0. */
  readonly weights: Float32Array;
  private readonly patterns: Float32Array;
  private readonly kernels: Pick<Kernels, "matmulABt" | "matmulAtB" | "runPid">;
  private readonly estimator: PidEstimator;
  private readonly output: EstimatorOutput;
  private readonly optimizer: Optimizer;
  private readonly mask: Uint8Array;
  private readonly fields: Float32Array;
  private readonly theta: Float64Array;
  private readonly binIndex: Uint8Array;
  private readonly delta: Float32Array;
  private readonly gradient: Float32Array;

  constructor(
    config: InfomorphicMemoryConfig,
    patterns: Float32Array,
    count: number,
    neurons: number,
    kernels: Pick<Kernels, "matmulABt" | "matmulAtB" | "runPid">,
    rng: Rng,
  ) {
    checkNeurons(neurons);
    if (patterns.length !== count * neurons) {
      throw new InfomorphError({
        code: "memory/bad-shape",
        path: ["patterns"],
        message: `patterns has ${patterns.length} values, expected ${count} × ${neurons} = ${count * neurons}.`,
      });
    }
    this.config = config;
    this.neurons = neurons;
    this.count = count;
    this.patterns = patterns;
    this.kernels = kernels;
    const N = neurons;
    this.weights = new Float32Array(N * N);
    // PyTorch's nn.Linear initialisation, U(−1/√fan_in, 1/√fan_in), scaled as the paper does
    const bound = config.initScale / Math.sqrt(N);
    for (let e = 0; e < N * N; e++) this.weights[e] = bound * (2 * rng.uniform() - 1);
    zeroDiagonal(this.weights, N);
    this.mask = new Uint8Array(N * N).fill(1);
    zeroDiagonal(this.mask, N);
    this.estimator = new PidEstimator({
      sources: 2,
      bins: config.bins,
      batch: count,
      gamma: config.goal.gamma,
    });
    this.output = estimatorOutput(this.estimator.config, N);
    this.optimizer = adam(N * N, { lr: config.lr });
    this.fields = new Float32Array(count * N);
    this.theta = new Float64Array(N * count);
    this.binIndex = new Uint8Array(N * count * 2);
    this.delta = new Float32Array(count * N);
    this.gradient = new Float32Array(N * N);
  }

  /** One full-batch training step; returns the mean goal over neurons before the step. */
  epoch(): number {
    const gradient = this.lossGradient();
    this.optimizer.step(this.weights, gradient, this.mask);
    return mean(this.output.goal);
  }

  /**
   * ∂(−Σ_i G_i)/∂W at the current weights, [N × N] (the diagonal is not masked here; the
   * optimizer masks it): the gradient each epoch hands to Adam. A view, overwritten by the
   * next call.
   */
  lossGradient(): Float32Array {
    this.evaluate();
    const N = this.neurons;
    const P = this.count;
    const { beta } = this.config;
    const g = this.output.gradient;
    for (let i = 0; i < N; i++) {
      for (let mu = 0; mu < P; mu++) {
        const th = this.theta[i * P + mu];
        // the loss is −G: its gradient w.r.t. the field c is −∂G/∂θ · θ(1 − θ) · β
        this.delta[mu * N + i] = -g[i * P + mu] * th * (1 - th) * beta;
      }
    }
    this.kernels.matmulAtB(this.delta, this.patterns, this.gradient, N, P, N);
    return this.gradient;
  }

  /** The PID atoms, H_res and goal of every neuron at the current weights (copies). */
  atoms(): MemoryAtoms {
    this.evaluate();
    return {
      atoms: this.output.atoms.slice(),
      hRes: this.output.hRes.slice(),
      goal: this.output.goal.slice(),
    };
  }

  /** The layer as a Hopfield network for recall (a view of the live weights; no thresholds). */
  network(): HopfieldNetwork {
    return hopfieldNetwork(this.neurons, this.weights);
  }

  /** Fields, θ and bins of every neuron and pattern, then the PID: fills this.output. */
  private evaluate(): void {
    const N = this.neurons;
    const P = this.count;
    const { bins, range, externalWeight, beta } = this.config;
    const { patterns, fields, theta, binIndex: bin } = this;
    this.kernels.matmulABt(patterns, this.weights, fields, P, N, N);
    for (let mu = 0; mu < P; mu++) {
      for (let i = 0; i < N; i++) {
        const r = externalWeight * patterns[mu * N + i];
        const c = fields[mu * N + i];
        if (!Number.isFinite(c)) {
          throw new InfomorphError({
            code: "memory/not-finite",
            path: ["weights"],
            message: `the field of neuron ${i} for pattern ${mu} is ${c}; training diverged (lower lr).`,
          });
        }
        theta[i * P + mu] = sigmoid(beta * (r + c));
        const at = (i * P + mu) * 2;
        bin[at] = binIndex(r, -range, range, 2);
        bin[at + 1] = binIndex(c, -range, range, bins);
      }
    }
    this.kernels.runPid(
      this.estimator,
      { neurons: N, binIndex: this.binIndex, theta: this.theta },
      this.output,
    );
  }
}

/** How infomorphic training ended. */
export interface InfomorphicTraining {
  layer: InfomorphicMemory;
  /** Epochs trained. */
  epochs: number;
  /** True when a checkpoint found the patterns stored (training stopped there). */
  storedAtCheckpoint: boolean;
  /** Mean goal over neurons at the last epoch (before its step). */
  goal: number;
}

/**
 * Train the layer on `count` patterns: up to maxEpochs full-batch epochs, testing storage
 * with `isStored` at the log-spaced checkpoint epochs and stopping at the first success, as
 * the reference's threshold_learning does (its capacity scans stop training once recall
 * accuracy reaches 0.95). With earlyStop false it trains all maxEpochs and tests once at the
 * end. Deterministic given `rng` (initial weights only).
 */
export function trainInfomorphicMemory(
  patterns: Float32Array,
  count: number,
  neurons: number,
  config: InfomorphicMemoryConfig,
  kernels: Pick<Kernels, "matmulABt" | "matmulAtB" | "runPid">,
  rng: Rng,
  isStored: (network: HopfieldNetwork) => boolean,
): InfomorphicTraining {
  const layer = new InfomorphicMemory(config, patterns, count, neurons, kernels, rng);
  const checks = new Set(
    config.earlyStop ? checkpointEpochs(config.maxEpochs, config.checkpoints) : [],
  );
  checks.add(config.maxEpochs);
  let goal = Number.NaN;
  for (let epoch = 1; epoch <= config.maxEpochs; epoch++) {
    goal = layer.epoch();
    if (checks.has(epoch) && isStored(layer.network())) {
      return { layer, epochs: epoch, storedAtCheckpoint: true, goal };
    }
  }
  return { layer, epochs: config.maxEpochs, storedAtCheckpoint: false, goal };
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
