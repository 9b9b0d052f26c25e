/**
 * Test oracle: every numeric kernel written the simplest way, straight from the formula its
 * Kernels documentation states, sharing no code with kernels/ts/ or kernels/wasm/ (loops in
 * float64, one element at a time). The conformance suites compare both implementations with
 * these, so the TypeScript kernels are never checked against themselves.
 */

import type { Rng } from "@infomorph/core";
import {
  type ActivationSpec,
  type AdamStep,
  type BinSpec,
  type Kernels,
  notFiniteError,
  tsKernels,
} from "@infomorph/core/kernels";

/** σ(x) = 1/(1 + e^(−x)), written so that e^(±x) never overflows. */
function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * A(s) and ∂A/∂s_j of one sample in float64 (SCIENCE.md §1), the activation given as the
 * kernels take it (kernels/params.ts ActivationSpec).
 */
export function naiveActivate(
  spec: ActivationSpec,
  s: readonly number[],
): { a: number; dA: number[] } {
  const f = s[0];
  switch (spec.kind) {
    case "modulated": {
      let factor = spec.c0;
      let dF = spec.c0;
      const dA = [0];
      spec.alpha.forEach((alpha, j) => {
        const u = spec.beta[j] * f * s[j + 1];
        const slope = sigmoid(u) * sigmoid(-u); // σ'(u)
        factor += alpha * sigmoid(u);
        dF += alpha * (sigmoid(u) + (slope === 0 ? 0 : u * slope));
        dA.push(alpha * spec.beta[j] * f * f * slope);
      });
      dA[0] = dF;
      return { a: f * factor, dA };
    }
    case "kay-phillips": {
      const u = spec.k2 * f * s[1];
      const grow = spec.k1 === 1 ? 0 : (1 - spec.k1) * Math.exp(u);
      return {
        a: f * (spec.k1 + grow),
        dA: [
          grow === 0 ? spec.k1 : spec.k1 + grow * (1 + u),
          grow === 0 ? 0 : grow * spec.k2 * f * f,
        ],
      };
    }
    case "identity":
      return { a: f, dA: [1] };
    case "heaviside":
      return { a: f > 0 ? 1 : 0, dA: [sigmoid(f) * (1 - sigmoid(f))] };
  }
}

/**
 * Kernels.activateLayer, element by element: a and dA rounded once to float32, θ = σ(a) in
 * float64 of the float32 a (stored as float32), sample +1 when the element's uniform is below
 * that float64 θ.
 */
export function naiveActivateLayer(
  spec: ActivationSpec,
  s: readonly Float32Array[],
  a: Float32Array,
  dA: readonly Float32Array[],
  theta: Float32Array,
  samples: Float32Array,
  cells: number,
  rng: Rng,
): void {
  for (let e = 0; e < cells; e++) {
    const result = naiveActivate(
      spec,
      s.map((source) => source[e]),
    );
    a[e] = result.a;
    result.dA.forEach((d, j) => {
      dA[j][e] = d;
    });
    const t = 1 / (1 + Math.exp(-a[e]));
    theta[e] = t;
    samples[e] = rng.uniform() < t ? 1 : -1;
  }
}

/**
 * Kernels.layerDelta: δ = −g·θ·(1 − θ)·dA in float64, left to right, rounded once; the bias
 * gradient summed in float32, sample by sample.
 */
export function naiveLayerDelta(
  gradient: Float64Array,
  theta: Float32Array,
  dA: Float32Array,
  delta: Float32Array,
  biasGrad: Float32Array,
  count: number,
  n: number,
): void {
  for (let k = 0; k < n; k++) {
    let bias = 0;
    for (let i = 0; i < count; i++) {
      const t = theta[i * n + k];
      delta[i * n + k] = -gradient[k * count + i] * t * (1 - t) * dA[i * n + k];
      bias = Math.fround(bias + delta[i * n + k]);
    }
    biasGrad[k] = bias;
  }
}

/** Kernels.transposeToNeuronMajor: out[k·count + i] = theta[i·n + k]. */
export function naiveTranspose(
  theta: Float32Array,
  out: Float64Array,
  count: number,
  n: number,
): void {
  for (let e = 0; e < count * n; e++) out[(e % n) * count + Math.floor(e / n)] = theta[e];
}

