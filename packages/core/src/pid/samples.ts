/** The training estimator: per neuron, the goal G, its atoms and the closed-form ∂G/∂θ of every sample, over occupied cells only. */

import { InfomorphError } from "../errors.js";
import type { PidBatch, PidResults, PidRunner } from "../kernels/params.js";
import { PidKernel } from "../kernels/wasm/pid-kernel.js";
import { OccupiedCells, badBin, badTheta } from "./cells.js";
import { type Lattice, lattice } from "./lattice.js";
import { LOG2_TABLES, Log2Buffer } from "./log2.js";
import { type EstimatorTerms, checkGamma, estimatorTerms } from "./terms.js";
import {
  TRIVARIATE_STRIDE,
  type TrivariateScratch,
  trivariateCells,
  trivariateScratch,
} from "./trivariate.js";

export interface EstimatorConfig {
  /** Number of PID sources n (1…5). */
  sources: number;
  /** Bins per source K (2…255). */
  bins: number;
  /** Samples per batch B (the largest batch; smaller ones, like an epoch's last, are fine). */
  batch: number;
  /**
   * The goal: γ over the atoms in canonical order, then γ_res for H_res (length
   * lattice(n).size + 1), as in the papers' goal vectors. See goals/ to build it by name.
   */
  gamma: ArrayLike<number>;
  /**
   * Where the per-neuron work runs: "auto" (default) the WebAssembly kernel
   * (kernels/wasm/pid.c) where it can run — n = 2 or 3, K^n ≤ 2^22, WebAssembly SIMD with
   * synchronous compilation — else TypeScript; "typescript" always TypeScript. Both give
   * the same bits: the kernel does the same float64 operations in the same order.
   */
  engine?: "auto" | "typescript";
}

/** One batch of a layer: bin tuples and firing probabilities of every neuron (the kernels' PidBatch). */
export type EstimatorInput = PidBatch;

/** Results, all float64, in bits; caller-owned so batches reuse them (the kernels' PidResults). */
export type EstimatorOutput = PidResults;

/** Allocate outputs for N neurons. */
export function estimatorOutput(config: EstimatorConfig, neurons: number): EstimatorOutput {
  const size = lattice(config.sources).size;
  return {
    goal: new Float64Array(neurons),
    atoms: new Float64Array(neurons * size),
    hRes: new Float64Array(neurons),
    gradient: new Float64Array(neurons * config.batch),
  };
}

const INV_LN2 = 1 / Math.LN2;

/**
 * The estimator of docs/SCIENCE.md §4–§5, batched over neurons. Per neuron and batch it
 * builds the soft histogram p(x,t) = (1/B)·Σ_k 1[bin(s_k) = x]·θ_k(t) over the
 * occupied cells only (≤ B of the K^n), computes every I^sx(α), the atoms, H_res and
 * G, and the closed-form gradient
 *
 *   ∂G/∂θ_i = g(x_i)/B,  g(x) = Σ_α c_α·[ℓ_α(x,1) − ℓ_α(x,0) + (A_α(x,1) − A_α(x,0))/ln 2]
 *                               − γ_res·[log2 p(1) − log2 p(0)],   c = Mᵀγ,
 *
 * with the adjoints A_α of all antichains merged per source subset. Bin assignment is
 * not differentiated; only θ carries gradient. Cells with p(x,t) = 0 add nothing.
 * Precision: float64 throughout (θ may be float32). Units: bits.
 *
 * Scratch memory is allocated once per estimator and reused: create one per layer.
 */
export class PidEstimator implements PidRunner {
  readonly sources: number;
  readonly bins: number;
  readonly batch: number;
  readonly lattice: Lattice;
  /** The goal's weights and the antichains' terms (terms.ts). */
  private terms: EstimatorTerms;
  /** c = Mᵀγ with −γ_res at the top node: the weights of the I^sx values in G. */
  get redundancyWeights(): Float64Array {
    return this.terms.redundancyWeights;
  }
  private readonly multiInfo: Float64Array;
  private readonly trivariate: TrivariateScratch;
  private readonly logs: Log2Buffer;
  /** Per cell, P(𝔴_α, t) of the current antichain and its adjoint weights q/P. */
  private readonly P1: Float64Array;
  private readonly P0: Float64Array;
  private readonly w1: Float64Array;
  private readonly w0: Float64Array;

