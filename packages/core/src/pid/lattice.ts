/** The redundancy lattice for n sources: antichains, their order and names, the Möbius inversion, and the inclusion–exclusion terms of I^sx. */

import { InfomorphError } from "../errors.js";

/** The largest number of sources supported (7579 antichains). */
export const MAX_SOURCES = 5;

/**
 * One node of the lattice. A collection is a non-empty set of sources, stored as a
 * bitmask (bit j = source j+1); an antichain is a set of collections none of which
 * contains another.
 */
export interface Antichain {
  /** Position in the canonical order of this lattice (the papers' order for n = 2, 3). */
  readonly index: number;
  /** Collections as source bitmasks, in name order (smaller collections first, then lexicographic). */
  readonly collections: readonly number[];
  /** Canonical name, e.g. "{1}{23}". */
  readonly name: string;
  /**
   * The up-set of the antichain: every non-empty source subset T that contains some
   * collection, as a bitmask with bit T−1. β ≼ α exactly when upset(α) ⊆ upset(β);
   * for n ≤ 5 it fits in 31 bits.
   */
  readonly upset: number;
}

/**
 * The union probability of an antichain's collections by inclusion–exclusion, with
 * the terms merged per distinct source subset:
 *   P(𝔴_α) = Σ_k coefficients[k] · p(s restricted to subsets[k]).
 * Coefficients are non-zero integers; subsets are source bitmasks in ascending order.
 */
export interface InclusionExclusion {
  readonly subsets: Int32Array;
  readonly coefficients: Float64Array;
}

/** A sparse row of the Möbius matrix: atom(α) = Σ_k weights[k] · redundancy(nodes[k]). */
export interface MoebiusRow {
  readonly nodes: Int32Array;
  readonly weights: Float64Array;
}

/** The redundancy lattice of n sources, built once per n (see {@link lattice}). */
export interface Lattice {
  /** Number of sources n. */
  readonly sources: number;
  /** Number of antichains: 1, 4, 18, 166, 7579 for n = 1…5. */
  readonly size: number;
  /** The antichains in canonical order. */
  readonly antichains: readonly Antichain[];
  /** Canonical names in canonical order. */
  readonly names: readonly string[];
  /** Index of the bottom {1}{2}…{n} (full redundancy). */
  readonly bottom: number;
  /** Index of the top {12…n} (full synergy). */
  readonly top: number;
  /** Per antichain, its inclusion–exclusion terms. */
  readonly terms: readonly InclusionExclusion[];
  /** Per antichain, its sparse Möbius row. */
  readonly moebiusRows: readonly MoebiusRow[];
  /** The index of the single-collection antichain {a} for a source bitmask a (its I^sx is I(T;S_a)). */
  collectionIndex(subset: number): number;
  /** β ≼ α in the redundancy order. */
  leq(beta: number, alpha: number): boolean;
  /**
   * Index of an antichain by name: canonical ("{1}{23}", in any order of collections and
   * digits) or, given class names, an alias ("(F)(CL)" with classNames ["F","C","L"]).
   * Throws an InfomorphError listing the valid names on a typo.
   */
  indexOf(name: string, classNames?: readonly string[]): number;
  /** The alias of an antichain built from class names, e.g. "(F)(CL)". */
  alias(index: number, classNames: readonly string[]): string;
  /** Möbius inversion Π = M·I_∩: atoms from cumulative redundancies (both in canonical order). */
  moebius(redundancies: ArrayLike<number>, atoms?: Float64Array): Float64Array;
  /** The transpose c = Mᵀ·γ: the weights on redundancies that make γ·Π = c·I_∩. */
  moebiusTransposed(gamma: ArrayLike<number>, out?: Float64Array): Float64Array;
}

