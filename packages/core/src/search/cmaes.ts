/**
 * CMA-ES, Hansen's standard algorithm ("The CMA Evolution Strategy: A Tutorial", arXiv
 * 1604.00772, 2016: Table 1 defaults with negative weights, Fig. 6's algorithm), in ask/tell
 * form for asynchronous workers, with box bounds and optional IPOP restarts.
 *
 * It searches the unit cube (each free parameter scaled to [0, 1], as Optuna's CmaEsSampler),
 * from the mean ½ (or a given start) with σ0 = 1/6 of the range (Optuna's default).
 *
 * - Bounds: a sample outside the cube is redrawn, up to 10·n times, then clipped (the
 *   cmaes library behind Optuna does the same); the update uses the point asked.
 * - Asynchronous tells: each ask is drawn from the current generation's distribution and
 *   labelled with it. A generation ends when λ of its trials are told; the update uses those
 *   λ. Asks while it waits are served from the same distribution, so no worker idles; their
 *   results, if they arrive after the update, count for nothing (as in Optuna, which uses the
 *   first λ finished trials of a generation). Failed trials do not count towards λ.
 * - Restarts ("ipop", Auger & Hansen, CEC 2005): when a generation meets a stopping criterion
 *   (flat values, tiny σ, ill-conditioned C, no effect on the mean), the strategy restarts
 *   from a uniform random mean with σ0 and a population size multiplied by 2.
 */

import { InfomorphError } from "../errors.js";
import { Rng } from "../random/rng.js";
import { symmetricEigen } from "./eigen.js";
import { SamplerBase, type SamplerOptions, type Trial, type TrialResult } from "./sampler.js";
import { type SearchSpace, paramsFromUnit } from "./space.js";

export interface CmaEsOptions extends SamplerOptions {
  /** Initial step size as a fraction of each parameter's range (default 1/6, Optuna's). */
  readonly sigma0?: number;
  /** Initial mean by parameter name (default: each free parameter's midpoint). */
  readonly mean0?: Readonly<Record<string, number>>;
  /** λ, the samples per generation (default 4 + ⌊3 ln n⌋). */
  readonly populationSize?: number;
  /** "none" (default, as Optuna) or "ipop": restart with a doubled population when stalled. */
  readonly restarts?: "none" | "ipop";
}

/** The strategy parameters of Hansen's Table 1 for n dimensions and λ samples. */
export interface CmaParameters {
  readonly lambda: number;
  readonly mu: number;
  /** λ recombination weights: positive for the μ best, negative (active CMA) for the rest. */
  readonly weights: Float64Array;
  readonly muEff: number;
  readonly cSigma: number;
  readonly dSigma: number;
  readonly cC: number;
  readonly c1: number;
  readonly cMu: number;
  /** E‖N(0, I)‖ ≈ √n (1 − 1/(4n) + 1/(21n²)). */
  readonly chiN: number;
}

/**
 * Hansen's default parameters (tutorial Table 1): μ = ⌊λ/2⌋, w′_i = ln((λ+1)/2) − ln i,
 * μ_eff = (Σ_{i≤μ} w′_i)² / Σ_{i≤μ} w′_i², c_σ = (μ_eff + 2)/(n + μ_eff + 5),
 * d_σ = 1 + 2·max(0, √((μ_eff − 1)/(n + 1)) − 1) + c_σ, c_c = (4 + μ_eff/n)/(n + 4 + 2μ_eff/n),
 * c_1 = 2/((n + 1.3)² + μ_eff), c_μ = min(1 − c_1, 2(μ_eff − 2 + 1/μ_eff)/((n + 2)² + μ_eff)),
 * positive weights scaled to sum 1, negative ones to sum −min(1 + c_1/c_μ, 1 + 2μ⁻_eff/(μ_eff + 2),
 * (1 − c_1 − c_μ)/(n c_μ)).
 *
 * @example cmaParameters(10).lambda // 10
 */
