/**
 * TEMPORARY SHIM, not to be released: changes an InfomorphicLayer's goal between batches until
 * core's setGoal(layer, goal) reaches main (the engineer "library" has it on their branch). Then
 * delete this file and, in train-worker.ts, call this.model.setGoal("hidden", text), read the γ
 * back as this.hidden.gamma and the config as this.model.config (tested on a trial merge). It swaps the layer's PID estimator for one built with the new γ: the
 * kernels key their γ copy by estimator, so every thread picks up the new goal at the next batch.
 */

import { type InfomorphicLayer, PidEstimator } from "@infomorph/core";

interface LayerInternals {
  estimator: PidEstimator;
}

export function setLayerGoalShim(layer: InfomorphicLayer, gamma: Float64Array): void {
  const internals = layer as unknown as LayerInternals;
  const old = internals.estimator;
  internals.estimator = new PidEstimator({
    sources: old.sources,
    bins: old.bins,
    batch: old.batch,
    gamma,
  });
}

/** The γ the layer's estimator ascends now. */
export function layerGammaShim(layer: InfomorphicLayer): Float64Array {
  return (layer as unknown as LayerInternals).estimator.config.gamma;
}
