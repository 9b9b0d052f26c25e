/** The infomorphic network's config (JSON-serialisable, as written to a run's config.json), its validation, and the layer configs it resolves to. */

import { InfomorphError } from "../errors.js";
import type { Goal } from "../goals/goal.js";
import { parseGoal } from "../goals/spec.js";
import { activationFromConfig } from "../neuron/activation.js";
import { type Binning, type BinningInput, resolveBinning } from "../neuron/binning.js";
import type { LayerConfig, OptimizerConfig, SourceConfig } from "../neuron/layer.js";

/** An activation by kind and parameters, e.g. {kind: "modulatory", k1: 0.9, k2: 2}. */
export interface ActivationConfig {
  readonly kind: string;
  readonly [param: string]: unknown;
}

/**
 * A goal (see goals/spec.ts): a named goal of the papers ("trivariate-opt1"), weights as a
 * string ("(F)(C)=1, H_res=0.1") or by atom name ({"(F)(C)": 1, "H_res": 0.1}).
 */
export type GoalConfig = string | Readonly<Record<string, number>>;

export interface HiddenLayerConfig {
  readonly size: number;
  /** "infomorphic" ascends its goal; "random-projection" keeps its random weights and fires Y = 2·H(s_F) − 1 (heaviside threshold). */
  readonly kind: "infomorphic" | "random-projection";
  /** The context source C: none, the label (one-hot), or feedback (the output layer's samples). */
  readonly context: "none" | "label" | "feedback";
  /** The lateral source L: none, every other neuron, or k random others. */
  readonly lateral:
    | null
    | { readonly kind: "no-self" }
    | { readonly kind: "sparse"; readonly inputs: number };
  /** Forward passes per batch; L is the previous pass's samples (0 in the first); only the last enters the goal. */
  readonly passes: number;
  readonly activation: ActivationConfig;
  readonly binning: BinningInput;
  readonly goal: GoalConfig;
  readonly optimizer: OptimizerConfig;
}

export interface OutputLayerConfig {
  readonly activation: ActivationConfig;
  readonly binning: BinningInput;
  readonly goal: GoalConfig;
  readonly optimizer: OptimizerConfig;
}

export interface InfomorphicNetworkConfig {
  readonly kind: "infomorphic";
  readonly inputs: number;
  readonly classes: number;
  readonly hidden: HiddenLayerConfig | null;
  /**
   * Further hidden layers above `hidden` (default none), each with F = the samples of the
   * layer below; the output layer reads the last. Every pass runs all hidden layers in
   * order, so each must have the same `passes` as `hidden`; context "label" or "none".
   */
  readonly stacked?: readonly HiddenLayerConfig[];
  readonly output: OutputLayerConfig;
  /**
   * Evaluation (default: the papers' protocol). `samples`: forward passes per input (default
   * 1), each with fresh hidden samples; the class scores are the mean output θ over them.
   * `hidden: "mean"`: hidden neurons pass on their expected output 2θ − 1 instead of a ±1
   * sample (deterministic; default "sample"). `averageWeights`: evaluate with an exponential
   * moving average of every learned weight over training batches, this decay per batch
   * (e.g. 0.998; default none). None of them changes learning.
   */
  readonly evaluation?: {
    readonly samples?: number;
    readonly hidden?: "sample" | "mean";
    readonly averageWeights?: number;
  };
}

/** One parser for every goal a config holds: a named goal, a weights string, or an object (goals/spec.ts). */
function resolveGoal(g: GoalConfig, classNames: string[]): Goal {
  return parseGoal(g, { sources: classNames.length, classNames });
}

/**
 * The PID sources of a hidden layer in order: F, then C (label or feedback context), then L
 * (lateral). Its goal is written over these names, e.g. "(F)(C)" or, without context, "(F)(L)".
 */
export function hiddenSourceNames(h: Pick<HiddenLayerConfig, "context" | "lateral">): string[] {
  const names = ["F"];
  if (h.context === "label" || h.context === "feedback") names.push("C");
  if (h.lateral) names.push("L");
  return names;
}

/** The output layer's sources: F (the hidden layer's samples, or the inputs) and C (the label). */
export const OUTPUT_SOURCE_NAMES: readonly string[] = Object.freeze(["F", "C"]);

