/** A goal as a user writes it — "(F)(C)=1, (F)=0.1", a named goal, or the object a JSON/YAML goal file holds — parsed against a layer's sources, and printed back in the same form. */

import { InfomorphError } from "../errors.js";
import { lattice } from "../pid/lattice.js";
import {
  type Goal,
  type GoalOptions,
  H_RES,
  goal,
  goalFromEntries,
  goalFromVector,
} from "./goal.js";
import { NAMED_GOALS, namedGoal } from "./named.js";

/**
 * What a goal may be given as:
 * - a string: atom weights `"(F)(C)=1, (F)=0.1, H_res=0.1"` (names or aliases, commas
 *   between terms, whitespace ignored), or the name of one of the papers' goals
 *   (`"trivariate-opt1"`, see NAMED_GOALS);
 * - an object of atom names to weights, as in a JSON or YAML file: `{"(F)(C)": 1}`;
 * - a positional vector with its source count: `{"sources": 2, "gamma": [0, 0, 1, 0, 0]}`
 *   (atoms in canonical order, then H_res, as in the papers' tables).
 */
export type GoalSpec =
  | string
  | Readonly<Record<string, number>>
  | { readonly sources: number; readonly gamma: readonly number[] };

/**
 * Parse a goal for a layer with the given sources (default class names F, C, L cut to n;
 * lateral layers pass ["F", "L"]). Unknown atoms, atoms of another source count, atoms
 * given twice, weights that are not finite numbers, named goals of another layer and
 * vectors of the wrong length are InfomorphErrors whose message lists the valid names
 * (or named goals) and says how to write it right.
 *
 * @example parseGoal("(F)(C)=1, (F)=-0.2", { sources: 2 }).gamma // [-0.2, 0, 1, 0, 0]
 * @example parseGoal("trivariate-opt1", { sources: 3 }).weight("(FC)(FL)") // -0.968
 */
export function parseGoal(spec: unknown, layer: GoalOptions): Goal {
  if (typeof spec === "string") return parseGoalString(spec, layer);
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) {
    throw new InfomorphError({
      code: "goal/not-a-goal",
      path: ["goal"],
      message: Array.isArray(spec)
        ? `a goal vector needs its source count: write {"sources": ${layer.sources}, "gamma": [${lattice(layer.sources).size + 1} numbers]} (atoms in canonical order, then H_res), or name the atoms: {"(F)(C)": 1}.`
        : `a goal must be a string such as "(F)(C)=1, (F)=0.1", a named goal, or an object of atom names to weights (got ${describe(spec)}).`,
    });
  }
  if (Object.hasOwn(spec, "gamma")) return parseGoalVector(spec as Record<string, unknown>, layer);
  return goal(spec as Record<string, number>, layer);
}

/**
 * The goal as a string that {@link parseGoal} reads back to the same γ: its non-zero
 * weights by alias (from the goal's class names) in canonical order, H_res last, with
 * numbers in JavaScript's shortest round-trip form. A goal with no non-zero weight is
 * written "H_res=0".
 *
 * @example formatGoal(goal({ "{1}{2}": 1, "{1}": 0.1 }, { sources: 2 })) // "(F)=0.1, (F)(C)=1"
 */
