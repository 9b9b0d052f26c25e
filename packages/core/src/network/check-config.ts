/** The check of a complete model config (a user's, a file's) before anything is built: every field, with the path of the first wrong one (`hidden.context`) and the fix, so a typo is never reported as a goal error or a failure deep inside. */

import { InfomorphError } from "../errors.js";
import { activationFromConfig } from "../neuron/activation.js";
import { resolveBinning } from "../neuron/binning.js";
import {
  type ArgumentPath,
  argumentError,
  checkFiniteNumber,
  checkInteger,
  checkObject,
  checkOneOf,
  describeValue,
  pathText,
} from "../validate/arguments.js";
import type { BackpropConfig } from "./backprop.js";
import {
  type HiddenLayerConfig,
  type InfomorphicNetworkConfig,
  OUTPUT_SOURCE_NAMES,
  type OutputLayerConfig,
  checkEvaluation,
  checkStack,
  hiddenSourceNames,
} from "./config.js";
import { layerGoal } from "./layer-goals.js";

/** The most classes a model takes: labels are bytes (Uint8Array). */
export const MAX_CLASSES = 256;

/**
 * Check a model config (a preset's, a run's config.json `model`, or one written by hand) and
 * return it typed. Errors are InfomorphErrors whose path starts at the config, e.g.
 * `["hidden", "context"]`: `hidden.context must be "none", "label" or "feedback" (got "labels")`.
 *
 * @example checkModelConfig(presetConfig("trivariate", { inputs: 784, classes: 10 }))
 */
export function checkModelConfig(
  config: unknown,
  path: ArgumentPath = ["config"],
): InfomorphicNetworkConfig | BackpropConfig {
  const c = checkObject(
    config,
    path,
    'Pass a model config such as presetConfig("trivariate", { inputs, classes }).',
  );
  const kind = checkOneOf(c.kind, [...path, "kind"], ["infomorphic", "backprop"]);
  checkInteger(
    c.inputs,
    [...path, "inputs"],
    { min: 1 },
    "inputs is the number of features per sample, e.g. 784 for MNIST.",
  );
  checkInteger(
    c.classes,
    [...path, "classes"],
    { min: 2, max: MAX_CLASSES },
    "classes is the number of classes, e.g. 10 for MNIST (labels are bytes, so at most 256).",
  );
  if (kind === "backprop") {
    if (c.variant !== undefined)
      checkOneOf(c.variant, [...path, "variant"], ["ordinary", "reference"]);
    checkInteger(
      c.hidden,
      [...path, "hidden"],
      { min: 0 },
      "hidden is the number of hidden units (0: softmax regression).",
    );
    checkOptimizer(c.optimizer, [...path, "optimizer"]);
    return c as unknown as BackpropConfig;
  }
  if (c.hidden !== null) checkHidden(c.hidden, [...path, "hidden"]);
  if (c.stacked !== undefined) {
    if (!Array.isArray(c.stacked)) {
      throw argumentError(
        "argument/wrong-type",
        [...path, "stacked"],
        `must be an array of hidden layer configs (got ${describeValue(c.stacked)})`,
        "Leave it out for one hidden layer.",
      );
    }
    c.stacked.forEach((layer, l) => checkHidden(layer, [...path, "stacked", l]));
    under(path, () =>
      checkStack(c.hidden as HiddenLayerConfig | null, c.stacked as HiddenLayerConfig[]),
    );
  }
  if (c.evaluation !== undefined) {
    checkObject(
      c.evaluation,
      [...path, "evaluation"],
      "evaluation is { samples?, hidden?, averageWeights? }.",
    );
    under(path, () => checkEvaluation(c.evaluation as InfomorphicNetworkConfig["evaluation"]));
  }
  checkOutput(c.output, [...path, "output"]);
  return c as unknown as InfomorphicNetworkConfig;
}

function checkHidden(value: unknown, path: ArgumentPath): void {
  const h = checkObject(
    value,
    path,
    "Give the hidden layer's config, or null for none (read-out only).",
  );
  const size = checkInteger(
    h.size,
    [...path, "size"],
    { min: 1 },
    "size is the number of hidden neurons, e.g. 100.",
  );
  const kind = checkOneOf(h.kind, [...path, "kind"], ["infomorphic", "random-projection"]);
  checkOneOf(h.context, [...path, "context"], ["none", "label", "feedback"]);
  checkLateral(h.lateral, [...path, "lateral"], size);
  checkInteger(
    h.passes,
    [...path, "passes"],
    { min: 1, max: 1000 },
    "passes is the number of forward passes per batch, e.g. 2 with lateral inputs.",
  );
  const sources = hiddenSourceNames(h as unknown as HiddenLayerConfig);
  if (kind === "infomorphic") {
    checkActivation(h.activation, [...path, "activation"], sources);
    checkGoal(h.goal, [...path, "goal"], sources);
  }
  checkBinning(h.binning, [...path, "binning"]);
  checkOptimizer(h.optimizer, [...path, "optimizer"]);
}