  // Scratch, sized once.
  /** Steps 1 and 2: the occupied cells and their marginal ids. */
  private readonly cells: OccupiedCells;
  private readonly marginalCount: Int32Array;
  /** [slot][marginal cell]: p(x_M, 1), p(x_M, 0), adjoints U(·,1), U(·,0), direct gradient terms. */
  private readonly p1: Float64Array;
  private readonly p0: Float64Array;
  private readonly u1: Float64Array;
  private readonly u0: Float64Array;
  private readonly direct: Float64Array;
  private readonly cellGradient: Float64Array;
  private readonly q1: Float64Array;
  private readonly q0: Float64Array;
  /** Gathers [slot][cell] of the marginals and of the merged adjoints. */
  private readonly g1: Float64Array;
  private readonly g0: Float64Array;
  private readonly v1: Float64Array;
  private readonly v0: Float64Array;
  private readonly redundancies: Float64Array;
  private readonly atomScratch: Float64Array;
  /** The WebAssembly kernel, when it runs here and was not declined. */
  private readonly kernel: PidKernel | null;
  /** Which implementation run() uses: "wasm" or "typescript" (same results either way). */
  readonly engine: "wasm" | "typescript";
  /** The configuration it was built from (γ copied), so another thread can build its twin. */
  readonly config: Readonly<EstimatorConfig> & { readonly gamma: Float64Array };

  constructor(config: EstimatorConfig) {
    const { sources: n, bins: K, batch: B } = config;
    this.lattice = lattice(n);
    if (!Number.isInteger(K) || K < 2 || K > 255) {
      throw new InfomorphError({
        code: "estimator/bad-bins",
        path: ["bins"],
        message: `bins must be an integer from 2 to 255 (got ${K}). Try 20.`,
      });
    }
    if (!Number.isInteger(B) || B < 1) {
      throw new InfomorphError({
        code: "estimator/bad-batch",
        path: ["batch"],
        message: `batch must be a positive integer (got ${B}).`,
      });
    }
    const size = this.lattice.size;
    checkGamma(config.gamma, n, size);
    this.sources = n;
    this.bins = K;
    this.batch = B;
    this.config = { ...config, gamma: Float64Array.from(config.gamma) };
    const terms = estimatorTerms(this.lattice, config.gamma);
    this.terms = terms;
    this.multiInfo = new Float64Array(terms.multiAntichain.length);
    const { slotCount } = terms;

    this.cells = new OccupiedCells(n, K, B);
    this.marginalCount = new Int32Array(slotCount);
    const perSlot = slotCount * B;
    this.p1 = new Float64Array(perSlot);
    this.p0 = new Float64Array(perSlot);
    this.u1 = new Float64Array(perSlot);
    this.u0 = new Float64Array(perSlot);
    this.direct = new Float64Array(perSlot);
    this.cellGradient = new Float64Array(B);
    this.P1 = new Float64Array(B);
    this.P0 = new Float64Array(B);
    this.w1 = new Float64Array(B);
    this.w0 = new Float64Array(B);
    this.trivariate = trivariateScratch(n === 3 ? B : 0);
    this.logs = new Log2Buffer(2 * B);
    this.q1 = new Float64Array(B);
    this.q0 = new Float64Array(B);
    const gathered = B * Math.max(slotCount, TRIVARIATE_STRIDE);
    this.g1 = new Float64Array(gathered);
    this.g0 = new Float64Array(gathered);
    this.v1 = new Float64Array(gathered);
    this.v0 = new Float64Array(gathered);
    this.redundancies = new Float64Array(size);
    this.atomScratch = new Float64Array(size);
    this.kernel =
      config.engine === "typescript"
        ? null
        : PidKernel.create(n, K, B, {
            ...terms,
            size,
            top: this.lattice.top,
            reciprocal: LOG2_TABLES.reciprocal,
            log2Left: LOG2_TABLES.log2Left,
            invLn2: INV_LN2,
          });
    this.engine = this.kernel ? "wasm" : "typescript";
  }

  /** The goal γ this estimator ascends: atoms in canonical order, then γ_res (a copy). */
  get gamma(): Float64Array {
    return this.config.gamma.slice();
  }

