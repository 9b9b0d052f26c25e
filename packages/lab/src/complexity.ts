/** Representational complexity of a run's hidden layer for its report: C of random groups of neurons and of the whole layer, measured with core's complexity functions on the hidden layer's samples, which a host that can load datasets and models provides (HiddenLayerSource). */

import {
  InfomorphError,
  type LayerComplexity,
  MAX_SOURCES,
  Rng,
  layerComplexity,
  representationalComplexity,
} from "@infomorph/core";
import type { RunContents } from "@infomorph/runs";

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
 * A run's hidden layer on its validation split, as the host provides it: the report runs in
 * Node beside the CLI, which reads the datasets and rebuilds models (in the CLI:
 * training/hidden-layer.ts). The split is reloaded as training loaded it.
 */
export interface HiddenLayerSource {
  /** Validation samples there are. */
  readonly count: number;
  readonly classes: number;
  /**
   * The ±1 samples [sample × neuron] of the hidden layer at the run's checkpoint on validation
   * samples `indices` (all of them, in order, when null), with the label withheld exactly as
   * in evaluation, and those samples' labels. Called at most once.
   */
  sample(indices: Int32Array | null): Promise<{ samples: Int8Array; labels: Uint8Array }>;
}

/**
 * Opens a run's hidden layer; throws InfomorphError when its data cannot be loaded (the
 * report then says why complexity was not measured).
 */
export type OpenHiddenLayer = (run: RunContents) => Promise<HiddenLayerSource>;

/**
 * Representational complexity (Ehrlich et al., TMLR 2023) of the run's hidden layer at its
 * checkpoint, in neurons, about the label of the validation split, on the samples `open`
 * provides. At most MAX_COMPLEXITY_SAMPLES validation samples are used, drawn with the run's
 * seed; the same seeded stream then draws the groups.
 *
 * A run whose data cannot be loaded, or whose model has no infomorphic-network hidden
 * layer, is not an error: the result says why it was skipped.
 */
export async function reportComplexity(
  run: RunContents,
  open: OpenHiddenLayer,
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
  let hidden: HiddenLayerSource;
  try {
    hidden = await open(run);
  } catch (err) {
    if (!(err instanceof InfomorphError)) throw err;
    return { ...empty, skipped: `The validation data could not be loaded: ${err.message}` };
  }
  const rng = new Rng(seed);
  const indices =
    hidden.count > MAX_COMPLEXITY_SAMPLES
      ? rng.permutation(hidden.count).subarray(0, MAX_COMPLEXITY_SAMPLES)
      : null;
  const { samples, labels } = await hidden.sample(indices);
  const used = labels.length;
  const n = model.hidden.size;

  const classes = hidden.classes;
  const groups: ReportGroupComplexity[] = [];
  for (const { size, groups: count } of COMPLEXITY_GROUPS) {
    if (size >= n) continue;
    try {
      const c = layerComplexity(samples, labels, {
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
      const c = representationalComplexity(samples, labels, { classes, neurons });
      layer = { complexity: c.complexity, information: c.information };
    } catch (err) {
      if (!(err instanceof InfomorphError && err.code === "complexity/no-information")) throw err;
    }
  }
  return {
    skipped: null,
    neurons: n,
    samples: used,
    validation: hidden.count,
    seed,
    groups,
    layer,
  };
}