function checkOutput(value: unknown, path: ArgumentPath): void {
  const o = checkObject(
    value,
    path,
    "Give the output layer's config (activation, binning, goal, optimizer).",
  ) as Partial<OutputLayerConfig>;
  checkActivation(o.activation, [...path, "activation"], OUTPUT_SOURCE_NAMES);
  checkBinning(o.binning, [...path, "binning"]);
  checkGoal(o.goal, [...path, "goal"], OUTPUT_SOURCE_NAMES);
  checkOptimizer(o.optimizer, [...path, "optimizer"]);
}

function checkLateral(value: unknown, path: ArgumentPath, size: number): void {
  if (value === null) return;
  const l = checkObject(
    value,
    path,
    'lateral is null, {"kind": "no-self"} or {"kind": "sparse", "inputs": k}.',
  );
  const kind = checkOneOf(l.kind, [...path, "kind"], ["no-self", "sparse"]);
  if (kind === "sparse") {
    if (size < 2) {
      throw argumentError(
        "argument/out-of-range",
        path,
        `cannot be sparse with ${size} neuron`,
        "Use lateral: null for a single neuron.",
      );
    }
    checkInteger(
      l.inputs,
      [...path, "inputs"],
      { min: 1, max: size - 1 },
      `inputs is the number of other neurons each neuron hears (at most ${size - 1}).`,
    );
  }
}

function checkOptimizer(value: unknown, path: ArgumentPath): void {
  const o = checkObject(
    value,
    path,
    "optimizer is {lr, weightDecay}, e.g. {lr: 1e-3, weightDecay: 0}.",
  );
  const lr = checkFiniteNumber(o.lr, [...path, "lr"], "Try lr: 1e-3.");
  if (lr <= 0)
    throw argumentError(
      "argument/out-of-range",
      [...path, "lr"],
      `must be positive (got ${lr})`,
      "Try lr: 1e-3.",
    );
  const wd = checkFiniteNumber(o.weightDecay, [...path, "weightDecay"], "Try weightDecay: 0.");
  if (wd < 0) {
    throw argumentError(
      "argument/out-of-range",
      [...path, "weightDecay"],
      `must be ≥ 0 (got ${wd})`,
      "Try weightDecay: 0.",
    );
  }
}

/** The parts' own validators, with their errors moved under this config path. */
function under<T>(path: ArgumentPath, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof InfomorphError)) throw err;
    throw new InfomorphError({
      code: err.code,
      path: [...path, ...err.path],
      message: `${pathText(path)}: ${err.message}`,
    });
  }
}

function checkActivation(value: unknown, path: ArgumentPath, sources: readonly string[]): void {
  checkObject(
    value,
    path,
    'activation is {kind, …parameters}, e.g. {"kind": "modulatory", "k1": 0.9, "k2": 2}.',
  );
  const activation = under(path, () => activationFromConfig(value as { kind: string }));
  if (activation.sources !== sources.length) {
    throw argumentError(
      "config/activation-sources",
      path,
      `takes ${activation.sources} sources but the layer has ${sources.length} (${sources.join(", ")})`,
      sources.length === 3
        ? 'Use {"kind": "multi-source", "alpha": [0.1, 0.1], "beta": [2, 2]} for F, C, L.'
        : 'Use {"kind": "modulatory", "k1": 0.9, "k2": 2} for two sources.',
    );
  }
}

function checkBinning(value: unknown, path: ArgumentPath): void {
  checkObject(
    value,
    path,
    'binning is {"kind": "adaptive", "bins": 20} or {"kind": "fixed", "bins": 20, "min": -20, "max": 20}.',
  );
  under(path, () => resolveBinning(value as never));
}

function checkGoal(value: unknown, path: ArgumentPath, sources: readonly string[]): void {
  if (typeof value !== "string" && (value === null || typeof value !== "object")) {
    throw argumentError(
      "config/bad-goal",
      path,
      `must be a goal string or an object of atom weights (got ${describeValue(value)})`,
      'Write e.g. "(F)(C)=1" or a named goal such as "trivariate-opt1".',
    );
  }
  under(path.slice(0, -1), () => layerGoal(value as never, sources, "goal"));
}