/**
 * Kernels.binLayer: bin(v) = clamp(⌊((v − min)/(max − min))·K⌋, 0, K − 1), adaptive values
 * first divided by their neuron's batch max |v| (0 when that is 0) over [−1, 1]. Errors, per
 * source in order: adaptive binning first reads every value for the maxima, where a NaN is
 * the first to fail (an infinity is a maximum); then the first value that is not finite.
 */
export function naiveBinLayer(
  binning: BinSpec,
  sources: readonly Float32Array[],
  batch: number,
  neurons: number,
  out: Uint8Array,
): void {
  const [min, max] = binning.kind === "adaptive" ? [-1, 1] : [binning.min, binning.max];
  sources.forEach((s, j) => {
    const firstBad = (bad: (v: number) => boolean): void => {
      const e = s.subarray(0, batch * neurons).findIndex(bad);
      if (e >= 0) throw notFiniteError(j, e % neurons, Math.floor(e / neurons), s[e]);
    };
    if (binning.kind === "adaptive") firstBad(Number.isNaN);
    firstBad((v) => !Number.isFinite(v));
    for (let k = 0; k < neurons; k++) {
      let peak = 0;
      for (let i = 0; i < batch; i++) peak = Math.max(peak, Math.abs(s[i * neurons + k]));
      for (let i = 0; i < batch; i++) {
        let v = s[i * neurons + k];
        if (binning.kind === "adaptive") v = peak > 0 ? v / peak : 0;
        const bin = Math.floor(((v - min) / (max - min)) * binning.bins);
        out[(k * batch + i) * sources.length + j] = Math.min(binning.bins - 1, Math.max(0, bin));
      }
    }
  });
}

/** Adam's settings, as optim's adam() takes them (defaults as PyTorch's). */
export interface NaiveAdamSettings {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/**
 * Kernels.adamStep: one Adam step per element with the step's scalars (see naiveAdam), in
 * float64, moments and weights stored as float32; masked entries become +0.
 */
export function naiveAdamStep(
  w: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  mask: Uint8Array | null,
  size: number,
  step: AdamStep,
): void {
  const { beta1, beta2, eps, weightDecay, stepSize, sqrtBc2 } = step;
  for (let e = 0; e < size; e++) {
    if (mask && mask[e] === 0) {
      w[e] = 0;
      continue;
    }
    const g = grad[e] + weightDecay * w[e];
    m[e] = beta1 * m[e] + (1 - beta1) * g;
    v[e] = beta2 * v[e] + (1 - beta2) * g * g;
    w[e] = w[e] - (stepSize * m[e]) / (Math.sqrt(v[e]) / sqrtBc2 + eps);
  }
}

/**
 * torch.optim.Adam with coupled weight decay, written out: at step t (from 1), per element,
 * g = grad + wd·w; m ← β1·m + (1 − β1)·g and v ← β2·v + (1 − β2)·g·g, stored as float32;
 * w ← w − (lr/(1 − β1^t))·m / (√v/√(1 − β2^t) + eps) from the stored moments, as float32.
 * Masked entries (mask[e] = 0) become +0 and keep their moments. Returns the step function
 * and the moments.
 */
export function naiveAdam(size: number, settings: NaiveAdamSettings) {
  const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = settings;
  const m = new Float32Array(size);
  const v = new Float32Array(size);
  let t = 0;
  return {
    moments: [m, v] as const,
    step(w: Float32Array, grad: Float32Array, mask: Uint8Array | null = null): void {
      t += 1;
      const stepSize = lr / (1 - beta1 ** t);
      const sqrtBc2 = Math.sqrt(1 - beta2 ** t);
      naiveAdamStep(w, grad, m, v, mask, size, {
        beta1,
        beta2,
        eps,
        weightDecay,
        stepSize,
        sqrtBc2,
      });
    },
  };
}

/** Per row r of a [rows × cols] mask, the columns j with mask[r·cols + j] ≠ 0, ascending. */
export function maskColumns(mask: Uint8Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => {
    const columns: number[] = [];
    for (let j = 0; j < cols; j++) if (mask[r * cols + j] !== 0) columns.push(j);
    return columns;
  });
}

