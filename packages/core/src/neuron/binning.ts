/**
 * Equal-width binning of each neuron's source values into K bins, the discrete PID sources.
 *
 * Two modes (SCIENCE.md §4):
 * - "fixed": raw values over a fixed range [min, max], values outside clamped to the end bins;
 * - "adaptive": symmetric normalisation, v / max_batch|v| ∈ [−1, 1], per neuron, per source,
 *   per batch, then K bins over [−1, 1].
 *
 * Reference quirk: the published trivariate hidden layer bins raw values over [−20, 20] and
 * ignores its own "normalize" flag, while the bivariate and output layers bin adaptively. We
 * offer both modes and the presets choose explicitly; nothing here switches silently.
 *
 * Bin assignment is not differentiated; only θ carries gradient (SCIENCE.md §4.4).
 */

import { InfomorphError } from "../errors.js";

/** How one layer bins its source values; see resolveBinning() for defaults. */
export type Binning =
  /** Raw values, clamped into [min, max]. */
  | { kind: "fixed"; bins: number; min: number; max: number }
  /** Symmetric: v / max_batch|v| ∈ [−1, 1], per neuron and source, per batch. */
  | { kind: "adaptive"; bins: number };

/** A binning as written in a config: any field but `kind` may be left to its default. */
export type BinningInput =
  | { kind: "fixed"; bins?: number; min?: number; max?: number }
  | { kind: "adaptive"; bins?: number };

const FIELDS = { fixed: ["kind", "bins", "min", "max"], adaptive: ["kind", "bins"] } as const;

/**
 * Fill defaults and validate: bins = 20 for both kinds, min = −20 and max = 20 for "fixed"
 * (the reference's trivariate range). bins must be an integer from 2 to 255 (a bin index fits
 * a byte); min and max finite with min < max.
 *
 * @example resolveBinning({ kind: "fixed" }) // { kind: "fixed", bins: 20, min: -20, max: 20 }
 */
export function resolveBinning(b: BinningInput): Binning {
  const kind = (b as { kind?: unknown } | null)?.kind;
  if (kind !== "fixed" && kind !== "adaptive") {
    throw new InfomorphError({
      code: "binning/unknown",
      path: ["kind"],
      message: `unknown binning kind ${show(kind)}. Valid kinds: "fixed", "adaptive".`,
    });
  }
  const allowed: readonly string[] = FIELDS[kind];
  for (const key of Object.keys(b)) {
    if (!allowed.includes(key)) {
      throw new InfomorphError({
        code: "binning/bad-param",
        path: [key],
        message: `binning "${kind}" has no field "${key}". Its fields are: ${allowed.join(", ")}.`,
      });
    }
  }
  const bins = b.bins ?? 20;
  if (typeof bins !== "number" || !Number.isInteger(bins) || bins < 2 || bins > 255) {
    throw new InfomorphError({
      code: "binning/bad-bins",
      path: ["bins"],
      message: `bins must be an integer from 2 to 255 (got ${show(bins)}). Try 20.`,
    });
  }
  if (b.kind === "adaptive") return { kind: "adaptive", bins };
  const min = b.min ?? -20;
  const max = b.max ?? 20;
  for (const [name, x, hint] of [
    ["min", min, -20],
    ["max", max, 20],
  ] as const) {
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new InfomorphError({
        code: "binning/bad-range",
        path: [name],
        message: `${name} must be a finite number (got ${show(x)}). Try ${hint}.`,
      });
    }
  }
  if (!(min < max)) {
    throw new InfomorphError({
      code: "binning/bad-range",
      path: ["max"],
      message: `min must be less than max (got min ${min}, max ${max}). Try min: -20, max: 20.`,
    });
  }
  return { kind: "fixed", bins, min, max };
}

/**
 * Bin index of one value among K equal-width bins over [min, max]:
 *
 *   bin(v) = clamp( floor((v − min) / (max − min) · K), 0, K − 1 )
 *
 * so v = max goes to K − 1 and values outside the range go to the end bins.
 * Units: a bin index (integer). Precision: float64 arithmetic; a value within rounding of an
 * interior edge may land on either side. Domain: finite v; NaN is the caller's to reject
 * (binLayer() does). No validation here: this is the hot path, fed by resolveBinning().
 *
 * @example binIndex(0, -20, 20, 20) // 10
 * @example binIndex(20, -20, 20, 20) // 19 (v = max)
 */
