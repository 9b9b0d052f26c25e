/** The papers' architectures (ICLR 2025, docs/SCIENCE.md §6–§7) as named presets that build complete, JSON-serialisable model configs. */

import { InfomorphError } from "../errors.js";
import { checkInteger, checkObject } from "../validate/arguments.js";
import type { BackpropConfig } from "./backprop.js";
import { MAX_CLASSES } from "./check-config.js";
import type { HiddenLayerConfig, InfomorphicNetworkConfig, OutputLayerConfig } from "./network.js";

export type ModelConfig = InfomorphicNetworkConfig | BackpropConfig;

export interface PresetOptions {
  /** Hidden neurons N (default 100). */
  readonly hidden?: number;
  readonly inputs: number;
  readonly classes: number;
}

/** Output layer of every infomorphic preset: F = hidden samples, C = label (fixed one-to-one), k1 = 1 so the label never affects firing. */
const OUTPUT: OutputLayerConfig = {
  activation: { kind: "modulatory", k1: 1, k2: 2 },
  binning: { kind: "adaptive", bins: 20 },
  goal: "output-layer",
  optimizer: { lr: 3e-3, weightDecay: 1.5e-4 },
};

const HIDDEN_OPTIMIZER = { lr: 2e-3, weightDecay: 3.5e-4 };

/** Trivariate hidden layer: F, C = label, L; the ICLR three-source activation; raw values binned over [−20, 20] as in the published code. */
function trivariate(
  size: number,
  goal: string,
  lateral: HiddenLayerConfig["lateral"],
  context: "label" | "feedback" = "label",
): HiddenLayerConfig {
  return {
    size,
    kind: "infomorphic",
    context,
    lateral,
    passes: 2,
    activation: { kind: "multi-source", alpha: [0.1, 0.1], beta: [2, 2] },
    binning: { kind: "fixed", bins: 20, min: -20, max: 20 },
    goal,
    optimizer: HIDDEN_OPTIMIZER,
  };
}

/** Bivariate hidden layer (F with C = label, or F with L): two-source modulatory activation k1 = 0.9, k2 = 2; adaptive binning. */
function bivariate(size: number, goal: string, with_: "label" | "lateral"): HiddenLayerConfig {
  return {
    size,
    kind: "infomorphic",
    context: with_ === "label" ? "label" : "none",
    lateral: with_ === "lateral" ? { kind: "no-self" } : null,
    passes: with_ === "lateral" ? 2 : 1,
    activation: { kind: "modulatory", k1: 0.9, k2: 2 },
    binning: { kind: "adaptive", bins: 20 },
    goal,
    optimizer: HIDDEN_OPTIMIZER,
  };
}

/**
 * The "hierarchical" goal of the authors' newer multi-layer code (goals file hierarchical.yaml,
 * the same for every hidden layer): G = 0.3·Π(F)(C)(L) + Π(F)(C) + 0.1·Π(F) + 0.1·Π(C).
 */
export const HIERARCHICAL_GOAL: Readonly<Record<string, number>> = {
  "(F)(C)(L)": 0.3,
  "(F)(C)": 1,
  "(F)": 0.1,
  "(C)": 0.1,
};

/**
 * The reference's goal opt_1_100_CIFAR (goals file of that name: TPE-optimised on CIFAR-10,
 * N = 100, three sources F, C = label, L; values rounded to 4 decimals).
 */
export const CIFAR_GOAL: Readonly<Record<string, number>> = {
  "(F)(C)(L)": 0.9838,
  "(F)(C)": 0.6048,
  "(F)(L)": -0.2133,
  "(C)(L)": 0.2427,
  "(F)(CL)": 0.3396,
  "(C)(FL)": -0.579,
  "(L)(FC)": 0.05,
  "(F)": 0.0336,
  "(C)": 0.5974,
  "(L)": -0.0782,
  "(FC)(FL)(CL)": 0.4762,
  "(FC)(FL)": -0.8475,
  "(FC)(CL)": -0.3992,
  "(FL)(CL)": 0.5563,
  "(FC)": 0.2715,
  "(FL)": -0.4623,
  "(CL)": -0.0628,
  "(FCL)": -0.2629,
  H_res: 0,
};

/** Passes of the authors' multi-layer network: every pass runs both hidden layers. */
const STACK_PASSES = 8;

function sparseInputs(size: number): HiddenLayerConfig["lateral"] {
  return size > 101 ? { kind: "sparse", inputs: 100 } : { kind: "no-self" };
}

interface Preset {
  readonly summary: string;
  readonly build: (o: Required<PresetOptions>) => ModelConfig;
}

function infomorphic(
  o: Required<PresetOptions>,
  hidden: HiddenLayerConfig | null,
): InfomorphicNetworkConfig {
  return { kind: "infomorphic", inputs: o.inputs, classes: o.classes, hidden, output: OUTPUT };
}

