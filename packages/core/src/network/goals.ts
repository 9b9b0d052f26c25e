/** Set the goals of a model config's layers from what a user wrote (a weights string, a named goal, an object), each parsed against its layer's sources. */

import type { GoalSpec } from "../goals/spec.js";
import { OUTPUT_SOURCE_NAMES, hiddenSourceNames } from "./config.js";
import { layerGoal, noGoalLayer } from "./layer-goals.js";
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
    throw noGoalLayer("backprop", goals.hidden === undefined ? "outputGoal" : "goal");
  }
  let { hidden, output } = config;
  if (goals.hidden !== undefined) {
    if (hidden === null) throw noGoalLayer("no-hidden", "goal");
    if (hidden.kind === "random-projection") throw noGoalLayer("random-projection", "goal");
    hidden = { ...hidden, goal: layerGoal(goals.hidden, hiddenSourceNames(hidden), "goal").stored };
  }
  // Stacked hidden layers (same sources as the first) take the hidden goal too.
  const stacked =
    goals.hidden === undefined
      ? config.stacked
      : config.stacked?.map((layer) => ({
          ...layer,
          goal: layerGoal(goals.hidden as GoalSpec, hiddenSourceNames(layer), "goal").stored,
        }));
  if (goals.output !== undefined) {
    output = { ...output, goal: layerGoal(goals.output, OUTPUT_SOURCE_NAMES, "outputGoal").stored };
  }
  return { ...config, hidden, ...(stacked ? { stacked } : {}), output };
}
