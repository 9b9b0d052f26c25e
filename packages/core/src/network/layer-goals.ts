/** A layer's goal from what a user wrote: the one parse behind withLayerGoals (configs) and setGoal (live models), and why a layer may have no goal to set. */

import { InfomorphError } from "../errors.js";
import { type Goal, goalToJSON } from "../goals/goal.js";
import { type GoalSpec, parseGoal } from "../goals/spec.js";
import type { GoalConfig } from "./config.js";

/** The layers of an infomorphic network whose goals setGoal sets: "hidden" (every hidden layer of a stack) and "output". */
export type GoalLayer = "hidden" | "output";

/**
 * A goal written by a user, parsed against a layer's sources: the Goal (its γ), and the form a
 * config stores — a named goal by name, any other as its complete weights by canonical atom
 * name (the config.json form), so a config says exactly which goal was used. Errors keep the
 * parser's code, under `key` in their path.
 *
 * @example layerGoal("(F)(C)=1", ["F", "C"], "goal").stored // {"{1}": 0, "{2}": 0, "{1}{2}": 1, "{12}": 0, "H_res": 0}
 */
export function layerGoal(
  spec: GoalSpec,
  classNames: readonly string[],
  key: string,
): { readonly goal: Goal; readonly stored: GoalConfig } {
  try {
    const parsed = parseGoal(spec, { sources: classNames.length, classNames });
    const stored =
      typeof spec === "string" && !spec.includes("=") ? spec.trim() : goalToJSON(parsed);
    return { goal: parsed, stored };
  } catch (err) {
    if (!(err instanceof InfomorphError)) throw err;
    throw new InfomorphError({ code: err.code, path: [key, ...err.path], message: err.message });
  }
}

/**
 * Why a layer has no goal to set: a backprop model, a network without a hidden layer, or a
 * frozen random projection (its goal would be ignored). `key` is the path of the goal.
 */
export function noGoalLayer(
  why: "backprop" | "no-hidden" | "random-projection",
  key: string,
): InfomorphError {
  const messages = {
    backprop:
      "a backprop model minimises cross-entropy and has no goals; pick an infomorphic preset such as trivariate.",
    "no-hidden":
      "this model has no hidden layer, so there is no hidden goal to set; set the output layer's goal instead, or pick a preset with a hidden layer such as trivariate.",
    "random-projection":
      "the hidden layer is a frozen random projection that does not learn, so its goal would be ignored; set the output layer's goal instead, or pick a learning preset such as trivariate.",
  };
  return new InfomorphError({ code: "goal/no-goal-layer", path: [key], message: messages[why] });
}
