/** The goal of a memory neuron as users write it: a goal spec over its two sources (F: its own pattern bit, C: the recurrent field of the others), JSON text, or a γ vector. */

import { InfomorphError } from "../errors.js";
import { type Goal, goalFromVector } from "../goals/goal.js";
import { parseGoal } from "../goals/spec.js";

/**
 * Class names of a memory neuron's sources, the library's two-source defaults: F for its own
 * pattern bit (the external, driving input) and C for the field of the other neurons (the
 * internal, recurrent context). "(F)(C)" is the redundancy, as in the named goal "redundancy".
 */
export const MEMORY_CLASS_NAMES = ["F", "C"] as const;

const MEMORY_LAYER = { sources: 2, classNames: MEMORY_CLASS_NAMES };

/**
 * A memory goal from any of its written forms:
 * - a Goal over 2 sources (returned as is);
 * - anything goals/spec.ts parseGoal() reads for a 2-source layer with classes F and C: atom
 *   weights "(F)(C)=1, (FC)=0.1", a named goal ("redundancy"), an object of atom names
 *   (canonical "{1}{2}" or aliases) to weights;
 * - that object as JSON text ('{"(F)(C)": 1}');
 * - a positional vector of 5 numbers (γ over {1}, {2}, {1}{2}, {12}, then γ_res, the order of
 *   the paper's tables), as text "0,0,1,0,0" or an array.
 * Errors are parseGoal's, or "memory/bad-goal" for a Goal of another lattice or bad JSON.
 *
 * @example memoryGoal("(F)(C)=1, (FC)=0.1").weight("{12}") // 0.1
 * @example memoryGoal("0,0,1,0,0").weight("(F)(C)") // 1
 */
export function memoryGoal(
  spec: Goal | string | Readonly<Record<string, number>> | readonly number[],
): Goal {
  if (Array.isArray(spec)) return goalFromVector(spec, MEMORY_LAYER);
  if (typeof spec === "object" && spec !== null && "gamma" in spec && "weight" in spec) {
    const g = spec as Goal;
    if (g.sources !== 2) {
      throw new InfomorphError({
        code: "memory/bad-goal",
        path: ["goal"],
        message: `a memory neuron has 2 sources (external pattern bit, internal field), but the goal is over ${g.sources}. Name atoms of 2 sources, e.g. "(F)(C)=1".`,
      });
    }
    return g;
  }
  if (typeof spec !== "string") return parseGoal(spec, MEMORY_LAYER);
  const text = spec.trim();
  if (text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new InfomorphError({
        code: "memory/bad-goal",
        path: ["goal"],
        message: `cannot read the goal ${text}: it is not valid JSON. Write atom weights ("(F)(C)=1"), a named goal (redundancy), a JSON object ({"(F)(C)": 1}) or 5 numbers (0,0,1,0,0).`,
      });
    }
    return parseGoal(parsed, MEMORY_LAYER);
  }
  if (/^[-+0-9.eE\s]+(,[-+0-9.eE\s]+)+$/.test(text)) {
    return goalFromVector(text.split(",").map(Number), MEMORY_LAYER);
  }
  return parseGoal(text, MEMORY_LAYER);
}
