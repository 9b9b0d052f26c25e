/** Representational complexity (Ehrlich et al., TMLR 2023): how many neurons must be observed jointly, on average, to read the label from a group of binary neurons. */

import { InfomorphError } from "../errors.js";
import { MAX_SOURCES, lattice } from "../pid/lattice.js";
import { pidOfTable } from "../pid/table.js";
import type { Rng } from "../random/rng.js";

/** Below this joint mutual information (bits) a group is uninformative and C is undefined. */
export const MIN_INFORMATION_BITS = 1e-12;

/** Binary outputs, row-major [sample × neuron], each ±1 or each 0/1 (one convention per array). */
export type BinaryOutputs = Int8Array | Float32Array;

export interface ComplexityOptions {
  /** Number of label classes; every label must be < classes. */
  classes: number;
  /** The group: 1 to 5 distinct neuron indices (columns of `outputs`); they become PID sources 1…n in this order. */
  neurons: readonly number[];
}

export interface ComplexityResult {
  /** C in units of neurons: 1 = every bit is readable from single neurons, n = only from all n jointly. */
  readonly complexity: number;
  /** I(T; S_1…S_n) in bits (empirical, plug-in). */
  readonly information: number;
  /** The PID atoms (bits, canonical order of lattice(n)). */
  readonly atoms: Float64Array;
}

/**
 * m(α) = min_{a∈α} |a| for every antichain of the n-source lattice, in canonical order:
 * the fewest sources one must observe jointly to get the information of atom α.
 *
 * @example complexityOrders(2) // Float64Array [1, 1, 1, 2]: (1), (2), (1)(2), (12)
 */
export function complexityOrders(n: number): Float64Array {
  return Float64Array.from(lattice(n).antichains, (a) => Math.min(...a.collections.map(popcount)));
}

/**
 * Representational complexity of a group of n ≤ 5 binary neurons about the label T:
 *
 *   C = Σ_α m(α)·Π(α) / I(T; S_1…S_n),   m(α) = min_{a∈α} |a|
 *
 * with the I^sx PID (pid/table.ts) of the empirical joint table p(s_1…s_n, t) (2^n ×
 * classes cells, counts normalised). Units: neurons. Precision: float64, exact for the
 * plug-in distribution (no bias correction: with few samples per cell C is biased).
 * C ∈ [1, n] when every atom is ≥ 0; I^sx atoms can be negative, so C may leave
 * that range. Groups with I ≤ {@link MIN_INFORMATION_BITS} have no defined C and throw.
 *
 * Values by hand: n copies of a binary label (redundant code): C = 1. T = S_1 XOR S_2
 * with uniform inputs: Π = (0.585, 0.585, −0.585, 0.415) for (1), (2), (1)(2), (12),
 * so C = 1 + log2(4/3) = 1.415 — not 2, because I^sx gives each XOR input unique
 * information cancelled by misinformative redundancy. For n = 2 in general,
 * C = 1 + Π(12)/I.
 *
 * Ehrlich, Schneider, Priesemann, Wibral & Makkeh, TMLR (2023).
 *
 * @example
 * // 4 samples, 2 neurons (±1), label = XOR of their bits
 * representationalComplexity(Int8Array.of(-1,-1, -1,1, 1,-1, 1,1), Uint8Array.of(0,1,1,0),
 *   { classes: 2, neurons: [0, 1] }).complexity // 1.415037499278844
 */
export function representationalComplexity(
  outputs: BinaryOutputs,
  labels: Uint8Array,
  options: ComplexityOptions,
): ComplexityResult {
  const width = checkData(outputs, labels, options.classes);
  checkGroup(options.neurons, width);
  const result = groupComplexity(outputs, labels, width, options.classes, options.neurons);
  if (result.information <= MIN_INFORMATION_BITS) {
    throw new InfomorphError({
      code: "complexity/no-information",
      path: ["neurons"],
      message: `neurons [${options.neurons.join(", ")}] carry ${result.information} bits about the label, so C = Σ m·Π / I is undefined. Choose neurons whose outputs vary with the label.`,
    });
  }
  return result;
}

