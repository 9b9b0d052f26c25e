/**
 * What a neuron does, at a glance: every PID atom belongs to one of three classes by the shape
 * of its antichain, and a neuron's output information is dominated by one of them.
 *
 * - unique (the neuron specialises): one collection of one source, {i} — information only
 *   that source carries, e.g. (F);
 * - synergistic (it collaborates): one collection of two or more sources, {12}, {123} —
 *   information only the sources together carry, e.g. (FC);
 * - redundant (it aligns): two or more collections, {1}{2}, {1}{23}, {12}{13} — information
 *   each of several (groups of) sources carries on its own, e.g. (F)(C)(L), (F)(CL).
 *
 * A neuron's class sums are the sums of its atoms per class (bits; negative atoms, i.e.
 * misinformation, count against their class); they add up to I(Y; sources) = Σ atoms.
 * The dominant class is the one with the largest sum, when I(Y; sources) ≥ MIN_INFORMATION
 * bits; below that the neuron carries (almost) nothing and has no class. docs/INTERPRETING.md
 * states the same definition.
 */

import { lattice } from "@infomorph/core";

export type AtomClass = "unique" | "redundant" | "synergistic";

export const ATOM_CLASSES: readonly AtomClass[] = ["unique", "redundant", "synergistic"];

/** What each class means for a neuron, as the map's legend says it. */
export const CLASS_MEANING: Readonly<Record<AtomClass, string>> = {
  unique: "specialises",
  redundant: "aligns",
  synergistic: "collaborates",
};

/** Below this I(Y; sources), bits, a neuron has no dominant class. */
export const MIN_INFORMATION = 0.01;

/** The class of an antichain given as its collections (source bitmasks). */
export function atomClass(collections: readonly number[]): AtomClass {
  if (collections.length > 1) return "redundant";
  const c = collections[0];
  return (c & (c - 1)) === 0 ? "unique" : "synergistic";
}

/** The class of each atom of the lattice of n sources, in canonical order. */
export function atomClasses(sources: number): AtomClass[] {
  return lattice(sources).antichains.map((a) => atomClass(a.collections));
}

/** One neuron's information by class. */
export interface ClassShares {
  /** Σ atoms of each class, bits. */
  readonly unique: number;
  readonly redundant: number;
  readonly synergistic: number;
  /** I(Y; sources) = Σ atoms, bits. */
  readonly information: number;
  /** The class with the largest sum, or null when information < MIN_INFORMATION. */
  readonly dominant: AtomClass | null;
  /** The dominant class's sum over the information (0 when there is none); > 1 when other classes are negative. */
  readonly share: number;
}

/**
 * The class sums of one neuron from its stored values `values[offset … offset + classes.length]`
 * (atoms in canonical order; H_res, stored after them, is not information about the sources).
 *
 * @example classShares([0.3, 0, 0, 0.05], ["unique", "unique", "redundant", "synergistic"]).dominant // "unique"
 */
export function classShares(
  values: ArrayLike<number>,
  classes: readonly AtomClass[],
  offset = 0,
): ClassShares {
  const sums = { unique: 0, redundant: 0, synergistic: 0 };
  for (let a = 0; a < classes.length; a++) sums[classes[a]] += values[offset + a];
  const information = sums.unique + sums.redundant + sums.synergistic;
  let dominant: AtomClass | null = null;
  if (information >= MIN_INFORMATION) {
    dominant = "unique";
    if (sums.redundant > sums[dominant]) dominant = "redundant";
    if (sums.synergistic > sums[dominant]) dominant = "synergistic";
  }
  return {
    ...sums,
    information,
    dominant,
    share: dominant === null ? 0 : sums[dominant] / information,
  };
}