export function cmaParameters(n: number, lambda = 4 + Math.floor(3 * Math.log(n))): CmaParameters {
  if (!Number.isInteger(lambda) || lambda < 2) {
    throw new InfomorphError({
      code: "search/bad-option",
      path: ["populationSize"],
      message: `populationSize must be an integer ≥ 2 (got ${lambda}); the default for ${n} dimensions is ${4 + Math.floor(3 * Math.log(n))}.`,
    });
  }
  const mu = Math.floor(lambda / 2);
  const prime = Float64Array.from(
    { length: lambda },
    (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1),
  );
  const sum = (a: ArrayLike<number>, from: number, to: number) => {
    let s = 0;
    for (let i = from; i < to; i++) s += a[i];
    return s;
  };
  const sumSq = (a: ArrayLike<number>, from: number, to: number) => {
    let s = 0;
    for (let i = from; i < to; i++) s += a[i] * a[i];
    return s;
  };
  const muEff = sum(prime, 0, mu) ** 2 / sumSq(prime, 0, mu);
  const muEffMinus = lambda > mu ? sum(prime, mu, lambda) ** 2 / sumSq(prime, mu, lambda) : 0;
  const c1 = 2 / ((n + 1.3) ** 2 + muEff);
  const cMu = Math.min(1 - c1, (2 * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + muEff));
  const alphaMinus = Math.min(
    1 + c1 / cMu,
    1 + (2 * muEffMinus) / (muEff + 2),
    (1 - c1 - cMu) / (n * cMu),
  );
  let positive = 0;
  let negative = 0;
  for (const w of prime) {
    if (w > 0) positive += w;
    else negative -= w;
  }
  const weights = Float64Array.from(prime, (w) =>
    w >= 0 ? w / positive : (alphaMinus * w) / negative,
  );
  const cSigma = (muEff + 2) / (n + muEff + 5);
  return {
    lambda,
    mu,
    weights,
    muEff,
    cSigma,
    dSigma: 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma,
    cC: (4 + muEff / n) / (n + 4 + (2 * muEff) / n),
    c1,
    cMu,
    chiN: Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n)),
  };
}

/** CMA-ES in ask/tell form (see the top of this file for bounds, asynchrony and restarts). */
export class CmaEsSampler extends SamplerBase {
  /** Restarts done so far (IPOP). */
  restartCount = 0;
  private readonly rng: Rng;
  private readonly n: number;
  private readonly sigma0: number;
  private readonly restarts: "none" | "ipop";
  private readonly maxResampling: number;
  private p!: CmaParameters;
  private mean!: Float64Array;
  private sigma = 0;
  private cov!: Float64Array;
  private pSigma!: Float64Array;
  private pC!: Float64Array;
  /** C = B·diag(D²)·Bᵀ, refreshed every few generations (tutorial's "lazy" update). */
  private b!: Float64Array;
  private d!: Float64Array;
  private eigenGeneration = 0;
  /** Generations since the (re)start, and the global generation label of asked trials. */
  private generation = 0;
  private label = 0;
  private readonly generationOf = new Map<number, number>();
  private results: { unit: Float64Array; loss: number }[] = [];
  /** Best and worst loss of recent generations, for the flat-values stopping criterion. */
  private lossHistory: number[] = [];

  constructor(space: SearchSpace, options: CmaEsOptions) {
    super(space, options);
    this.rng = new Rng(options.seed);
    this.n = space.free.length;
    this.sigma0 = options.sigma0 ?? 1 / 6;
    if (!(this.sigma0 > 0) || !Number.isFinite(this.sigma0)) {
      throw new InfomorphError({
        code: "search/bad-option",
        path: ["sigma0"],
        message: `sigma0 is a fraction of each parameter's range and must be > 0 (got ${this.sigma0}); Optuna's default is 1/6.`,
      });
    }
    this.restarts = options.restarts ?? "none";
    if (this.restarts !== "none" && this.restarts !== "ipop") {
      throw new InfomorphError({
        code: "search/bad-option",
        path: ["restarts"],
        message: `restarts must be "none" or "ipop" (got ${JSON.stringify(this.restarts)}).`,
      });
    }
    this.maxResampling = 10 * this.n;
    const mean = new Float64Array(this.n).fill(0.5);
    for (const [name, value] of Object.entries(options.mean0 ?? {})) {
      const j = space.free.indexOf(name);
      if (j < 0 || !Number.isFinite(value) || value < space.low[j] || value > space.high[j]) {
        throw new InfomorphError({
          code: "search/bad-option",
          path: ["mean0", name],
          message:
            j < 0
              ? `mean0 names "${name}", which is not a free parameter; free: ${space.free.join(", ")}.`
              : `mean0 of ${name} is ${value}, outside [${space.low[j]}, ${space.high[j]}].`,
        });
      }
      mean[j] = (value - space.low[j]) / (space.high[j] - space.low[j]);
    }
    this.start(mean, cmaParameters(this.n, options.populationSize));
  }

