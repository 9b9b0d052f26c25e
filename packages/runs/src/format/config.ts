/** config.json of a run folder: what it holds, and the check that a folder's config.json can be read and resumed. */

import { InfomorphError, type ModelConfig } from "@infomorph/core";

/** config.json of a run folder: everything needed to understand and resume it. */
export interface RunConfig {
  /** Format version of this file. */
  format: 1;
  created: string;
  preset: string;
  /** The preset's hidden size, or the model's own when `model` was given. */
  hidden: number;
  /** The complete model config the run was built from. */
  model: ModelConfig;
  training: { epochs: number; batchSize: number; seed: number; trainSamples: number | null };
  data: {
    dataset: string;
    dataDir: string | null;
    source: string;
    dim: number;
    classes: number;
    counts: { train: number; validation: number; test: number };
    standardization: { mean: number; std: number };
  };
  /** The kernels the run was started with ("wasm" or "ts"). */
  kernels: string;
  versions: { infomorph: string; node: string; platform: string };
}

/** Check what config.json must hold to resume a run; `where` names the file. */
export function validateRunConfig(data: unknown, where: string): RunConfig {
  const fail = (what: string): never => {
    throw new InfomorphError({
      code: "run/bad-config",
      path: [where],
      message: `${where}: ${what}. It was not written by 'infomorph train' or was edited; start a new run.`,
    });
  };
  if (data === null || typeof data !== "object") fail("not a JSON object");
  const c = data as Partial<RunConfig>;
  if (c.format !== 1) fail(`format is ${JSON.stringify(c.format)}, expected 1`);
  const kind = (c.model as { kind?: unknown } | undefined)?.kind;
  if (kind !== "infomorphic" && kind !== "backprop") fail("model is missing or has no kind");
  const t = c.training;
  if (!t || !isInteger(t.epochs, 1) || !isInteger(t.batchSize, 1) || !isInteger(t.seed, 0))
    fail("training must hold positive integers epochs, batchSize and a seed");
  if (!c.data || typeof c.data.dataset !== "string") fail("data.dataset is missing");
  if (typeof c.preset !== "string") fail("preset is missing");
  return c as RunConfig;
}

function isInteger(value: unknown, least: number): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= least;
}