/** The papers' canonical orders (docs/SCIENCE.md §2); other n are ordered bottom to top. */
const CANONICAL_ORDERS: Record<number, readonly string[]> = {
  1: ["{1}"],
  2: ["{1}", "{2}", "{1}{2}", "{12}"],
  3: [
    "{1}{2}{3}",
    "{1}{2}",
    "{1}{3}",
    "{2}{3}",
    "{1}{23}",
    "{2}{13}",
    "{3}{12}",
    "{1}",
    "{2}",
    "{3}",
    "{12}{13}{23}",
    "{12}{13}",
    "{12}{23}",
    "{13}{23}",
    "{12}",
    "{13}",
    "{23}",
    "{123}",
  ],
};

const cache = new Map<number, Lattice>();

/**
 * The redundancy lattice for n = 1…5 sources, built on first use and cached.
 * Sizes: 1, 4, 18, 166, 7579 antichains. Building n = 5 allocates no dense
 * 7579² matrix: the Möbius matrix is sparse because the lattice is distributive,
 * so μ(β, α) ≠ 0 only on Boolean intervals below α.
 *
 * @example lattice(2).names // ["{1}", "{2}", "{1}{2}", "{12}"]
 */
export function lattice(n: number): Lattice {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SOURCES) {
    throw new InfomorphError({
      code: "lattice/bad-sources",
      path: ["sources"],
      message: `the number of sources must be an integer from 1 to ${MAX_SOURCES} (got ${n}).`,
    });
  }
  let built = cache.get(n);
  if (!built) {
    built = buildLattice(n);
    cache.set(n, built);
  }
  return built;
}

function buildLattice(n: number): Lattice {
  const collectionsList = enumerateAntichains(n).map(sortCollections);
  const nodes = collectionsList.map((collections) => ({
    collections,
    name: nameOf(collections),
    upset: upsetOf(collections, n),
  }));
  const canonical = CANONICAL_ORDERS[n];
  if (canonical) {
    const rank = new Map(canonical.map((name, i) => [name, i]));
    nodes.sort((a, b) => rank.get(a.name)! - rank.get(b.name)!);
  } else {
    // Bottom to top: a larger up-set lies lower; ties by name.
    nodes.sort((a, b) => popcount(b.upset) - popcount(a.upset) || compareNames(a.name, b.name));
  }
  const antichains: Antichain[] = nodes.map((node, index) => ({ index, ...node }));
  const byUpset = new Map(antichains.map((a) => [a.upset, a.index]));
  const byName = new Map(antichains.map((a) => [a.name, a.index]));
  const terms = antichains.map((a) => inclusionExclusion(a.collections));
  const moebiusRows = antichains.map((a) => moebiusRow(a.upset, n, byUpset));
  const size = antichains.length;
  const names = antichains.map((a) => a.name);
  const full = (1 << n) - 1;
  const bottomName = nameOf(Array.from({ length: n }, (_, j) => 1 << j));

  const indexOf = (name: string, classNames?: readonly string[]): number => {
    const collections = parseName(name, n, names, classNames);
    const index = byName.get(nameOf(sortCollections(collections)));
    if (index === undefined) throw unknownName(name, names, classNames);
    return index;
  };

  return {
    sources: n,
    size,
    antichains,
    names,
    bottom: byName.get(bottomName)!,
    top: byName.get(nameOf([full]))!,
    terms,
    moebiusRows,
    collectionIndex(subset: number): number {
      const index = byName.get(nameOf([subset]));
      if (index === undefined || subset <= 0 || subset > full) {
        throw new InfomorphError({
          code: "lattice/bad-collection",
          message: `source subset ${subset} is not a non-empty subset of ${n} sources.`,
        });
      }
      return index;
    },
    leq(beta: number, alpha: number): boolean {
      return (antichains[alpha].upset & ~antichains[beta].upset) === 0;
    },
    indexOf,
    alias(index: number, classNames: readonly string[]): string {
      checkClassNames(classNames, n);
      return antichains[index].collections
        .map(
          (c) =>
            `(${membersOf(c)
              .map((j) => classNames[j])
              .join("")})`,
        )
        .join("");
    },
    moebius(redundancies: ArrayLike<number>, atoms = new Float64Array(size)): Float64Array {
      checkLength(redundancies, size, "redundancies");
      for (let a = 0; a < size; a++) {
        const row = moebiusRows[a];
        let sum = 0;
        for (let k = 0; k < row.nodes.length; k++)
          sum += row.weights[k] * redundancies[row.nodes[k]];
        atoms[a] = sum;
      }
      return atoms;
    },
    moebiusTransposed(gamma: ArrayLike<number>, out = new Float64Array(size)): Float64Array {
      checkLength(gamma, size, "gamma");
      out.fill(0);
      for (let a = 0; a < size; a++) {
        const g = gamma[a];
        if (g === 0) continue;
        const row = moebiusRows[a];
        for (let k = 0; k < row.nodes.length; k++) out[row.nodes[k]] += row.weights[k] * g;
      }
      return out;
    },
  };
}