export function formatGoal(g: Goal): string {
  const lat = lattice(g.sources);
  const terms = g.entries().map(([name, weight]) => {
    const alias = name === H_RES ? H_RES : lat.alias(lat.indexOf(name), g.classNames);
    return `${alias}=${weight}`;
  });
  return terms.length > 0 ? terms.join(", ") : `${H_RES}=0`;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseGoalString(text: string, layer: GoalOptions): Goal {
  const trimmed = text.trim();
  if (trimmed === "") {
    throw new InfomorphError({
      code: "goal/empty",
      path: ["goal"],
      message: `the goal is empty. Write atom weights such as "${example(layer)}", or a named goal: ${namesFor(layer)}.`,
    });
  }
  if (!trimmed.includes("=")) return parseNamedGoal(trimmed, layer);
  const entries = trimmed.split(",").map((term): [string, unknown] => {
    const eq = term.indexOf("=");
    const name = (eq < 0 ? term : term.slice(0, eq)).trim();
    if (eq < 0 || name === "") {
      throw new InfomorphError({
        code: "goal/bad-term",
        path: [term.trim()],
        message:
          name === ""
            ? `"${term.trim()}" names no atom; write terms such as "${example(layer)}", separated by commas.`
            : `"${name}" has no weight; write it as "${name}=1" (terms such as "${example(layer)}", separated by commas).`,
      });
    }
    const raw = term.slice(eq + 1).trim();
    // A weight that is not a plain decimal number stays a string, so the error quotes it as typed.
    return [name, NUMBER.test(raw) ? Number(raw) : raw];
  });
  return goalFromEntries(entries, layer);
}

function parseNamedGoal(name: string, layer: GoalOptions): Goal {
  if (!(NAMED_GOALS as readonly string[]).includes(name)) {
    const looksLikeAtom = /^[({]/.test(name);
    throw new InfomorphError({
      code: "goal/unknown-name",
      path: ["goal"],
      message: looksLikeAtom
        ? `"${name}" has no weight; write it as "${name}=1" (terms such as "${example(layer)}", separated by commas).`
        : `unknown goal "${name}". Named goals for this layer: ${namesFor(layer)}; or write atom weights such as "${example(layer)}".`,
    });
  }
  const g = namedGoal(name);
  const wanted = layerClassNames(layer);
  if (g.sources !== wanted.length || g.classNames.join() !== wanted.join()) {
    throw new InfomorphError({
      code: "goal/wrong-layer",
      path: ["goal"],
      message: `the goal "${name}" is for a layer with the sources ${g.classNames.join(", ")}, but this layer has ${wanted.join(", ")}. Named goals for this layer: ${namesFor(layer)}; or write atom weights such as "${example(layer)}".`,
    });
  }
  return g;
}

function parseGoalVector(spec: Record<string, unknown>, layer: GoalOptions): Goal {
  const extra = Object.keys(spec).filter((key) => key !== "gamma" && key !== "sources");
  const size = lattice(layer.sources).size + 1;
  const form = `{"sources": ${layer.sources}, "gamma": [${size} numbers]}`;
  if (extra.length > 0 || !Array.isArray(spec.gamma)) {
    throw new InfomorphError({
      code: "goal/bad-vector",
      path: extra.length > 0 ? [extra[0]] : ["gamma"],
      message:
        extra.length > 0
          ? `a goal vector holds only "sources" and "gamma" (got "${extra[0]}"); write ${form}, or name the atoms: {"(F)(C)": 1}.`
          : `"gamma" must be a list of ${size} numbers; write ${form}.`,
    });
  }
  if (spec.sources !== layer.sources) {
    throw new InfomorphError({
      code: "goal/wrong-layer",
      path: ["sources"],
      message:
        spec.sources === undefined
          ? `a goal vector needs its source count: write ${form}.`
          : `the goal vector is for ${describe(spec.sources)} sources, but this layer has ${layer.sources} (${layerClassNames(layer).join(", ")}); write ${form}.`,
    });
  }
  return goalFromVector(spec.gamma as number[], layer);
}

/** The layer's class names: given, or the default F, C, L cut to n (numbers beyond 3). */
function layerClassNames(layer: GoalOptions): readonly string[] {
  return goalFromVector(new Float64Array(lattice(layer.sources).size + 1), layer).classNames;
}

/** The named goals that fit this layer, or a note that none does. */
function namesFor(layer: GoalOptions): string {
  const wanted = layerClassNames(layer).join();
  const fitting = NAMED_GOALS.filter((name) => namedGoal(name).classNames.join() === wanted);
  return fitting.length > 0 ? fitting.join(", ") : "(none for these sources)";
}

/** A short weights string for this layer: its redundancy atom and its first source alone. */
function example(layer: GoalOptions): string {
  const names = layerClassNames(layer);
  if (names.length === 1) return `(${names[0]})=1`;
  return `(${names[0]})(${names[1]})=1, (${names[0]})=0.1`;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}