  /**
   * Ascend another goal from the next run() on: γ over the same lattice's atoms in canonical
   * order, then γ_res. Only the goal's weights are recomputed (c = Mᵀγ and the terms' weights,
   * in TypeScript and in the WebAssembly kernel's tables); nothing is reallocated, so a slider
   * may call it between any two batches. Threads' twins follow at their next job.
   *
   * @example estimator.setGamma(goal({ "(F)(C)": 1 }, 3).gamma)
   */
  setGamma(gamma: ArrayLike<number>): void {
    checkGamma(gamma, this.sources, this.lattice.size);
    const terms = estimatorTerms(this.lattice, gamma);
    this.terms = terms;
    this.config.gamma.set(terms.gammaAtoms);
    this.config.gamma[terms.gammaAtoms.length] = terms.gammaRes;
    this.kernel?.setGoalWeights(terms);
  }

  /** Run the estimator for every neuron of one batch. */
  run(input: EstimatorInput, output: EstimatorOutput): void {
    const { neurons } = input;
    const B = input.batch ?? this.batch;
    const n = this.sources;
    const size = this.lattice.size;
    if (!Number.isInteger(B) || B < 1 || B > this.batch) {
      throw new InfomorphError({
        code: "estimator/bad-batch",
        path: ["batch"],
        message: `this estimator holds batches of 1…${this.batch} samples (got ${B}); create it with a larger batch.`,
      });
    }
    this.count = B;
    this.firstNeuron = input.firstNeuron ?? 0;
    if (input.binIndex.length !== neurons * B * n || input.theta.length !== neurons * B) {
      throw new InfomorphError({
        code: "estimator/bad-input",
        message: `expected binIndex of length ${neurons * B * n} and theta of length ${neurons * B} for ${neurons} neurons × ${B} samples × ${n} sources (got ${input.binIndex.length} and ${input.theta.length}).`,
      });
    }
    if (this.kernel) {
      this.runKernel(this.kernel, input, output, B);
      return;
    }
    for (let k = 0; k < neurons; k++) {
      this.neuron(input, k);
      const atoms = this.lattice.moebius(this.redundancies, this.atomScratch);
      let goal = 0;
      for (let a = 0; a < size; a++) {
        output.atoms[k * size + a] = atoms[a];
        goal += this.terms.gammaAtoms[a] * atoms[a];
      }
      const hRes = this.entropy - this.redundancies[this.lattice.top];
      output.hRes[k] = hRes;
      output.goal[k] = goal + this.terms.gammaRes * hRes;
      const grad = output.gradient;
      const sampleCell = this.cells.sampleCell;
      const cellGradient = this.cellGradient;
      for (let i = 0; i < B; i++) grad[k * B + i] = cellGradient[sampleCell[i]] / B;
    }
  }

  /** run() on the WebAssembly kernel, chunk by chunk; the per-neuron tail (Möbius, goal) as in run(). */
  private runKernel(
    kernel: PidKernel,
    input: EstimatorInput,
    output: EstimatorOutput,
    B: number,
  ): void {
    const { neurons } = input;
    const size = this.lattice.size;
    for (let first = 0; first < neurons; first += kernel.chunk) {
      const count = Math.min(kernel.chunk, neurons - first);
      const error = kernel.run(input.binIndex, input.theta, first, count, B);
      const done = error ? error.neuron : count;
      for (let k = 0; k < done; k++) {
        const neuron = first + k;
        const red = kernel.redundancies.subarray(k * size, (k + 1) * size);
        const atoms = this.lattice.moebius(red, this.atomScratch);
        let goal = 0;
        for (let a = 0; a < size; a++) {
          output.atoms[neuron * size + a] = atoms[a];
          goal += this.terms.gammaAtoms[a] * atoms[a];
        }
        const hRes = kernel.entropy[k] - red[this.lattice.top];
        output.hRes[neuron] = hRes;
        output.goal[neuron] = goal + this.terms.gammaRes * hRes;
      }
      output.gradient.set(kernel.gradient.subarray(0, done * B), first * B);
      if (error) {
        const neuron = first + error.neuron;
        if (error.kind === "bin") {
          const x = input.binIndex[(neuron * B + error.sample) * this.sources + error.source];
          throw badBin(x, this.bins, this.firstNeuron + neuron, error.sample, error.source);
        }
        const th = input.theta[neuron * B + error.sample];
        throw badTheta(th, this.firstNeuron + neuron, error.sample);
      }
    }
  }

  private entropy = 0;
  /** input.firstNeuron of the current run, for error messages. */
  private firstNeuron = 0;
  /** Samples in the current batch (≤ this.batch, the capacity). */
  private count = 0;

