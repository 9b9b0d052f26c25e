/** A goal by name: the weights γ of the PID atoms and of H_res that a neuron ascends, built from atom names and converted to and from positional vectors and JSON. */

import { InfomorphError } from "../errors.js";
import { type Lattice, lattice } from "../pid/lattice.js";

/** The key of the residual-entropy weight γ_res in goal records and JSON ("Hres" is accepted too). */
export const H_RES = "H_res";

/**
 * Atom names that editors complete: canonical names and F/C/L aliases of the n ≤ 3
 * lattices (the n = 2 and lateral names are among them), and H_res. Any other string
 * is accepted too and checked against the lattice at run time.
 */
export type AtomName =
  | "{1}{2}{3}"
  | "{1}{2}"
  | "{1}{3}"
  | "{2}{3}"
  | "{1}{23}"
  | "{2}{13}"
  | "{3}{12}"
  | "{1}"
  | "{2}"
  | "{3}"
  | "{12}{13}{23}"
  | "{12}{13}"
  | "{12}{23}"
  | "{13}{23}"
  | "{12}"
  | "{13}"
  | "{23}"
  | "{123}"
  | "(F)(C)(L)"
  | "(F)(C)"
  | "(F)(L)"
  | "(C)(L)"
  | "(F)(CL)"
  | "(C)(FL)"
  | "(L)(FC)"
  | "(F)"
  | "(C)"
  | "(L)"
  | "(FC)(FL)(CL)"
  | "(FC)(FL)"
  | "(FC)(CL)"
  | "(FL)(CL)"
  | "(FC)"
  | "(FL)"
  | "(CL)"
  | "(FCL)"
  | "H_res"
  | (string & {});

export interface GoalOptions {
  /** Number of PID sources n (1…5). */
  sources: number;
  /**
   * One class name per source, in source order, for aliases such as "(F)(CL)".
   * Default: ["F", "C", "L"] cut to n for n ≤ 3; ["1", "2", …, "n"] for n ≥ 4, where
   * the papers name no classes (aliases are then the canonical names in parentheses).
   * Lateral setups pass ["F", "L"].
   */
  classNames?: readonly string[];
}

/** A goal G = Σ_α γ_α·Π(α) + γ_res·H_res over the lattice of n sources. */
export interface Goal {
  readonly sources: number;
  /** One class name per source, used for aliases such as "(F)(C)". */
  readonly classNames: readonly string[];
  /**
   * γ over the atoms in canonical order, then γ_res: length lattice(n).size + 1, as the
   * papers' goal vectors and PidEstimator's `gamma`. A fresh copy on every read, so a
   * shared goal cannot be changed through it.
   */
  readonly gamma: Float64Array;
  /** The weight of an atom (canonical name or alias) or of "H_res"; 0 for atoms not in the goal. */
  weight(name: AtomName): number;
  /** The non-zero terms as [canonical name, γ] in canonical order, H_res last. */
  entries(): [string, number][];
}

/**
 * Build a goal from named weights. Keys are canonical atom names ("{1}{23}", collections
 * and digits in any order), aliases built from the class names ("(F)(CL)"), or "H_res"
 * (also "Hres"). Atoms not named get weight 0. Each atom may be named once: a key given
 * under two spellings is an error, as is a weight that is not a finite number.
 *
 * @example goal({ "(F)(C)": 1 }, { sources: 2 }).gamma // Float64Array [0, 0, 1, 0, 0]
 * @example goal({ "(FC)(FL)": -1 }, { sources: 3 }).weight("{12}{13}") // -1
 */
export function goal(weights: Readonly<Record<string, number>>, options: GoalOptions): Goal {
  if (weights === null || typeof weights !== "object" || Array.isArray(weights)) {
    resolveOptions(options);
    throw new InfomorphError({
      code: "goal/not-an-object",
      path: ["goal"],
      message: `a goal must be an object of atom names to weights, e.g. {"(F)(C)": 1} (got ${describe(weights)}).`,
    });
  }
  return goalFromEntries(Object.entries(weights), options);
}

/**
 * Build a goal from [name, weight] pairs in the order they were written (what {@link goal}
 * does with an object's entries). Unlike an object, a list can name one atom twice under
 * the same spelling, e.g. when parsed from "(F)=1, (F)=2"; that is the same error as two
 * spellings of one atom. A weight that is not a finite number is named in the error as given.
 */
export function goalFromEntries(
  entries: readonly (readonly [string, unknown])[],
  options: GoalOptions,
): Goal {
  const { lat, classNames } = resolveOptions(options);
  const gamma = new Float64Array(lat.size + 1);
  const namedBy = new Map<number, string>();
  for (const [key, value] of entries) {
    const index = indexOfKey(key, lat, classNames);
    const earlier = namedBy.get(index);
    if (earlier !== undefined) {
      const what = index === lat.size ? H_RES : `the atom ${lat.names[index]}`;
      throw new InfomorphError({
        code: "goal/duplicate",
        path: [key],
        message:
          earlier === key
            ? `"${key}" is given twice; give each atom one weight.`
            : `"${earlier}" and "${key}" both name ${what}; give each atom one weight.`,
      });
    }
    namedBy.set(index, key);
    gamma[index] = checkWeight(value, key);
  }
  return makeGoal(lat, classNames, gamma);
}

