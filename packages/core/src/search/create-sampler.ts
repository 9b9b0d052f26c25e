/** A sampler from a plain, JSON-storable config — what a study file or a job payload holds — with every key checked. */

import { InfomorphError } from "../errors.js";
import { type CmaEsOptions, CmaEsSampler } from "./cmaes.js";
import { HaltonSampler } from "./halton.js";
import { RandomSampler } from "./random.js";
import type { Sampler, SamplerOptions } from "./sampler.js";
import type { SearchSpace } from "./space.js";
import { type TpeOptions, TpeSampler } from "./tpe.js";

/** A sampler by kind with its options (TPE's gamma and weights functions are code, not config). */
export type SamplerConfig =
  | ({ readonly kind: "random" } & SamplerOptions)
  | ({ readonly kind: "halton" } & SamplerOptions)
  | ({ readonly kind: "tpe" } & Omit<TpeOptions, "gamma" | "weights">)
  | ({ readonly kind: "cmaes" } & CmaEsOptions);

const COMMON = ["kind", "seed", "direction"];
const KEYS: Record<SamplerConfig["kind"], readonly string[]> = {
  random: COMMON,
  halton: COMMON,
  tpe: [
    ...COMMON,
    "nStartupTrials",
    "nEiCandidates",
    "multivariate",
    "priorWeight",
    "considerMagicClip",
    "considerEndpoints",
    "constantLiar",
    "startup",
  ],
  cmaes: [...COMMON, "sigma0", "mean0", "populationSize", "restarts"],
};

/** The sampler kinds: random, halton, tpe, cmaes. */
export const SAMPLER_KINDS = Object.freeze(Object.keys(KEYS)) as readonly SamplerConfig["kind"][];

/**
 * The sampler a config describes, over `space`. Unknown kinds and keys are errors that list
 * the valid ones (a typo in a study file must not silently fall back to a default).
 *
 * @example createSampler(goalSearchSpace({ sources: 3 }), { kind: "tpe", seed: 1, multivariate: true, nStartupTrials: 100, nEiCandidates: 100 })
 */
export function createSampler(space: SearchSpace, config: SamplerConfig): Sampler {
  const kind = (config as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !Object.hasOwn(KEYS, kind)) {
    throw new InfomorphError({
      code: "search/unknown-sampler",
      path: ["kind"],
      message: `unknown sampler ${JSON.stringify(kind)}; choose one of ${SAMPLER_KINDS.join(", ")}.`,
    });
  }
  const allowed = KEYS[kind as SamplerConfig["kind"]];
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) {
      throw new InfomorphError({
        code: "search/unknown-option",
        path: [key],
        message: `the ${kind} sampler has no option "${key}"; its options: ${allowed.slice(1).join(", ")}.`,
      });
    }
  }
  switch (config.kind) {
    case "random":
      return new RandomSampler(space, config);
    case "halton":
      return new HaltonSampler(space, config);
    case "tpe":
      return new TpeSampler(space, config);
    case "cmaes":
      return new CmaEsSampler(space, config);
  }
}