/** All non-empty antichains of non-empty subsets of n sources, by backtracking. */
function enumerateAntichains(n: number): number[][] {
  const subsets = Array.from({ length: (1 << n) - 1 }, (_, i) => i + 1);
  const result: number[][] = [];
  const chosen: number[] = [];
  const extend = (from: number): void => {
    for (let i = from; i < subsets.length; i++) {
      const s = subsets[i];
      if (chosen.some((c) => (c & s) === c || (c & s) === s)) continue;
      chosen.push(s);
      result.push(chosen.slice());
      extend(i + 1);
      chosen.pop();
    }
  };
  extend(0);
  return result;
}

function upsetOf(collections: readonly number[], n: number): number {
  let upset = 0;
  for (let t = 1; t < 1 << n; t++) {
    if (collections.some((c) => (c & t) === c)) upset |= 1 << (t - 1);
  }
  return upset;
}

/**
 * Möbius row of α. In a distributive lattice μ(β, α) = (−1)^k when β is the meet of
 * k distinct lower covers of α, else 0. A lower cover adds to α's up-set one subset S
 * whose strict supersets are all already in it.
 */
function moebiusRow(upset: number, n: number, byUpset: Map<number, number>): MoebiusRow {
  const full = (1 << n) - 1;
  const addable: number[] = [];
  for (let s = 1; s <= full; s++) {
    if (upset & (1 << (s - 1))) continue;
    let supersetsIn = true;
    for (let t = s + 1; t <= full && supersetsIn; t++) {
      if ((t & s) === s && !(upset & (1 << (t - 1)))) supersetsIn = false;
    }
    if (supersetsIn) addable.push(1 << (s - 1));
  }
  const count = 1 << addable.length;
  const nodes = new Int32Array(count);
  const weights = new Float64Array(count);
  for (let pick = 0; pick < count; pick++) {
    let u = upset;
    for (let k = 0; k < addable.length; k++) if (pick & (1 << k)) u |= addable[k];
    nodes[pick] = byUpset.get(u)!;
    weights[pick] = popcount(pick) % 2 === 0 ? 1 : -1;
  }
  return { nodes, weights };
}

function inclusionExclusion(collections: readonly number[]): InclusionExclusion {
  const merged = new Map<number, number>();
  const m = collections.length;
  for (let pick = 1; pick < 1 << m; pick++) {
    let union = 0;
    for (let j = 0; j < m; j++) if (pick & (1 << j)) union |= collections[j];
    const sign = popcount(pick) % 2 === 1 ? 1 : -1;
    merged.set(union, (merged.get(union) ?? 0) + sign);
  }
  const entries = [...merged].filter(([, c]) => c !== 0).sort((a, b) => a[0] - b[0]);
  return {
    subsets: Int32Array.from(entries, ([s]) => s),
    coefficients: Float64Array.from(entries, ([, c]) => c),
  };
}

function popcount(x: number): number {
  let count = 0;
  for (let v = x >>> 0; v; v &= v - 1) count++;
  return count;
}

function membersOf(collection: number): number[] {
  const members: number[] = [];
  for (let j = 0; collection >> j; j++) if (collection & (1 << j)) members.push(j);
  return members;
}

function collectionName(collection: number): string {
  return `{${membersOf(collection)
    .map((j) => j + 1)
    .join("")}}`;
}