/**
 * The position in γ of an atom (canonical name or alias) or of H_res (the last); a name
 * that is not an atom of this lattice throws "goal/unknown-atom" listing the valid names.
 *
 * @example goalIndex("(F)(L)", { sources: 3 }) // 2
 */
export function goalIndex(name: AtomName, options: GoalOptions): number {
  const { lat, classNames } = resolveOptions(options);
  return indexOfKey(name, lat, classNames);
}

/**
 * Build a goal from a positional vector: γ over the atoms in canonical order
 * (docs/SCIENCE.md §2), then γ_res, as in the papers' tables. Use at the edge only (file
 * formats, tables); in code, name the atoms with {@link goal}.
 *
 * @example goalFromVector([0, 0, 1, 0, 0], { sources: 2 }).weight("(F)(C)") // 1
 */
export function goalFromVector(vector: ArrayLike<number>, options: GoalOptions): Goal {
  const { lat, classNames } = resolveOptions(options);
  if (vector.length !== lat.size + 1) {
    throw new InfomorphError({
      code: "goal/bad-length",
      path: ["gamma"],
      message: `the goal vector has ${vector.length} entries; ${lat.sources} sources need ${lat.size + 1} (${lat.size} atoms in canonical order, then H_res).`,
    });
  }
  const gamma = new Float64Array(lat.size + 1);
  for (let i = 0; i <= lat.size; i++) {
    gamma[i] = checkWeight(vector[i], i === lat.size ? H_RES : lat.names[i]);
  }
  return makeGoal(lat, classNames, gamma);
}

/**
 * The goal as a JSON record for run configs: non-zero weights by canonical name in
 * canonical order, H_res last. Read it back with {@link goalFromJSON}.
 *
 * @example goalToJSON(goal({ "(F)(C)": 1 }, { sources: 2 })) // { "{1}{2}": 1 }
 */
export function goalToJSON(g: Goal): Record<string, number> {
  return Object.fromEntries(g.entries());
}

/**
 * Parse a goal record read from JSON (as written by {@link goalToJSON}, or by hand with
 * aliases). The number of sources is not stored in the record, so it is an option.
 */
export function goalFromJSON(json: unknown, options: GoalOptions): Goal {
  return goal(json as Record<string, number>, options);
}

function makeGoal(lat: Lattice, classNames: readonly string[], gamma: Float64Array): Goal {
  return {
    sources: lat.sources,
    classNames,
    get gamma() {
      return gamma.slice();
    },
    weight: (name) => gamma[indexOfKey(name, lat, classNames)],
    entries() {
      const terms: [string, number][] = [];
      for (let i = 0; i <= lat.size; i++) {
        if (gamma[i] !== 0) terms.push([i === lat.size ? H_RES : lat.names[i], gamma[i]]);
      }
      return terms;
    },
  };
}

function resolveOptions(options: GoalOptions): { lat: Lattice; classNames: readonly string[] } {
  const lat = lattice(options.sources);
  const n = lat.sources;
  const classNames = Object.freeze([...(options.classNames ?? defaultClassNames(n))]);
  // alias() validates the class names (count, distinct, non-empty) with the lattice's error.
  lat.alias(lat.bottom, classNames);
  return { lat, classNames };
}

/** F, C, L for n ≤ 3 (the papers' classes); the source numbers for n ≥ 4. */
function defaultClassNames(n: number): string[] {
  return n <= 3 ? ["F", "C", "L"].slice(0, n) : Array.from({ length: n }, (_, j) => String(j + 1));
}

/** Index into γ: an antichain, or lat.size for H_res. */
function indexOfKey(key: string, lat: Lattice, classNames: readonly string[]): number {
  if (key.trim() === H_RES || key.trim() === "Hres") return lat.size;
  try {
    return lat.indexOf(key, classNames);
  } catch (err) {
    if (!(err instanceof InfomorphError) || err.code !== "lattice/unknown-atom") throw err;
    throw new InfomorphError({
      code: "goal/unknown-atom",
      path: [key],
      message: `"${key}" is not an atom of ${lat.sources === 1 ? "a layer with the one source" : "a layer with the sources"} ${classNames.join(", ")}. Valid names: ${goalNames(lat, classNames).join(", ")} (or canonical names such as ${lat.names[lat.bottom]}).`,
    });
  }
}

/**
 * The names of a goal vector's entries: the aliases of lattice(n) in canonical order
 * built from the class names, then "H_res".
 *
 * @example goalVectorNames(2, ["F", "C"]) // ["(F)", "(C)", "(F)(C)", "(FC)", "H_res"]
 */
export function goalVectorNames(sources: number, classNames: readonly string[]): string[] {
  const lat = lattice(sources);
  return [...lat.antichains.map((a) => lat.alias(a.index, classNames)), H_RES];
}

/** The names listed in an error: all of goalVectorNames for n ≤ 3, the first 40 and H_res beyond. */
function goalNames(lat: Lattice, classNames: readonly string[]): string[] {
  const names = goalVectorNames(lat.sources, classNames);
  return names.length <= 41 ? names : [...names.slice(0, 40), "…", H_RES];
}

function checkWeight(value: unknown, key: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InfomorphError({
      code: "goal/bad-weight",
      path: [key],
      message: `the weight of "${key}" is ${describe(value)}; every weight must be a finite number.`,
    });
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  return value === undefined ? "undefined" : JSON.stringify(value);
}