export function binIndex(v: number, min: number, max: number, bins: number): number {
  const b = Math.floor(((v - min) / (max - min)) * bins);
  return b < 0 ? 0 : b > bins - 1 ? bins - 1 : b;
}

/**
 * Bin a layer's source values for the PID estimator.
 * sources[j] is a Float32Array [batch × neurons] (row-major, sample-major: element
 * i*neurons + k is sample i, neuron k) holding s_j.
 * Writes out: Uint8Array of length neurons × batch × nSources laid out [neuron][sample][source]
 * (element (k*batch + i)*nSources + j).
 *
 * "adaptive" divides each value by its neuron's batch maximum of |s_j| (float64 division), then
 * bins over [−1, 1]; a neuron whose values are all 0 puts every sample in the bin containing 0
 * (bin ⌊K/2⌋). Cost: one pass per source for the maxima, one for the bins; allocates only the
 * per-neuron maxima. Throws "binning/not-finite" on NaN or ±Infinity (a diverged layer).
 * Kernels.binLayer() is the same function in WebAssembly, with the same bins and errors.
 *
 * @example
 * // 2 samples, 1 neuron, 1 source, K = 4 over [−1, 1]:
 * binLayer({ kind: "fixed", bins: 4, min: -1, max: 1 }, [Float32Array.of(-1, 0.6)], 2, 1, out)
 * // out = [0, 3]
 */
export function binLayer(
  binning: Binning,
  sources: readonly Float32Array[],
  batch: number,
  neurons: number,
  out: Uint8Array,
): void {
  checkBinLayer(sources, batch, neurons, out);
  const nSources = sources.length;
  const K = binning.bins;
  const adaptive = binning.kind === "adaptive";
  const min = adaptive ? -1 : binning.min;
  const max = adaptive ? 1 : binning.max;
  const peak = adaptive ? new Float64Array(neurons) : null;

  for (let j = 0; j < nSources; j++) {
    const s = sources[j];
    if (peak !== null) {
      peak.fill(0);
      for (let i = 0, e = 0; i < batch; i++) {
        for (let k = 0; k < neurons; k++, e++) {
          const v = s[e];
          const a = v < 0 ? -v : v;
          if (a > peak[k]) peak[k] = a;
          else if (!(a <= peak[k])) throw notFiniteError(j, k, i, v); // NaN fails both comparisons
        }
      }
    }
    for (let i = 0, e = 0; i < batch; i++) {
      for (let k = 0; k < neurons; k++, e++) {
        let v = s[e];
        if (v - v !== 0) throw notFiniteError(j, k, i, v); // NaN or ±Infinity
        if (peak !== null) v = peak[k] > 0 ? v / peak[k] : 0;
        out[(k * batch + i) * nSources + j] = binIndex(v, min, max, K);
      }
    }
  }
}

/**
 * The shape checks of binLayer(): each source exactly batch × neurons floats, out exactly
 * neurons × batch × sources bytes. Throws "binning/bad-shape".
 */
export function checkBinLayer(
  sources: readonly Float32Array[],
  batch: number,
  neurons: number,
  out: Uint8Array,
): void {
  const nSources = sources.length;
  const size = batch * neurons;
  for (let j = 0; j < nSources; j++) {
    if (sources[j].length !== size) {
      throw badShape(
        `sources[${j}] has length ${sources[j].length}, expected batch × neurons = ` +
          `${batch} × ${neurons} = ${size}. Pass one [batch × neurons] Float32Array per source.`,
      );
    }
  }
  if (out.length !== size * nSources) {
    throw badShape(
      `out has length ${out.length}, expected neurons × batch × sources = ` +
        `${neurons} × ${batch} × ${nSources} = ${size * nSources}. ` +
        `Allocate a Uint8Array(${size * nSources}).`,
    );
  }
}

/** The "binning/not-finite" error for value v of source j, neuron k, sample i. */
export function notFiniteError(j: number, k: number, i: number, v: number): InfomorphError {
  return new InfomorphError({
    code: "binning/not-finite",
    path: ["sources", j],
    message:
      `source ${j} of neuron ${k} is ${v} at sample ${i}; binning needs finite values. ` +
      "The layer has likely diverged: lower the learning rate.",
  });
}

function badShape(message: string): InfomorphError {
  return new InfomorphError({ code: "binning/bad-shape", message });
}

/** A received value as the user wrote it: numbers bare, everything else as JSON. */
function show(x: unknown): string {
  if (typeof x === "number") return String(x);
  return JSON.stringify(x) ?? String(x);
}