export function checkEvaluation(e: InfomorphicNetworkConfig["evaluation"]): void {
  const samples = e?.samples ?? 1;
  if (!Number.isInteger(samples) || samples < 1) {
    throw new InfomorphError({
      code: "network/bad-evaluation",
      path: ["evaluation", "samples"],
      message: `evaluation.samples must be a positive integer number of forward passes per input (got ${samples}). Use 1 for the papers' protocol.`,
    });
  }
  if (e?.hidden !== undefined && e.hidden !== "sample" && e.hidden !== "mean") {
    throw new InfomorphError({
      code: "network/bad-evaluation",
      path: ["evaluation", "hidden"],
      message: `evaluation.hidden must be "sample" or "mean" (got ${JSON.stringify(e.hidden)}).`,
    });
  }
  const decay = e?.averageWeights;
  if (decay !== undefined && !(decay > 0 && decay < 1)) {
    throw new InfomorphError({
      code: "network/bad-evaluation",
      path: ["evaluation", "averageWeights"],
      message: `evaluation.averageWeights must be a decay per batch between 0 and 1 (got ${decay}). Try 0.998, or leave it out.`,
    });
  }
}

/** Stacked layers need a first hidden layer, the same passes, label or no context, and learning. */
export function checkStack(
  h: HiddenLayerConfig | null,
  stacked: readonly HiddenLayerConfig[],
): void {
  if (stacked.length === 0) return;
  const problem = (index: number, what: string, fix: string) =>
    new InfomorphError({
      code: "network/bad-stack",
      path: index < 0 ? ["hidden"] : ["stacked", index],
      message: `${what}. ${fix}`,
    });
  if (!h)
    throw problem(
      -1,
      "stacked hidden layers need a first hidden layer (hidden is null)",
      "Configure model.hidden.",
    );
  if (h.context === "feedback")
    throw problem(
      -1,
      "feedback context is supported only in a single hidden layer",
      'Use context "label" or remove model.stacked.',
    );
  stacked.forEach((layer, l) => {
    if (layer.passes !== h.passes)
      throw problem(
        l,
        `stacked layer ${l} has ${layer.passes} passes but the first hidden layer ${h.passes}; every pass runs all hidden layers`,
        `Set passes to ${h.passes}.`,
      );
    if (layer.context === "feedback")
      throw problem(
        l,
        `stacked layer ${l} has feedback context, which is supported only in a single hidden layer`,
        'Use context "label" or "none".',
      );
    if (layer.kind !== "infomorphic")
      throw problem(
        l,
        `stacked layer ${l} is a ${layer.kind} layer; stacked layers must learn`,
        'Set kind to "infomorphic".',
      );
  });
}

/** The layer config of a hidden layer whose F input has `inputs` dimensions (the pixels, or the layer below). */
export function hiddenLayerConfig(
  h: HiddenLayerConfig,
  net: InfomorphicNetworkConfig,
  inputs: number,
): LayerConfig {
  const sources: SourceConfig[] = [{ name: "F", inputs }];
  if (h.context === "label" || h.context === "feedback") {
    sources.push({ name: "C", inputs: net.classes });
  }
  if (h.lateral) sources.push({ name: "L", inputs: h.size, connectivity: h.lateral });
  const classNames = hiddenSourceNames(h);
  const randomProjection = h.kind === "random-projection";
  const activation = randomProjection
    ? activationFromConfig({ kind: "heaviside" })
    : activationFromConfig(h.activation);
  return {
    size: h.size,
    sources: randomProjection ? sources.slice(0, 1) : sources,
    activation,
    binning: resolveBinning(h.binning),
    gamma: randomProjection ? new Float64Array(2) : resolveGoal(h.goal, classNames).gamma,
    optimizer: h.optimizer,
    frozen: randomProjection,
  };
}

export function outputLayerConfig(net: InfomorphicNetworkConfig): LayerConfig {
  const o = net.output;
  return {
    size: net.classes,
    sources: [
      { name: "F", inputs: net.stacked?.at(-1)?.size ?? net.hidden?.size ?? net.inputs },
      { name: "C", inputs: net.classes, connectivity: { kind: "one-to-one" } },
    ],
    activation: activationFromConfig(o.activation),
    binning: resolveBinning(o.binning) as Binning,
    gamma: resolveGoal(o.goal, [...OUTPUT_SOURCE_NAMES]).gamma,
    optimizer: o.optimizer,
  };
}