export interface LayerComplexityOptions {
  /** Number of label classes. */
  classes: number;
  /** Neurons per group k, 1…5 (the PID of k sources has 1, 4, 18, 166, 7579 atoms). */
  groupSize: number;
  /** Number of random groups to draw (≥ 1). */
  groups: number;
  /** Seeded generator that draws the groups, e.g. new Rng(1). */
  rng: Rng;
}

export interface LayerComplexity {
  /** Mean C over the informative groups, in neurons. */
  readonly mean: number;
  /** Sample standard deviation of C over the informative groups (n − 1 denominator; 0 for one group). */
  readonly std: number;
  /** Groups drawn. */
  readonly groups: number;
  /** Neurons per group. */
  readonly groupSize: number;
  /** C of each informative group, in drawing order. */
  readonly values: Float64Array;
  /** The neurons of each drawn group, row-major [group × groupSize]. */
  readonly members: Int32Array;
  /** Groups skipped because I(T; group) ≤ MIN_INFORMATION_BITS (C undefined). */
  readonly uninformative: number;
  /** How the number was obtained, for reports. */
  readonly method: "subsampled groups of k neurons";
}

/**
 * Representational complexity of a layer too wide for an exact PID, estimated as the
 * mean of C over `groups` random groups of `groupSize` distinct neurons, each drawn
 * uniformly (partial Fisher–Yates) with the given seeded Rng. Groups that carry no
 * information about the label are skipped and counted in `uninformative`; if all are,
 * this throws. State the method with the number: C of k-neuron subgroups is not C of
 * the whole layer (it is at most k).
 *
 * Cost per group: one PID of a 2^k × classes table; k = 5 evaluates 7579 atoms.
 *
 * @example
 * layerComplexity(outputs, labels, { classes: 10, groupSize: 3, groups: 100, rng: new Rng(1) })
 * // { mean, std, groups: 100, groupSize: 3, method: "subsampled groups of k neurons", … }
 */
