/** A run's hidden layer on its validation split, for the report's representational complexity: reload the run's data as training loaded it, rebuild the model at the checkpoint, sample the hidden layer as evaluation does. */

import { InfomorphError, InfomorphicNetwork, subset } from "@infomorph/core";
import type { HiddenLayerSource, OpenHiddenLayer } from "@infomorph/lab";
import type { RunContents } from "@infomorph/runs";
import type { Dataset } from "../data/dataset.js";
import { loadDataset } from "../data/registry.js";
import { buildModelOn } from "./session.js";

/**
 * The host side of the report's complexity (lab's OpenHiddenLayer): datasets are looked up
 * in `env` (INFOMORPH_DATA, the cache). Loading throws InfomorphError when the data are gone
 * or differ from config.json; the model is built only when the samples are asked for, and its
 * kernels' worker threads are closed right after.
 */
export function openHiddenLayer(env: NodeJS.ProcessEnv): OpenHiddenLayer {
  return async (run: RunContents): Promise<HiddenLayerSource> => {
    const validation = await runValidation(run, env);
    return {
      count: validation.count,
      classes: validation.classes,
      async sample(indices) {
        const { config } = run;
        const model = config.model;
        if (model.kind !== "infomorphic" || model.hidden === null) {
          throw new Error("unreachable: the report measures infomorphic hidden layers only");
        }
        const used = indices ? subset(validation, indices, validation.name) : validation;
        const { model: network, kernels } = await buildModelOn(
          config.kernels === "ts" ? "ts" : "auto",
          model,
          config.training.batchSize,
          config.training.seed,
        );
        const samples = new Int8Array(used.count * model.hidden.size);
        try {
          if (!(network instanceof InfomorphicNetwork))
            throw new Error("unreachable: not a network");
          network.restore(run.state);
          network.hiddenSamples(used.features, used.count, samples);
        } finally {
          kernels.close(); // its worker threads are not needed after this
        }
        return { samples, labels: used.labels };
      },
    };
  };
}

/** The run's validation split, reloaded as training loaded it; throws when it differs from config.json. */
async function runValidation(run: RunContents, env: NodeJS.ProcessEnv): Promise<Dataset> {
  const { data, training } = run.config;
  const splits = await loadDataset({
    dataset: data.dataset,
    dataDir: data.dataDir ?? undefined,
    seed: training.seed,
    env,
  });
  const same =
    splits.validation.count === data.counts.validation &&
    splits.validation.dim === data.dim &&
    splits.standardization.mean === data.standardization.mean &&
    splits.standardization.std === data.standardization.std;
  if (!same) {
    throw new InfomorphError({
      code: "report/data-changed",
      path: [run.dir],
      message: `the data of ${data.dataset} differ from when the run trained (${data.counts.validation} validation samples then, ${splits.validation.count} now, or a different standardisation).`,
    });
  }
  return splits.validation;
}