/**
 * Kernels.sparseMatmulABt on the mask's entries: out[i·rows + r] = Σ_{j in row r}
 * a[i·cols + j]·w[r·cols + j] (+ bias[r]), summed in float64, rounded once.
 */
export function naiveSparseMatmulABt(
  a: Float32Array,
  w: Float32Array,
  columns: readonly (readonly number[])[],
  cols: number,
  out: Float32Array,
  m: number,
  bias: Float32Array | null = null,
): void {
  const rows = columns.length;
  for (let i = 0; i < m; i++) {
    for (let r = 0; r < rows; r++) {
      let sum = bias ? bias[r] : 0;
      for (const j of columns[r]) sum += a[i * cols + j] * w[r * cols + j];
      out[i * rows + r] = sum;
    }
  }
}

/**
 * Kernels.sparseMatmulAtB on the mask's entries: out[r·cols + j] = Σ_i d[i·rows + r]·b[i·cols + j]
 * for (r, j) in the mask, summed over i in float64 and rounded once; +0 elsewhere.
 */
export function naiveSparseMatmulAtB(
  d: Float32Array,
  b: Float32Array,
  columns: readonly (readonly number[])[],
  cols: number,
  out: Float32Array,
  m: number,
): void {
  const rows = columns.length;
  out.fill(0, 0, rows * cols);
  for (let r = 0; r < rows; r++) {
    const sums = new Float64Array(columns[r].length);
    for (let i = 0; i < m; i++) {
      columns[r].forEach((j, e) => {
        sums[e] += d[i * rows + r] * b[i * cols + j];
      });
    }
    columns[r].forEach((j, e) => {
      out[r * cols + j] = sums[e];
    });
  }
}

/** out[m×n] = a[m×k]·b[n×k]ᵀ (+ bias), three loops in float64. */
export function naiveMatmulABt(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  bias?: Float32Array | null,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = bias ? bias[j] : 0;
      for (let t = 0; t < k; t++) sum += a[i * k + t] * b[j * k + t];
      out[i * n + j] = sum;
    }
  }
}

/** out[m×n] = a[k×m]ᵀ·b[k×n], three loops in float64 (each sum over t in order, t outermost for the cache). */
export function naiveMatmulAtB(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
): void {
  const sums = new Float64Array(m * n);
  for (let t = 0; t < k; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) sums[i * n + j] += a[t * m + i] * b[t * n + j];
    }
  }
  out.set(sums.subarray(0, m * n));
}

/**
 * Kernels made of the naive loops (products, activation, δ, transpose, binning, Adam, sparse
 * products), for tests that train small layers and networks on them. What is not numeric
 * (memory, shape checks, the sparse pattern object, the PID estimator's run) comes from
 * tsKernels().
 */
export function naiveKernels(): Kernels {
  const ts = tsKernels();
  const masks = new WeakMap<object, { columns: number[][]; cols: number }>();
  const columnsOf = (pattern: object) => {
    const found = masks.get(pattern);
    if (!found) throw new Error("naiveKernels: the pattern was not built by these kernels");
    return found;
  };
  return {
    ...ts,
    matmulABt: naiveMatmulABt,
    matmulAtB: naiveMatmulAtB,
    activateLayer: naiveActivateLayer,
    layerDelta: naiveLayerDelta,
    transposeToNeuronMajor: naiveTranspose,
    binLayer: naiveBinLayer,
    sparsePattern(mask, rows, cols) {
      const pattern = ts.sparsePattern(mask, rows, cols);
      masks.set(pattern, { columns: maskColumns(mask, rows, cols), cols });
      return pattern;
    },
    sparseMatmulABt(a, w, pattern, out, m, bias) {
      const { columns, cols } = columnsOf(pattern);
      naiveSparseMatmulABt(a, w, columns, cols, out, m, bias);
    },
    sparseMatmulAtB(d, b, pattern, out, m) {
      const { columns, cols } = columnsOf(pattern);
      naiveSparseMatmulAtB(d, b, columns, cols, out, m);
    },
    adamStep: naiveAdamStep,
  };
}