export function layerComplexity(
  outputs: BinaryOutputs,
  labels: Uint8Array,
  options: LayerComplexityOptions,
): LayerComplexity {
  const { classes, groupSize, groups, rng } = options;
  const width = checkData(outputs, labels, classes);
  if (!Number.isInteger(groupSize) || groupSize < 1 || groupSize > Math.min(MAX_SOURCES, width)) {
    throw new InfomorphError({
      code: "complexity/bad-group-size",
      path: ["groupSize"],
      message: `groupSize must be an integer from 1 to ${Math.min(MAX_SOURCES, width)} (the smaller of ${MAX_SOURCES} and the ${width} neurons; got ${groupSize}).`,
    });
  }
  if (!Number.isInteger(groups) || groups < 1) {
    throw new InfomorphError({
      code: "complexity/bad-groups",
      path: ["groups"],
      message: `groups must be a positive integer (got ${groups}); 100 groups is a common choice.`,
    });
  }
  const pool = new Int32Array(width);
  for (let i = 0; i < width; i++) pool[i] = i;
  const members = new Int32Array(groups * groupSize);
  const values: number[] = [];
  for (let g = 0; g < groups; g++) {
    // partial Fisher–Yates: the first groupSize entries become a uniform random subset
    for (let i = 0; i < groupSize; i++) {
      const j = i + rng.int(width - i);
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    const group = Array.from(pool.subarray(0, groupSize));
    members.set(group, g * groupSize);
    const { complexity, information } = groupComplexity(outputs, labels, width, classes, group);
    if (information > MIN_INFORMATION_BITS) values.push(complexity);
  }
  if (values.length === 0) {
    throw new InfomorphError({
      code: "complexity/no-information",
      path: ["outputs"],
      message: `none of the ${groups} groups of ${groupSize} neurons carries information about the label, so C is undefined. Check that the layer was trained and that labels match the samples.`,
    });
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const squares = values.reduce((a, c) => a + (c - mean) * (c - mean), 0);
  const std = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
  return {
    mean,
    std,
    groups,
    groupSize,
    values: Float64Array.from(values),
    members,
    uninformative: groups - values.length,
    method: "subsampled groups of k neurons",
  };
}

/** C of one validated group; `information` may be ~0, the caller decides. */
function groupComplexity(
  outputs: BinaryOutputs,
  labels: Uint8Array,
  width: number,
  classes: number,
  neurons: readonly number[],
): ComplexityResult {
  const n = neurons.length;
  const counts = new Float64Array((1 << n) * classes);
  for (let k = 0; k < labels.length; k++) {
    let cell = 0; // C order over the source axes: neuron 0 is the slowest
    for (let j = 0; j < n; j++) cell = cell * 2 + (outputs[k * width + neurons[j]] === 1 ? 1 : 0);
    counts[cell * classes + labels[k]] += 1;
  }
  const shape = [...Array.from({ length: n }, () => 2), classes];
  const pid = pidOfTable(counts, shape, { normalize: true });
  const orders = complexityOrders(n);
  let weighted = 0;
  let information = 0;
  for (let a = 0; a < pid.atoms.length; a++) {
    weighted += orders[a] * pid.atoms[a];
    information += pid.atoms[a];
  }
  return { complexity: weighted / information, information, atoms: pid.atoms };
}

/** Validates outputs and labels once; returns the neurons per sample. */
function checkData(outputs: BinaryOutputs, labels: Uint8Array, classes: number): number {
  if (!Number.isInteger(classes) || classes < 2) {
    throw new InfomorphError({
      code: "complexity/bad-classes",
      path: ["classes"],
      message: `classes must be an integer ≥ 2 (got ${classes}), e.g. 10 for MNIST.`,
    });
  }
  const samples = labels.length;
  if (samples === 0 || outputs.length === 0 || outputs.length % samples !== 0) {
    throw new InfomorphError({
      code: "complexity/shape-mismatch",
      path: ["outputs"],
      message: `outputs has ${outputs.length} entries, not a positive multiple of the ${samples} labels; pass outputs row-major [sample × neuron] with one label per sample.`,
    });
  }
  let sawMinusOne = false;
  let sawZero = false;
  for (let i = 0; i < outputs.length; i++) {
    const v = outputs[i];
    if (v === -1) sawMinusOne = true;
    else if (v === 0) sawZero = true;
    else if (v !== 1) {
      throw new InfomorphError({
        code: "complexity/not-binary",
        path: ["outputs", i],
        message: `output ${i} is ${v}; outputs must be binary samples, ±1 or 0/1. Pass sampled outputs, not probabilities θ.`,
      });
    }
  }
  if (sawMinusOne && sawZero) {
    throw new InfomorphError({
      code: "complexity/mixed-coding",
      path: ["outputs"],
      message:
        "outputs mix −1 and 0, so the off state is ambiguous; code every output as ±1 or every output as 0/1.",
    });
  }
  for (let k = 0; k < samples; k++) {
    if (labels[k] >= classes) {
      throw new InfomorphError({
        code: "complexity/bad-label",
        path: ["labels", k],
        message: `label ${k} is ${labels[k]} but classes is ${classes}; labels must lie in 0…${classes - 1}.`,
      });
    }
  }
  return outputs.length / samples;
}

function checkGroup(neurons: readonly number[], width: number): void {
  if (neurons.length < 1 || neurons.length > MAX_SOURCES) {
    throw new InfomorphError({
      code: "complexity/bad-group-size",
      path: ["neurons"],
      message: `a group needs 1 to ${MAX_SOURCES} neurons for an exact PID (got ${neurons.length}); for more, use layerComplexity() with groupSize ≤ ${MAX_SOURCES}.`,
    });
  }
  const seen = new Set<number>();
  for (const i of neurons) {
    if (!Number.isInteger(i) || i < 0 || i >= width) {
      throw new InfomorphError({
        code: "complexity/bad-neuron",
        path: ["neurons"],
        message: `neuron ${i} does not exist; outputs have ${width} neurons per sample (indices 0…${width - 1}).`,
      });
    }
    if (seen.has(i)) {
      throw new InfomorphError({
        code: "complexity/duplicate-neuron",
        path: ["neurons"],
        message: `neuron ${i} is listed twice; a group lists distinct neurons.`,
      });
    }
    seen.add(i);
  }
}

function popcount(x: number): number {
  let count = 0;
  for (let v = x; v; v &= v - 1) count++;
  return count;
}
