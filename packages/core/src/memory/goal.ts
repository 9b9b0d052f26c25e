/** The goal of a memory neuron as users write it: a named goal, atoms by name over the classes E (external pattern bit) and I (internal field), or a γ vector. */

import { InfomorphError } from "../errors.js";
import { type Goal, goal, goalFromVector } from "../goals/goal.js";
import { namedGoal } from "../goals/named.js";

/** Class names of a memory neuron's sources, for aliases: "(E)(I)" is the redundancy. */
export const MEMORY_CLASS_NAMES = ["E", "I"] as const;

/**
 * A memory goal from any of its written forms:
 * - a Goal over 2 sources (returned as is);
 * - a named goal over 2 sources, e.g. "redundancy";
 * - a record or JSON object of atom names to weights, canonical ("{1}{2}") or aliases over
 *   E and I ("(E)(I)", "(EI)", "(E)", "(I)"), and "H_res";
 * - a positional vector of 5 numbers (γ over {1}, {2}, {1}{2}, {12}, then γ_res), as text
 *   "0,0,1,0,0" or an array.
 * Throws "memory/bad-goal" naming the forms when none fits.
 *
 * @example memoryGoal('{"(E)(I)": 1, "(EI)": 0.1}').weight("{12}") // 0.1
 * @example memoryGoal("0,0,1,0,0").weight("(E)(I)") // 1
 */
export function memoryGoal(
  spec: Goal | string | Readonly<Record<string, number>> | readonly number[],
): Goal {
  const options = { sources: 2, classNames: MEMORY_CLASS_NAMES };
  if (Array.isArray(spec)) return goalFromVector(spec, options);
  if (typeof spec === "object" && spec !== null && "gamma" in spec && "sources" in spec) {
    return checkSources(spec as Goal);
  }
  if (typeof spec !== "string") return goal(spec as Record<string, number>, options);
  const text = spec.trim();
  if (text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw badGoal(text, "it is not valid JSON");
    }
    return goal(parsed as Record<string, number>, options);
  }
  if (/^[-+0-9.eE\s]+(,[-+0-9.eE\s]+)+$/.test(text)) {
    return goalFromVector(text.split(",").map(Number), options);
  }
  return checkSources(namedGoal(text));
}

function checkSources(g: Goal): Goal {
  if (g.sources !== 2) {
    throw new InfomorphError({
      code: "memory/bad-goal",
      path: ["goal"],
      message: `a memory neuron has 2 sources (external pattern bit, internal field), but the goal is over ${g.sources}. Name atoms of 2 sources, e.g. {"(E)(I)": 1}.`,
    });
  }
  return g;
}

function badGoal(text: string, why: string): InfomorphError {
  return new InfomorphError({
    code: "memory/bad-goal",
    path: ["goal"],
    message: `cannot read the goal ${text}: ${why}. Write a named goal (redundancy), atoms as JSON ({"(E)(I)": 1}) or 5 numbers (0,0,1,0,0).`,
  });
}