  /** One neuron: fills this.redundancies, this.entropy and this.cellGradient (g per cell). */
  private neuron(input: EstimatorInput, k: number): void {
    const B = this.batch;
    const S = this.terms.slotCount;
    const full = this.terms.fullSlot;
    const c = this.terms.redundancyWeights;
    const red = this.redundancies;
    const { p1, p0, u1, u0, direct, marginalCount, q1, q0, g1, g0, v1, v0 } = this;
    const cells = this.cells;
    const { cellTheta, marginalId } = cells;
    const samplesInCell = cells.cellCount;

    // 1. Group samples by joint cell; the soft histogram needs only Σθ and counts per cell:
    //    q(x,1) = Σθ/N and q(x,0) = (count − Σθ)/N for the N samples of this batch.
    const cellCount = cells.group(input.binIndex, input.theta, k, this.count, this.firstNeuron);
    const invB = 1 / this.count;
    let sumTheta = 0;
    for (let j = 0; j < cellCount; j++) {
      const t1 = cellTheta[j] * invB;
      q1[j] = t1;
      q0[j] = samplesInCell[j] * invB - t1;
      sumTheta += cellTheta[j];
    }
    const pT1 = sumTheta * invB;
    const pT0 = 1 - pT1;
    const logT1 = pT1 > 0 ? Math.log2(pT1) : 0;
    const logT0 = pT0 > 0 ? Math.log2(pT0) : 0;
    this.entropy = -(pT1 > 0 ? pT1 * logT1 : 0) - (pT0 > 0 ? pT0 * logT0 : 0);

    // 2. Marginals p(x_M, t) of every source subset M on compact ids, gathered back per
    //    cell (one contiguous row per subset, so the antichain loops stream over cells).
    for (let slot = 0; slot < S; slot++) {
      const base = slot * B;
      const count = slot === full ? cellCount : cells.indexMarginal(slot, cellCount);
      marginalCount[slot] = count;
      if (slot === full) for (let j = 0; j < cellCount; j++) marginalId[base + j] = j;
      p1.fill(0, base, base + count);
      p0.fill(0, base, base + count);
      u1.fill(0, base, base + count);
      u0.fill(0, base, base + count);
      direct.fill(0, base, base + count);
      for (let j = 0; j < cellCount; j++) {
        const id = base + marginalId[base + j];
        p1[id] += q1[j];
        p0[id] += q0[j];
      }
    }
    const unrolled = this.sources === 3;
    for (let slot = 0; slot < S; slot++) {
      const base = slot * B;
      for (let j = 0; j < cellCount; j++) {
        const id = base + marginalId[base + j];
        const at = unrolled ? j * TRIVARIATE_STRIDE + slot : base + j;
        g1[at] = p1[id];
        g0[at] = p0[id];
      }
    }

    // 3. Single-collection antichains {M}: I(Y; S_M) on the marginal cells, with their own
    //    gradient term ℓ1 − ℓ0 + (1[p1>0] − 1[p0>0])/ln 2 (their adjoint W is 1 where p > 0).
    const logs = this.logs;
    const ratio = logs.values;
    for (let slot = 0; slot < S; slot++) {
      const base = slot * B;
      const count = marginalCount[slot];
      for (let m = 0; m < count; m++) {
        const inv = 1 / (p1[base + m] + p0[base + m]);
        ratio[2 * m] = p1[base + m] > 0 ? p1[base + m] * inv : 1;
        ratio[2 * m + 1] = p0[base + m] > 0 ? p0[base + m] * inv : 1;
      }
      logs.apply(2 * count);
      const antichain = this.terms.singleOf[slot];
      const weight = c[antichain];
      let info = 0;
      for (let m = 0; m < count; m++) {
        const a1 = p1[base + m];
        const a0 = p0[base + m];
        const l1 = a1 > 0 ? ratio[2 * m] - logT1 : 0;
        const l0 = a0 > 0 ? ratio[2 * m + 1] - logT0 : 0;
        const indicator = (a1 > 0 ? 1 : 0) - (a0 > 0 ? 1 : 0);
        info += a1 * l1 + a0 * l0;
        direct[base + m] = weight * (l1 - l0 + indicator * INV_LN2);
      }
      red[antichain] = info;
    }

    // 4. Multi-collection antichains on joint cells: P(𝔴_α, t) by inclusion–exclusion over
    //    the gathered marginals; only log2(P1/P) and log2(P0/P) are needed since P = P1 + P0.
    //    The adjoints of all antichains are merged per subset in v.
    const info = this.multiInfo;
    const cellGradient = this.cellGradient;
    if (unrolled) {
      trivariateCells(
        cellCount,
        q1,
        q0,
        g1,
        g0,
        this.terms.multiWeights,
        logT1,
        logT0,
        info,
        cellGradient,
        v1,
        v0,
        this.trivariate,
      );
    } else {
      this.multiGeneric(cellCount, logT1, logT0);
    }
    const multiAntichain = this.terms.multiAntichain;
    for (let a = 0; a < multiAntichain.length; a++) red[multiAntichain[a]] = info[a];

    // 5. Marginalise the merged adjoints onto each subset's cells (W_M), then look them up
    //    back at every cell: g(x) = Σ_α c_α(ℓ1 − ℓ0) + Σ_M [U_M(x_M,1) − U_M(x_M,0)]/ln 2 + …
    for (let slot = 0; slot < S; slot++) {
      const base = slot * B;
      for (let j = 0; j < cellCount; j++) {
        const id = base + marginalId[base + j];
        const at = unrolled ? j * TRIVARIATE_STRIDE + slot : base + j;
        u1[id] += v1[at];
        u0[id] += v0[at];
      }
    }
    for (let slot = 0; slot < S; slot++) {
      const base = slot * B;
      for (let m = base; m < base + marginalCount[slot]; m++) {
        direct[m] += (u1[m] - u0[m]) * INV_LN2;
      }
    }
    const entropyTerm = -this.terms.gammaRes * (logT1 - logT0);
    for (let j = 0; j < cellCount; j++) {
      let g = cellGradient[j] + entropyTerm;
      for (let slot = 0; slot < S; slot++) g += direct[slot * B + marginalId[slot * B + j]];
      cellGradient[j] = g;
    }
  }

