/** Set the goals of a model config's layers from what a user wrote (a weights string, a named goal, an object), each parsed against its layer's sources. */

import { InfomorphError } from "../errors.js";
import { goalToJSON } from "../goals/goal.js";
import { type GoalSpec, parseGoal } from "../goals/spec.js";
import type { GoalConfig } from "./network.js";
import { OUTPUT_SOURCE_NAMES, hiddenSourceNames } from "./network.js";
import type { ModelConfig } from "./presets.js";

/** The goal of each layer to set; a layer left out keeps its goal. */
export interface LayerGoals {
  /** The hidden layer's goal, over its sources (F, C, L for the trivariate presets); every hidden layer's, for a stack. */
  readonly hidden?: GoalSpec;
  /** The output layer's goal, over F (hidden samples) and C (label). */
  readonly output?: GoalSpec;
}

/**
 * A copy of `config` with the given layers' goals replaced. Each goal is parsed against its
 * layer's sources, so a typo fails here with the layer's valid atom names. A named goal is
 * stored by name; any other goal as its complete weights by canonical atom name (the
 * config.json form), so the config says exactly which goal was used. Errors: a backprop
 * model (no goals), a hidden goal for a model without a hidden layer or with a frozen
 * random projection (its goal would be ignored).
 *
 * @example withLayerGoals(presetConfig("trivariate", { inputs: 784, classes: 10 }), { hidden: "(F)(C)=1" })
 */
export function withLayerGoals(config: ModelConfig, goals: LayerGoals): ModelConfig {
  if (goals.hidden === undefined && goals.output === undefined) return config;
  if (config.kind === "backprop") {
    throw new InfomorphError({
      code: "goal/no-goal-layer",
      path: [goals.hidden === undefined ? "outputGoal" : "goal"],
      message:
        "a backprop model minimises cross-entropy and has no goals; pick an infomorphic preset such as trivariate.",
    });
  }
  let { hidden, output } = config;
  if (goals.hidden !== undefined) {
    if (hidden === null || hidden.kind === "random-projection") {
      throw new InfomorphError({
        code: "goal/no-goal-layer",
        path: ["goal"],
        message:
          hidden === null
            ? "this model has no hidden layer, so there is no hidden goal to set; set the output layer's goal instead, or pick a preset with a hidden layer such as trivariate."
            : "the hidden layer is a frozen random projection that does not learn, so its goal would be ignored; set the output layer's goal instead, or pick a learning preset such as trivariate.",
      });
    }
    hidden = { ...hidden, goal: storedGoal(goals.hidden, hiddenSourceNames(hidden), "goal") };
  }
  // Stacked hidden layers (same sources as the first) take the hidden goal too.
  const stacked =
    goals.hidden === undefined
      ? config.stacked
      : config.stacked?.map((layer) => ({
          ...layer,
          goal: storedGoal(goals.hidden!, hiddenSourceNames(layer), "goal"),
        }));
  if (goals.output !== undefined) {
    output = { ...output, goal: storedGoal(goals.output, OUTPUT_SOURCE_NAMES, "outputGoal") };
  }
  return { ...config, hidden, ...(stacked ? { stacked } : {}), output };
}

function storedGoal(spec: GoalSpec, classNames: readonly string[], key: string): GoalConfig {
  try {
    const parsed = parseGoal(spec, { sources: classNames.length, classNames });
    return typeof spec === "string" && !spec.includes("=") ? spec.trim() : goalToJSON(parsed);
  } catch (err) {
    if (!(err instanceof InfomorphError)) throw err;
    throw new InfomorphError({ code: err.code, path: [key, ...err.path], message: err.message });
  }
}
