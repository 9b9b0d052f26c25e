/** The search space of a study: named float parameters searched in [low, high] or held fixed, the map between a sampler's unit cube and parameter values, and the space of goals over a layer's atoms. */

import { InfomorphError } from "../errors.js";
import {
  type Goal,
  type GoalOptions,
  H_RES,
  goal,
  goalIndex,
  goalVectorNames,
} from "../goals/goal.js";

/** One parameter: searched uniformly in [low, high] (low < high), or held at a fixed value. */
export type ParamSpec =
  | { readonly low: number; readonly high: number }
  | { readonly fixed: number };

/** A validated search space (build it with {@link searchSpace} or {@link goalSearchSpace}). */
export interface SearchSpace {
  /** Every parameter in order, free and fixed. */
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** The free parameters in order: the dimensions the samplers search, each mapped to [0, 1]. */
  readonly free: readonly string[];
  /** low and high of each free parameter, in the order of `free`. */
  readonly low: Float64Array;
  readonly high: Float64Array;
}

/**
 * Check a parameter table and fill in its derived fields. Each entry is {low, high} with
 * finite low < high, or {fixed} with a finite value; at least one must be free.
 *
 * @example searchSpace({ x: { low: -5, high: 10 }, y: { fixed: 0 } }).free // ["x"]
 */
export function searchSpace(params: Readonly<Record<string, ParamSpec>>): SearchSpace {
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw spaceError(
      [],
      "a search space is an object of parameter names to {low, high} or {fixed}.",
    );
  }
  const free: string[] = [];
  const low: number[] = [];
  const high: number[] = [];
  const copy: Record<string, ParamSpec> = {};
  for (const [name, spec] of Object.entries(params)) {
    const p = spec as Partial<{ low: unknown; high: unknown; fixed: unknown }>;
    if (p !== null && typeof p === "object" && "fixed" in p && !("low" in p || "high" in p)) {
      if (!isFiniteNumber(p.fixed)) {
        throw spaceError(
          [name],
          `${name}: the fixed value must be a finite number (got ${String(p.fixed)}).`,
        );
      }
      copy[name] = { fixed: p.fixed };
      continue;
    }
    if (
      p === null ||
      typeof p !== "object" ||
      !isFiniteNumber(p.low) ||
      !isFiniteNumber(p.high) ||
      p.low >= p.high
    ) {
      throw spaceError(
        [name],
        `${name}: a parameter is {low, high} with finite low < high, or {fixed: value} (got ${JSON.stringify(spec)}).`,
      );
    }
    copy[name] = { low: p.low, high: p.high };
    free.push(name);
    low.push(p.low);
    high.push(p.high);
  }
  if (free.length === 0) {
    throw spaceError([], "the search space has no free parameter; give at least one {low, high}.");
  }
  return {
    params: Object.freeze(copy),
    free: Object.freeze(free),
    low: Float64Array.from(low),
    high: Float64Array.from(high),
  };
}

/**
 * The parameters at a point u of the unit cube (one coordinate per free parameter, in [0, 1]):
 * low + u·(high − low) for free parameters, the value of fixed ones, in the space's order.
 * u = 0 and u = 1 give low and high exactly.
 */
export function paramsFromUnit(space: SearchSpace, u: ArrayLike<number>): Record<string, number> {
  const params: Record<string, number> = {};
  let j = 0;
  for (const [name, spec] of Object.entries(space.params)) {
    if ("fixed" in spec) {
      params[name] = spec.fixed;
      continue;
    }
    const t = Math.min(1, Math.max(0, u[j++]));
    params[name] = t === 1 ? spec.high : spec.low + t * (spec.high - spec.low);
  }
  return params;
}

/** Options of {@link goalSearchSpace}: the layer's sources, and which atoms are free in which range. */
export interface GoalSpaceOptions extends GoalOptions {
  /** The range of every free weight; default [−1, 1] (the papers' TPE searches). */
  readonly range?: readonly [number, number];
  /** Ranges of single atoms, by name or alias, overriding `range`. */
  readonly ranges?: Readonly<Record<string, readonly [number, number]>>;
  /** Atoms (or H_res) held at a value, by name or alias; default { H_res: 0 }. */
  readonly fixed?: Readonly<Record<string, number>>;
  /** The atoms searched, by name or alias; default every atom that is not fixed. Atoms in neither list are fixed at 0. */
  readonly free?: readonly string[];
}

/**
 * The space of goals of a layer: one parameter per atom, named by its alias over the layer's
 * sources ("(F)(C)"), in canonical order, then H_res. The papers' trivariate search is the
 * default for 3 sources: the 18 atoms free in [−1, 1], H_res fixed at 0.
 *
 * @example goalSearchSpace({ sources: 3 }).free.length // 18
 * @example goalSearchSpace({ sources: 2, free: ["(F)(C)", "(FC)"], range: [0, 1] }).free // ["(F)(C)", "(FC)"]
 */
export function goalSearchSpace(options: GoalSpaceOptions): SearchSpace {
  const classNames = goal({}, options).classNames;
  const names = goalVectorNames(options.sources, classNames);
  const indexOf = (name: string) => goalIndex(name, options);
  const fixed = new Map<number, number>();
  for (const [name, value] of Object.entries(options.fixed ?? { [H_RES]: 0 })) {
    fixed.set(indexOf(name), value);
  }
  const free = new Set(
    options.free === undefined
      ? names.map((_, i) => i).filter((i) => !fixed.has(i))
      : options.free.map(indexOf),
  );
  for (const i of free) {
    if (fixed.has(i)) {
      throw spaceError([names[i]], `${names[i]} is both free and fixed; list it in one of them.`);
    }
  }
  const ranges = new Map<number, readonly [number, number]>();
  for (const [name, range] of Object.entries(options.ranges ?? {}))
    ranges.set(indexOf(name), range);
  const range = options.range ?? [-1, 1];
  const params: Record<string, ParamSpec> = {};
  names.forEach((name, i) => {
    const [low, high] = ranges.get(i) ?? range;
    params[name] = free.has(i) ? { low, high } : { fixed: fixed.get(i) ?? 0 };
  });
  return searchSpace(params);
}

/**
 * The goal a trial's parameters describe, for a space built by {@link goalSearchSpace}: the
 * parameters are weights by alias (and H_res), read with {@link goal}.
 */
export function goalFromParams(params: Readonly<Record<string, number>>, layer: GoalOptions): Goal {
  return goal(params, layer);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function spaceError(path: string[], message: string): InfomorphError {
  return new InfomorphError({ code: "search/bad-space", path, message });
}
