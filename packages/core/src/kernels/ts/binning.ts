/** Binning of a layer's source values in plain TypeScript: the discrete PID sources, the fallback path of Kernels.binLayer and the oracle of the wasm binning kernel. */

import { InfomorphError } from "../../errors.js";
import type { BinSpec } from "../params.js";

/**
 * Bin index of one value among K equal-width bins over [min, max]:
 *
 *   bin(v) = clamp( floor((v − min) / (max − min) · K), 0, K − 1 )
 *
 * so v = max goes to K − 1 and values outside the range go to the end bins.
 * Units: a bin index (integer). Precision: float64 arithmetic; a value within rounding of an
 * interior edge may land on either side. Domain: finite v; NaN is the caller's to reject
 * (binLayer() does). No validation here: this is the hot path, fed by neuron/binning.ts resolveBinning().
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
  binning: BinSpec,
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