  /** Step 4 for any n: antichain by antichain, each step a simple loop over cells (slot-major rows). */
  private multiGeneric(cellCount: number, logT1: number, logT0: number): void {
    const B = this.batch;
    const S = this.terms.slotCount;
    const c = this.terms.redundancyWeights;
    const { q1, q0, g1, g0, v1, v0 } = this;
    const { multiStart, multiSlot, multiCoef, multiWeighted, multiAntichain } = this.terms;
    const { P1, P0, w1, w0 } = this;
    const multiCount = multiAntichain.length;
    const info = this.multiInfo;
    const cellGradient = this.cellGradient;
    cellGradient.fill(0, 0, cellCount);
    for (let slot = 0; slot < S; slot++) {
      v1.fill(0, slot * B, slot * B + cellCount);
      v0.fill(0, slot * B, slot * B + cellCount);
    }
    for (let a = 0; a < multiCount; a++) {
      const from = multiStart[a];
      const to = multiStart[a + 1];
      P1.fill(0, 0, cellCount);
      P0.fill(0, 0, cellCount);
      for (let t = from; t < to; t++) {
        const coef = multiCoef[t];
        const row = multiSlot[t] * B;
        for (let j = 0; j < cellCount; j++) {
          P1[j] += coef * g1[row + j];
          P0[j] += coef * g0[row + j];
        }
      }
      const weight = c[multiAntichain[a]];
      const ratio = this.logs.values;
      for (let j = 0; j < cellCount; j++) {
        const inv = 1 / (P1[j] + P0[j]);
        ratio[2 * j] = q1[j] > 0 ? P1[j] * inv : 1;
        ratio[2 * j + 1] = q0[j] > 0 ? P0[j] * inv : 1;
      }
      this.logs.apply(2 * cellCount);
      let sum = 0;
      for (let j = 0; j < cellCount; j++) {
        const c1 = q1[j];
        const c0 = q0[j];
        const l1 = c1 > 0 ? ratio[2 * j] - logT1 : 0;
        const l0 = c0 > 0 ? ratio[2 * j + 1] - logT0 : 0;
        sum += c1 * l1 + c0 * l0;
        cellGradient[j] += weight * (l1 - l0);
        w1[j] = c1 > 0 ? c1 / P1[j] : 0;
        w0[j] = c0 > 0 ? c0 / P0[j] : 0;
      }
      info[a] = sum;
      for (let t = from; t < to; t++) {
        const weighted = multiWeighted[t];
        const row = multiSlot[t] * B;
        for (let j = 0; j < cellCount; j++) {
          v1[row + j] += weighted * w1[j];
          v0[row + j] += weighted * w0[j];
        }
      }
    }
  }
}
