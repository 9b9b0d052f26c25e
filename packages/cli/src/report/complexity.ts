/** Representational complexity of a run's hidden layer for its report: rebuild the model at the checkpoint, sample the hidden layer on the validation split as evaluation does, and measure C with core's complexity functions. */

import {
  InfomorphError,
  InfomorphicNetwork,
  type LayerComplexity,
  MAX_SOURCES,
  Rng,
  layerComplexity,
  representationalComplexity,
} from "@infomorph/core";
import type { Dataset } from "../data/dataset.js";
import { loadDataset } from "../data/registry.js";
import { subset } from "../data/splits.js";
import { buildModelOn } from "../runs/session.js";
import type { RunContents } from "./read-run.js";

/** Validation samples used at most; more cost forward time and change C little. */
export const MAX_COMPLEXITY_SAMPLES = 4096;

/** Random groups drawn per group size k (exact PID per group; k = 4 has 166 atoms). */
export const COMPLEXITY_GROUPS: readonly { size: number; groups: number }[] = [
  { size: 2, groups: 50 },
  { size: 3, groups: 30 },
  { size: 4, groups: 10 },
];

/** C over random groups of one size: mean ± sample std in neurons. */
export interface ReportGroupComplexity {
  size: number;
  /** Groups drawn. */
  groups: number;
  /** Groups that carried no information about the label (C undefined, left out). */
  uninformative: number;
  /** null when every group was uninformative. */
  mean: number | null;
  std: number | null;
  method: LayerComplexity["method"];
}

export interface ReportComplexity {
  /** Why nothing was measured (null when it was). */
  skipped: string | null;
  /** Hidden neurons n. */
  neurons: number;
  /** Validation samples used, and how many there are. */
  samples: number;
  validation: number;
  /** Seed of the validation subsample and the group draws (the run's seed). */
  seed: number;
  /** Per group size k < n (k ≤ 4). */
  groups: ReportGroupComplexity[];
  /** C of all n neurons by one exact PID, when n ≤ 5 and the layer carries information. */
  layer: { complexity: number; information: number } | null;
}

/**
 * Representational complexity (Ehrlich et al., TMLR 2023) of the run's hidden layer at its
 * checkpoint, in neurons, about the label of the validation split. The model is rebuilt
 * from config.json and restored from the checkpoint; the data are reloaded with the run's
 * dataset, dataDir and seed and must match config.json. The hidden layer runs with the
 * label withheld, exactly as in evaluation (InfomorphicNetwork.hiddenSamples). At most
 * MAX_COMPLEXITY_SAMPLES validation samples are used, drawn with the run's seed.
 *
 * A run whose data cannot be loaded, or whose model has no infomorphic-network hidden
 * layer, is not an error: the result says why it was skipped.
 */
export async function reportComplexity(
  run: RunContents,
  env: NodeJS.ProcessEnv,
): Promise<ReportComplexity> {
  const { config } = run;
  const seed = config.training.seed;
  const empty = {
    neurons: config.hidden,
    samples: 0,
    validation: 0,
    seed,
    groups: [],
    layer: null,
  };
  const model = config.model;
  if (model.kind !== "infomorphic" || model.hidden === null) {
    return {
      ...empty,
      skipped:
        model.kind === "infomorphic"
          ? "This model has no hidden layer (read-out only), so there is no layer to measure."
          : "Measured for infomorphic networks only; this run is a backprop baseline.",
    };
  }
  let validation: Dataset;
  try {
    validation = await runValidation(run, env);
  } catch (err) {
    if (!(err instanceof InfomorphError)) throw err;
    return { ...empty, skipped: `The validation data could not be loaded: ${err.message}` };
  }
  const { model: network, kernels } = await buildModelOn(
    config.kernels === "ts" ? "ts" : "auto",
    model,
    config.training.batchSize,
    seed,
  );
  const rng = new Rng(seed);
  const used =
    validation.count > MAX_COMPLEXITY_SAMPLES
      ? subset(
          validation,
          rng.permutation(validation.count).subarray(0, MAX_COMPLEXITY_SAMPLES),
          validation.name,
        )
      : validation;
  const n = model.hidden.size;
  const samples = new Int8Array(used.count * n);
  try {
    if (!(network instanceof InfomorphicNetwork)) throw new Error("unreachable: not a network");
    network.restore(run.state);
    network.hiddenSamples(used.features, used.count, samples);
  } finally {
    kernels.close(); // its worker threads are not needed after this
  }

  const classes = validation.classes;
  const groups: ReportGroupComplexity[] = [];
  for (const { size, groups: count } of COMPLEXITY_GROUPS) {
    if (size >= n) continue;
    try {
      const c = layerComplexity(samples, used.labels, {
        classes,
        groupSize: size,
        groups: count,
        rng,
      });
      groups.push({
        size,
        groups: c.groups,
        uninformative: c.uninformative,
        mean: c.mean,
        std: c.std,
        method: c.method,
      });
    } catch (err) {
      if (!(err instanceof InfomorphError && err.code === "complexity/no-information")) throw err;
      groups.push({
        size,
        groups: count,
        uninformative: count,
        mean: null,
        std: null,
        method: "subsampled groups of k neurons",
      });
    }
  }
  let layer: ReportComplexity["layer"] = null;
  if (n <= MAX_SOURCES) {
    try {
      const neurons = Array.from({ length: n }, (_, i) => i);
      const c = representationalComplexity(samples, used.labels, { classes, neurons });
      layer = { complexity: c.complexity, information: c.information };
    } catch (err) {
      if (!(err instanceof InfomorphError && err.code === "complexity/no-information")) throw err;
    }
  }
  return {
    skipped: null,
    neurons: n,
    samples: used.count,
    validation: validation.count,
    seed,
    groups,
    layer,
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
