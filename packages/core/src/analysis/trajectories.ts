/** Atom trajectories over training: per epoch and value, the median, 10–90 % band and layer mean across neurons. */

import { InfomorphError } from "../errors.js";

/** One epoch of a layer's per-neuron values, row-major [neuron × values] (atoms in canonical order, then H_res). */
export type EpochValues = Float32Array | Float64Array;

export interface TrajectoryOptions {
  /**
   * Values per neuron: the row width of each epoch array. For n sources that is
   * lattice(n).size + 1 (atoms, then H_res): 5 for n = 2, 19 for n = 3, as in
   * LayerEpochStats.atoms.
   */
  values: number;
}

/** Summary statistics across neurons, each row-major [epoch × value], float64, in the input's units (bits). */
export interface AtomTrajectories {
  readonly epochs: number;
  readonly neurons: number;
  readonly values: number;
  /** The 50 % quantile across neurons. */
  readonly median: Float64Array;
  /** The 10 % quantile across neurons (lower edge of the band). */
  readonly q10: Float64Array;
  /** The 90 % quantile across neurons (upper edge of the band). */
  readonly q90: Float64Array;
  /** The layer mean (1/N)·Σ_i x_i across neurons. */
  readonly mean: Float64Array;
}

/**
 * The q-quantile of the first `length` entries of an ascending array, by linear
 * interpolation between order statistics (Hyndman & Fan 1996, type 7; the default of
 * numpy.quantile and R's quantile):
 *
 *   h = (N − 1)·q,   Q(q) = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)
 *
 * with 0-based order statistics x₍0₎ ≤ … ≤ x₍N−1₎. Q(0) is the minimum, Q(1) the maximum,
 * Q(½) the usual median (the mean of the two middle values for even N). Precision:
 * float64. The caller guarantees N ≥ 1 and q ∈ [0, 1].
 *
 * @example quantileOfSorted([1, 2, 3, 4], 4, 0.1) // 1.3 (h = 0.3)
 */
export function quantileOfSorted(sorted: ArrayLike<number>, length: number, q: number): number {
  const h = (length - 1) * q;
  const lo = Math.floor(h);
  if (lo >= length - 1) return sorted[length - 1];
  const frac = h - lo;
  return frac === 0 ? sorted[lo] : sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/**
 * Per epoch e and value v, the median, the 10 % and 90 % quantiles (linear
 * interpolation, see {@link quantileOfSorted}) and the mean of x[e][i·values + v] over
 * the neurons i. These are the curves and band of an atom-trajectory plot; the atoms
 * plus H_res of one neuron stack to its H(Y), and the means stack likewise (quantiles
 * do not: the median of a sum is not the sum of medians).
 *
 * Units: those of the input (bits). Precision: float64 (float32 inputs are widened).
 * Cost: one float64 buffer of N entries, reused; per (epoch, value) one copy and one
 * native typed-array sort, O(E·V·N log N) — 2000 neurons × 19 values × 100 epochs sort
 * 1900 columns of 2000 numbers. Non-finite values are rejected, never skipped.
 *
 * @example
 * // 3 neurons, 2 values, 1 epoch: value 0 is (1, 2, 4), value 1 is (0, 0, 3)
 * atomTrajectories([Float64Array.of(1, 0, 2, 0, 4, 3)], { values: 2 })
 * // median [2, 0], q10 [1.2, 0], q90 [3.6, 2.4], mean [7/3, 1]
 */
export function atomTrajectories(
  epochs: readonly EpochValues[],
  options: TrajectoryOptions,
): AtomTrajectories {
  const { values, neurons } = checkEpochs(epochs, options);
  const size = epochs.length * values;
  const median = new Float64Array(size);
  const q10 = new Float64Array(size);
  const q90 = new Float64Array(size);
  const mean = new Float64Array(size);
  const column = new Float64Array(neurons); // the reusable sort buffer
  for (let e = 0; e < epochs.length; e++) {
    const x = epochs[e];
    for (let v = 0; v < values; v++) {
      let sum = 0;
      for (let i = 0; i < neurons; i++) {
        const value = x[i * values + v];
        if (!Number.isFinite(value)) throw notFinite(e, i, v, values, value);
        column[i] = value;
        sum += value;
      }
      column.sort(); // typed arrays sort numerically
      const at = e * values + v;
      median[at] = quantileOfSorted(column, neurons, 0.5);
      q10[at] = quantileOfSorted(column, neurons, 0.1);
      q90[at] = quantileOfSorted(column, neurons, 0.9);
      mean[at] = sum / neurons;
    }
  }
  return { epochs: epochs.length, neurons, values, median, q10, q90, mean };
}

/**
 * One neuron's values over training: out[e·values + v] = epochs[e][neuron·values + v],
 * row-major [epoch × value], float64. Same units as the input.
 *
 * @example neuronTrajectory([Float64Array.of(1, 0, 2, 0), Float64Array.of(5, 6, 7, 8)], 1, { values: 2 })
 * // Float64Array [2, 0, 7, 8]
 */
export function neuronTrajectory(
  epochs: readonly EpochValues[],
  neuron: number,
  options: TrajectoryOptions,
): Float64Array {
  const { values, neurons } = checkEpochs(epochs, options);
  if (!Number.isInteger(neuron) || neuron < 0 || neuron >= neurons) {
    throw new InfomorphError({
      code: "trajectories/bad-neuron",
      path: ["neuron"],
      message: `neuron must be an integer from 0 to ${neurons - 1} (got ${neuron}).`,
    });
  }
  const out = new Float64Array(epochs.length * values);
  for (let e = 0; e < epochs.length; e++) {
    out.set(epochs[e].subarray(neuron * values, (neuron + 1) * values), e * values);
  }
  return out;
}

function checkEpochs(
  epochs: readonly EpochValues[],
  options: TrajectoryOptions,
): { values: number; neurons: number } {
  const { values } = options;
  if (!Number.isInteger(values) || values < 1) {
    throw new InfomorphError({
      code: "trajectories/bad-values",
      path: ["values"],
      message: `values (entries per neuron) must be a positive integer (got ${values}); for n sources use lattice(n).size + 1, e.g. 19 for n = 3.`,
    });
  }
  if (epochs.length === 0) {
    throw new InfomorphError({
      code: "trajectories/no-epochs",
      path: ["epochs"],
      message: "no epochs given; pass one [neuron × values] array per epoch.",
    });
  }
  const length = epochs[0].length;
  if (length === 0 || length % values !== 0) {
    throw new InfomorphError({
      code: "trajectories/bad-length",
      path: ["epochs", 0],
      message: `epoch 0 has ${length} entries, not a positive multiple of ${values} values per neuron. Check the values option (atoms + 1 for H_res).`,
    });
  }
  for (let e = 1; e < epochs.length; e++) {
    if (epochs[e].length !== length) {
      throw new InfomorphError({
        code: "trajectories/ragged",
        path: ["epochs", e],
        message: `epoch ${e} has ${epochs[e].length} entries but epoch 0 has ${length}; every epoch must hold the same neurons.`,
      });
    }
  }
  return { values, neurons: length / values };
}

function notFinite(
  epoch: number,
  neuron: number,
  value: number,
  values: number,
  got: number,
): InfomorphError {
  return new InfomorphError({
    code: "trajectories/not-finite",
    path: ["epochs", epoch, neuron * values + value],
    message: `epoch ${epoch}, neuron ${neuron}, value ${value} is ${got}; atoms must be finite numbers. Look for a diverged run or an unwritten epoch.`,
  });
}