export const PRESETS = {
  trivariate: {
    summary: "F, C = label, dense lateral L; optimised goal tpe_1 (ICLR: 95.2 % at N = 100)",
    build: (o) => infomorphic(o, trivariate(o.hidden, "trivariate-opt1", { kind: "no-self" })),
  },
  "trivariate-heuristic": {
    summary: "F, C = label, dense L; heuristic goal Π(F)(C) = 1 (ICLR: 93.4 %)",
    build: (o) => infomorphic(o, trivariate(o.hidden, "trivariate-heuristic", { kind: "no-self" })),
  },
  "trivariate-sparse": {
    summary:
      "F, C = label, 100 random lateral inputs per neuron; tpe_1 goal (ICLR: 97.5 % at N = 2000)",
    build: (o) => infomorphic(o, trivariate(o.hidden, "trivariate-opt1", sparseInputs(o.hidden))),
  },
  "trivariate-feedback": {
    summary:
      "F, C = feedback from the output layer's samples, sparse L; the label reaches only the output layer",
    build: (o) =>
      infomorphic(o, trivariate(o.hidden, "trivariate-opt1", sparseInputs(o.hidden), "feedback")),
  },
  "trivariate-cifar": {
    summary:
      "F, C = label, dense lateral L; the reference's goal optimised on CIFAR-10 (opt_1_100_CIFAR); for --dataset cifar-10 (no number measured)",
    build: (o) =>
      infomorphic(o, {
        ...trivariate(o.hidden, "trivariate-opt1", { kind: "no-self" }),
        goal: CIFAR_GOAL,
      }),
  },
  "trivariate-two-layers": {
    summary:
      "two hidden layers of N/2 (N = --hidden, the total width), each F = the layer below, C = label, 100 sparse L; 8 passes; the authors' hierarchical goal",
    build: (o) => {
      if (o.hidden < 2) {
        throw new InfomorphError({
          code: "preset/bad-hidden",
          path: ["hidden"],
          message: `trivariate-two-layers splits hidden into two layers, so it needs at least 2 neurons (got ${o.hidden}). Try 500.`,
        });
      }
      const lower = Math.ceil(o.hidden / 2);
      const layer = (size: number): HiddenLayerConfig => ({
        ...trivariate(size, "trivariate-opt1", sparseInputs(size)),
        goal: HIERARCHICAL_GOAL,
        passes: STACK_PASSES,
      });
      return { ...infomorphic(o, layer(lower)), stacked: [layer(o.hidden - lower)] };
    },
  },
  "bivariate-context": {
    summary: "F, C = label; optimised goal opt_2 (ICLR: 92.7 %)",
    build: (o) => infomorphic(o, bivariate(o.hidden, "bivariate-context-opt2", "label")),
  },
  "bivariate-context-heuristic": {
    summary: "F, C = label; heuristic goal Π(F)(C) = 1 (ICLR: 92.5 %)",
    build: (o) => infomorphic(o, bivariate(o.hidden, "bivariate-context-heuristic", "label")),
  },
  "bivariate-lateral": {
    summary: "F, L (unsupervised hidden layer); optimised goal opt_2 (ICLR: 89.0 %)",
    build: (o) => infomorphic(o, bivariate(o.hidden, "bivariate-lateral-opt2", "lateral")),
  },
  "bivariate-lateral-heuristic": {
    summary: "F, L; heuristic goal Π(F) = 1, encode what neighbours don't (ICLR: 83.8 %)",
    build: (o) => infomorphic(o, bivariate(o.hidden, "bivariate-lateral-heuristic", "lateral")),
  },
  "random-projection": {
    summary:
      "frozen random hidden weights, threshold units; only the infomorphic read-out learns (ICLR: 80.6 %)",
    build: (o) =>
      infomorphic(o, {
        ...bivariate(o.hidden, "bivariate-context-heuristic", "label"),
        kind: "random-projection",
        context: "none",
        activation: { kind: "heaviside" },
      }),
  },
  readout: {
    summary: "no hidden layer: the infomorphic output layer on the inputs (ICLR: 91.85 %)",
    build: (o) => infomorphic(o, null),
  },
  backprop: {
    summary:
      "same width, stochastic binary hidden units, cross-entropy, Adam lr 1e-3 (ICLR: 95.4 %)",
    build: (o) => ({
      kind: "backprop",
      inputs: o.inputs,
      classes: o.classes,
      hidden: o.hidden,
      optimizer: { lr: 1e-3, weightDecay: 0 },
    }),
  },
  "backprop-reference": {
    summary:
      "the ICLR code's backprop baseline: label and lateral inputs in the hidden layer, 2 passes, sigmoid outputs as logits, Adam lr 1e-3 (ICLR: 95.4 %)",
    build: (o) => ({
      kind: "backprop",
      variant: "reference",
      inputs: o.inputs,
      classes: o.classes,
      hidden: o.hidden,
      optimizer: { lr: 1e-3, weightDecay: 0 },
    }),
  },
} satisfies Record<string, Preset>;

/** The name of a preset: "trivariate", "bivariate-context", …, "backprop" (editors complete them). */
export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as readonly PresetName[];

/** Whether `name` is the name of a preset. */
export function isPresetName(name: unknown): name is PresetName {
  return typeof name === "string" && Object.hasOwn(PRESETS, name);
}

/**
 * The complete model config of a preset. `name` is typed as the preset names (any string is
 * accepted and checked, for names read from flags or files).
 */
export function presetConfig(
  name: PresetName | (string & Record<never, never>),
  options: PresetOptions,
): ModelConfig {
  if (!isPresetName(name)) {
    throw new InfomorphError({
      code: "preset/unknown",
      path: ["preset"],
      message: `unknown preset "${name}". Valid presets: ${PRESET_NAMES.join(", ")}.`,
    });
  }
  const preset: Preset = PRESETS[name];
  const o = checkObject(options, ["options"], "Pass { inputs, classes, hidden? }.");
  const inputs = checkInteger(
    o.inputs,
    ["inputs"],
    { min: 1 },
    "inputs is the number of features per sample, e.g. 784 for MNIST.",
  );
  const classes = checkInteger(
    o.classes,
    ["classes"],
    { min: 2, max: MAX_CLASSES },
    "classes is the number of classes, e.g. 10 for MNIST (labels are bytes: at most 256).",
  );
  const hidden = checkInteger(
    o.hidden ?? 100,
    ["hidden"],
    { min: 1 },
    "hidden is the number of hidden neurons N. Try 100.",
  );
  return preset.build({ inputs, classes, hidden });
}
