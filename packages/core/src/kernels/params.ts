/**
 * The kernels' own parameter types: plain numbers and typed arrays. The layers above map their
 * richer objects onto these (neuron/activation.ts gives each Activation its `spec`; a
 * PidEstimator is a PidRunner), so that kernels/ imports nothing from the layers that use it.
 */

/**
 * An activation A(s) as the kernels compute it, sources F first:
 *
 * - "modulated": A = F·[c0 + Σ_j α_j·σ(β_j·F·s_j)], one (α_j, β_j) per context source s_j
 *   (the n-source form of the ICLR paper, c0 = 1 − Σα; the two-source modulatory form with
 *   c0 = k1, α = [2(1 − k1)], β = [k2]);
 * - "kay-phillips": A = r·[k1 + (1 − k1)·exp(k2·r·c)], sources (r, c);
 * - "identity": A = F;
 * - "heaviside": A = H(F) (1 if F > 0, else 0) with the surrogate ∂A/∂F = σ(F)·(1 − σ(F)).
 */
export type ActivationSpec =
  | {
      readonly kind: "modulated";
      readonly c0: number;
      readonly alpha: readonly number[];
      readonly beta: readonly number[];
    }
  | { readonly kind: "kay-phillips"; readonly k1: number; readonly k2: number }
  | { readonly kind: "identity" }
  | { readonly kind: "heaviside" };

/** The number of sources (inputs, F first) an activation takes. */
export function activationSources(spec: ActivationSpec): number {
  switch (spec.kind) {
    case "modulated":
      return 1 + spec.alpha.length;
    case "kay-phillips":
      return 2;
    default:
      return 1;
  }
}

/**
 * Equal-width binning of a layer's source values into `bins` bins (2…255):
 * - "fixed": raw values over [min, max], values outside clamped to the end bins;
 * - "adaptive": each value divided by its neuron's batch maximum of |s_j|, then bins over [−1, 1].
 */
export type BinSpec =
  | { readonly kind: "fixed"; readonly bins: number; readonly min: number; readonly max: number }
  | { readonly kind: "adaptive"; readonly bins: number };

/** One batch of a layer for the PID estimator: bin tuples and firing probabilities of every neuron. */
export interface PidBatch {
  /** Number of neurons. */
  neurons: number;
  /** Samples in this batch; default and maximum: the estimator's batch. Arrays below use this stride. */
  batch?: number;
  /** Bin index of every source, laid out [neuron][sample][source]; each < bins. */
  binIndex: Uint8Array;
  /** θ = P(Y=+1), laid out [neuron][sample]; each in [0, 1]. */
  theta: Float32Array | Float64Array;
  /** Number of the first neuron in error messages (default 0), when these are a slice of a layer's. */
  firstNeuron?: number;
}

/** The PID estimator's results, all float64, in bits; caller-owned so batches reuse them. */
export interface PidResults {
  /** G = γ·Π + γ_res·H_res per neuron. */
  goal: Float64Array;
  /** Atoms per neuron, [neuron][antichain] in canonical order. */
  atoms: Float64Array;
  /** H_res = H(Y) − I(Y; S) per neuron. */
  hRes: Float64Array;
  /** ∂G/∂θ per sample, [neuron][sample]. */
  gradient: Float64Array;
}

/** What another thread needs to build a twin of a PID estimator. */
export interface PidRunnerConfig {
  /** Sources n. */
  readonly sources: number;
  /** Bins per source K. */
  readonly bins: number;
  /** Largest batch B. */
  readonly batch: number;
  /** γ over the atoms in canonical order, then γ_res. */
  readonly gamma: Float64Array;
  /** "typescript" keeps the estimator off the WebAssembly PID kernel. */
  readonly engine?: "auto" | "typescript";
}

/**
 * A PID estimator as Kernels.runPid runs it (pid/samples.ts PidEstimator is one): it computes a
 * batch of neurons, each from its own inputs only, so the kernels may split the neurons over
 * threads, each thread running a twin built from `config`.
 */
export interface PidRunner {
  readonly config: PidRunnerConfig;
  /** Atoms per neuron (the size of the redundancy lattice of n sources). */
  readonly lattice: { readonly size: number };
  run(input: PidBatch, output: PidResults): void;
  /** Switch to another goal of the same length from the next run() (a twin follows its caller's). */
  setGamma(gamma: ArrayLike<number>): void;
}

/** Builds a PID estimator on a worker thread (the host passes `(config) => new PidEstimator(config)`). */
export type CreatePidRunner = (config: PidRunnerConfig) => PidRunner;
