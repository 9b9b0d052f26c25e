/** The model config of a reproduction row that varies its preset (another goal, other binning, other passes). */

import {
  type HiddenLayerConfig,
  InfomorphError,
  type ModelConfig,
  presetConfig,
} from "@infomorph/core";
import type { ReproModel } from "./experiments.js";

/**
 * The preset's model config with the row's goal and overrides applied to every hidden layer
 * (stacked ones too) and the output layer; null when the row is the preset unchanged (then
 * `infomorph train --preset` alone reproduces it).
 *
 * @example reproModelConfig({ preset: "bivariate-context", goal: "bivariate-context-opt1", … }, 100, 784, 10)
 */
export function reproModelConfig(
  m: ReproModel,
  hidden: number,
  inputs: number,
  classes: number,
): ModelConfig | null {
  if (!m.goal && !m.overrides) return null;
  const base = presetConfig(m.preset, { hidden, inputs, classes });
  if (base.kind !== "infomorphic" || base.hidden === null) {
    throw new InfomorphError({
      code: "repro/bad-variant",
      path: ["models", m.key ?? m.preset],
      message: `row ${m.key ?? m.preset} changes the goal or layers of preset ${m.preset}, which has no infomorphic hidden layer. Remove goal and overrides from the row.`,
    });
  }
  const layer = (h: HiddenLayerConfig): HiddenLayerConfig => ({
    ...h,
    ...(m.goal ? { goal: m.goal } : {}),
    ...m.overrides?.hidden,
  });
  return {
    ...base,
    hidden: layer(base.hidden),
    ...(base.stacked ? { stacked: base.stacked.map(layer) } : {}),
    output: { ...base.output, ...m.overrides?.output },
    ...(m.overrides?.evaluation ? { evaluation: m.overrides.evaluation } : {}),
  };
}