  /** The current population size λ (grows with IPOP restarts). */
  get populationSize(): number {
    return this.p.lambda;
  }

  /** The current step size σ, in units of the parameters' ranges. */
  get stepSize(): number {
    return this.sigma;
  }

  /** The distribution's mean, in parameter units (fixed parameters included): see {@link Sampler.recommend}. */
  recommend(): Record<string, number> {
    return paramsFromUnit(this.space, this.mean);
  }

  ask(): Trial {
    const unit = this.sampleInBounds();
    const trial = this.history.add(unit);
    this.generationOf.set(trial.id, this.label);
    return trial;
  }

  override tell(id: number, result: TrialResult): void {
    const record = this.history.tell(id, result);
    if (record.state !== "complete" || this.generationOf.get(id) !== this.label) return;
    this.results.push({ unit: record.unit, loss: record.loss });
    if (this.results.length === this.p.lambda) this.update();
  }

  private start(mean: Float64Array, parameters: CmaParameters): void {
    const n = this.n;
    this.p = parameters;
    this.mean = mean;
    this.sigma = this.sigma0;
    this.cov = new Float64Array(n * n);
    this.b = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      this.cov[i * n + i] = 1;
      this.b[i * n + i] = 1;
    }
    this.d = new Float64Array(n).fill(1);
    this.pSigma = new Float64Array(n);
    this.pC = new Float64Array(n);
    this.generation = 0;
    this.eigenGeneration = 0;
    this.results = [];
    this.lossHistory = [];
  }

  /** x = m + σ·B·D·z, z ~ N(0, I), redrawn while outside [0, 1]^n, then clipped. */
  private sampleInBounds(): Float64Array {
    let x = this.sample();
    for (let tries = 0; tries < this.maxResampling && !inUnitCube(x); tries++) x = this.sample();
    for (let j = 0; j < this.n; j++) x[j] = Math.min(1, Math.max(0, x[j]));
    return x;
  }

  private sample(): Float64Array {
    const n = this.n;
    const dz = new Float64Array(n);
    for (let k = 0; k < n; k++) dz[k] = this.d[k] * this.rng.normal();
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let y = 0;
      for (let k = 0; k < n; k++) y += this.b[i * n + k] * dz[k];
      x[i] = this.mean[i] + this.sigma * y;
    }
    return x;
  }

  /** One generation's update from its λ results (tutorial, Fig. 6). */
  private update(): void {
    const { n, p } = this;
    const ranked = [...this.results].sort((a, b) => a.loss - b.loss);
    this.results = [];
    this.generation++;
    this.label++;
    const ys = ranked.map((r) =>
      Float64Array.from(r.unit, (x, i) => (x - this.mean[i]) / this.sigma),
    );
    // y_w = Σ_{i≤μ} w_i y_i:λ; m ← m + σ y_w (c_m = 1)
    const yw = new Float64Array(n);
    for (let i = 0; i < p.mu; i++) for (let j = 0; j < n; j++) yw[j] += p.weights[i] * ys[i][j];
    for (let j = 0; j < n; j++) this.mean[j] += this.sigma * yw[j];
    // p_σ ← (1 − c_σ) p_σ + √(c_σ(2 − c_σ)μ_eff) C^(−1/2) y_w
    const invSqrtYw = this.invSqrtC(yw);
    const kSigma = Math.sqrt(p.cSigma * (2 - p.cSigma) * p.muEff);
    for (let j = 0; j < n; j++)
      this.pSigma[j] = (1 - p.cSigma) * this.pSigma[j] + kSigma * invSqrtYw[j];
    const normPSigma = Math.hypot(...this.pSigma);
    // h_σ stalls p_c while ‖p_σ‖ is large (σ grows fast), e.g. in the first generations.
    const hSigma =
      normPSigma / Math.sqrt(1 - (1 - p.cSigma) ** (2 * this.generation)) <
      (1.4 + 2 / (n + 1)) * p.chiN
        ? 1
        : 0;
    const kC = Math.sqrt(p.cC * (2 - p.cC) * p.muEff);
    for (let j = 0; j < n; j++) this.pC[j] = (1 - p.cC) * this.pC[j] + hSigma * kC * yw[j];
    // C ← (1 + c1 δ(h_σ) − c1 − c_μ Σw) C + c1 p_c p_cᵀ + c_μ Σ w°_i y_i y_iᵀ,
    // w°_i = w_i for w_i ≥ 0, else w_i · n/‖C^(−1/2) y_i‖² (active CMA).
    const deltaH = (1 - hSigma) * p.cC * (2 - p.cC);
    let sumW = 0;
    for (const w of p.weights) sumW += w;
    const decay = 1 + p.c1 * deltaH - p.c1 - p.cMu * sumW;
    const wo = ys.map((y, i) => {
      const w = p.weights[i];
      if (w >= 0) return w;
      const z = this.invSqrtC(y);
      return (w * n) / Math.max(1e-300, dot(z, z));
    });
    for (let r = 0; r < n; r++) {
      for (let c = r; c < n; c++) {
        let rankMu = 0;
        for (let i = 0; i < p.lambda; i++) rankMu += wo[i] * ys[i][r] * ys[i][c];
        const v = decay * this.cov[r * n + c] + p.c1 * this.pC[r] * this.pC[c] + p.cMu * rankMu;
        this.cov[r * n + c] = v;
        this.cov[c * n + r] = v;
      }
    }
    // σ ← σ · exp((c_σ/d_σ)(‖p_σ‖/E‖N(0, I)‖ − 1))
    this.sigma *= Math.exp((p.cSigma / p.dSigma) * (normPSigma / p.chiN - 1));
    // Decompose C every 1/((c1 + c_μ)·n·10) generations (tutorial, Sect. "Implementation").
    if (this.generation - this.eigenGeneration >= 1 / ((p.c1 + p.cMu) * n * 10)) this.decompose();
    this.lossHistory.push(ranked[0].loss, ranked[ranked.length - 1].loss);
    if (this.restarts === "ipop" && this.shouldRestart()) this.restart();
  }

  private decompose(): void {
    const n = this.n;
    const { values, vectors } = symmetricEigen(this.cov, n);
    this.b = vectors;
    // Clamp tiny negative eigenvalues from rounding (C must stay positive definite).
    this.d = Float64Array.from(values, (v) => Math.sqrt(Math.max(v, 1e-300)));
    this.eigenGeneration = this.generation;
  }

  /** C^(−1/2)·y = B·D⁻¹·Bᵀ·y with the current decomposition. */
  private invSqrtC(y: Float64Array): Float64Array {
    const n = this.n;
    const t = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += this.b[i * n + k] * y[i];
      t[k] = s / this.d[k];
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += this.b[i * n + k] * t[k];
      out[i] = s;
    }
    return out;
  }

  /**
   * Stopping criteria of the tutorial's Appendix B (and of the cmaes library): flat values
   * over the last 10 + ⌈30n/λ⌉ generations (tolfun 1e-12), σ·max(√C_ii, |p_c|) < 1e-12·σ0
   * (tolx), condition of C above 1e14, or adding 0.1σ along an axis or 0.2σ√C_ii to a
   * coordinate leaves the mean unchanged.
   */
  private shouldRestart(): boolean {
    const { n, p } = this;
    const span = 10 + Math.ceil((30 * n) / p.lambda);
    if (this.generation > span) {
      const recent = this.lossHistory.slice(-2 * span);
      if (Math.max(...recent) - Math.min(...recent) < 1e-12) return true;
    }
    let tolx = true;
    for (let i = 0; i < n; i++) {
      if (
        this.sigma * Math.max(Math.sqrt(this.cov[i * n + i]), Math.abs(this.pC[i])) >=
        1e-12 * this.sigma0
      ) {
        tolx = false;
      }
    }
    if (tolx) return true;
    const dMax = Math.max(...this.d);
    const dMin = Math.min(...this.d);
    if ((dMax / dMin) ** 2 > 1e14) return true;
    const axis = this.generation % n;
    let noEffectAxis = true;
    for (let i = 0; i < n; i++) {
      const shift = 0.1 * this.sigma * this.d[axis] * this.b[i * n + axis];
      if (this.mean[i] + shift !== this.mean[i]) noEffectAxis = false;
    }
    if (noEffectAxis) return true;
    for (let i = 0; i < n; i++) {
      if (this.mean[i] + 0.2 * this.sigma * Math.sqrt(this.cov[i * n + i]) === this.mean[i])
        return true;
    }
    return false;
  }

  private restart(): void {
    this.restartCount++;
    const mean = new Float64Array(this.n);
    for (let j = 0; j < this.n; j++) mean[j] = this.rng.uniform();
    this.start(mean, cmaParameters(this.n, this.p.lambda * 2));
  }
}

function inUnitCube(x: Float64Array): boolean {
  for (const v of x) if (v < 0 || v > 1) return false;
  return true;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