function compareCollections(a: number, b: number): number {
  return popcount(a) - popcount(b) || compareNames(collectionName(a), collectionName(b));
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortCollections(collections: readonly number[]): number[] {
  return collections.slice().sort(compareCollections);
}

function nameOf(collections: readonly number[]): string {
  return collections.map(collectionName).join("");
}

/** Parse "{1}{23}" or, with class names, "(F)(CL)" into collections; validates the antichain. */
function parseName(
  name: string,
  n: number,
  names: readonly string[],
  classNames?: readonly string[],
): number[] {
  const text = name.replace(/\s+/g, "");
  const braces = /^(\{[^{}()]+\})+$/.test(text);
  const parens = /^(\([^{}()]+\))+$/.test(text);
  if (!braces && !(parens && classNames)) throw unknownName(name, names, classNames);
  const groups = text.slice(1, -1).split(braces ? "}{" : ")(");
  const collections = groups.map((group) => {
    const members = braces ? digitsOf(group, n) : classesOf(group, classNames!);
    if (!members) throw unknownName(name, names, classNames);
    let mask = 0;
    for (const j of members) {
      if (mask & (1 << j)) throw unknownName(name, names, classNames);
      mask |= 1 << j;
    }
    return mask;
  });
  for (let i = 0; i < collections.length; i++) {
    for (let j = 0; j < collections.length; j++) {
      const [a, b] = [collections[i], collections[j]];
      if (i !== j && (a & b) === a) {
        throw new InfomorphError({
          code: "lattice/not-antichain",
          path: [name],
          message:
            a === b
              ? `"${name}" names ${collectionName(a)} twice; an antichain lists each collection once.`
              : `"${name}" is not an antichain: ${collectionName(a)} lies inside ${collectionName(b)}. ` +
                `Drop the larger collection (its information is already covered by ${collectionName(a)}).`,
        });
      }
    }
  }
  return collections;
}

function digitsOf(group: string, n: number): number[] | null {
  if (!/^[1-9]+$/.test(group)) return null;
  const members = [...group].map((d) => Number(d) - 1);
  return members.every((j) => j < n) ? members : null;
}

/** Split a group like "CL" into class indices by longest match, so multi-letter class names work. */
function classesOf(group: string, classNames: readonly string[]): number[] | null {
  const members: number[] = [];
  let rest = group;
  while (rest.length > 0) {
    let best = -1;
    classNames.forEach((c, j) => {
      if (rest.startsWith(c) && (best < 0 || c.length > classNames[best].length)) best = j;
    });
    if (best < 0) return null;
    members.push(best);
    rest = rest.slice(classNames[best].length);
  }
  return members;
}

function checkClassNames(classNames: readonly string[], n: number): void {
  if (classNames.length !== n || new Set(classNames).size !== n || classNames.some((c) => !c)) {
    throw new InfomorphError({
      code: "lattice/bad-class-names",
      path: ["classNames"],
      message: `need ${n} distinct non-empty class names, one per source (got [${classNames.join(", ")}]), e.g. ${["F", "C", "L", "B", "D"].slice(0, n).join(",")}.`,
    });
  }
}

function unknownName(
  name: string,
  names: readonly string[],
  classNames?: readonly string[],
): InfomorphError {
  const shown = names.length <= 40 ? names.join(", ") : `${names.slice(0, 40).join(", ")}, …`;
  const aliasHint = classNames
    ? ` or aliases built from the classes ${classNames.join(", ")} such as "(${classNames[0]})"`
    : "";
  return new InfomorphError({
    code: "lattice/unknown-atom",
    path: [name],
    message: `"${name}" is not an atom of the ${names.length}-atom lattice. Valid names: ${shown}${aliasHint}.`,
  });
}

function checkLength(values: ArrayLike<number>, size: number, what: string): void {
  if (values.length !== size) {
    throw new InfomorphError({
      code: "lattice/bad-length",
      path: [what],
      message: `${what} has ${values.length} entries; this lattice has ${size} antichains (one entry each, in canonical order).`,
    });
  }
}
