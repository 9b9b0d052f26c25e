/** The learning rules a capacity scan compares, by name: each turns a pattern set into a Hopfield network that the one recall function then tests. */

import { InfomorphError } from "../errors.js";
import type { Kernels } from "../kernels/kernels.js";
import type { Rng } from "../random/rng.js";
import { interleaveAtoms } from "./atoms.js";
import { hebbian } from "./hebbian.js";
import { type InfomorphicMemoryConfig, trainInfomorphicMemory } from "./infomorphic.js";
import { type KrauthMezardOptions, krauthMezard } from "./krauth-mezard.js";
import { type MpfOptions, mpf } from "./mpf.js";
import type { HopfieldNetwork } from "./network.js";
import { pseudoInverse } from "./pseudo-inverse.js";

/** Every rule, infomorphic first. */
export const MEMORY_RULES = [
  "infomorphic",
  "hebbian",
  "pseudo-inverse",
  "krauth-mezard",
  "mpf",
] as const;

export type MemoryRule = (typeof MEMORY_RULES)[number];

/** The settings of the rules that have any. */
export interface RuleSettings {
  infomorphic: InfomorphicMemoryConfig;
  krauthMezard: Required<KrauthMezardOptions>;
  mpf: Required<MpfOptions>;
}

/** What storing a pattern set produced. */
export interface StoredNetwork {
  network: HopfieldNetwork;
  /** Training epochs (infomorphic, MPF); null for one-shot rules. */
  epochs: number | null;
  /** Infomorphic only: the goal's atoms per neuron at the end, [neuron × 5]. */
  goalAtoms: Float64Array | null;
  /** Infomorphic only: the mean goal over neurons at the last epoch. */
  goal: number | null;
}

/** Throws "memory/unknown-rule" unless `name` is one of MEMORY_RULES. */
export function checkRule(name: string, path: (string | number)[] = ["rule"]): MemoryRule {
  if (!(MEMORY_RULES as readonly string[]).includes(name)) {
    throw new InfomorphError({
      code: "memory/unknown-rule",
      path,
      message: `unknown learning rule "${name}". Rules: ${MEMORY_RULES.join(", ")}.`,
    });
  }
  return name as MemoryRule;
}

/**
 * Store `count` patterns with `rule`. `isStored` is the storage test the infomorphic rule
 * uses to stop training early (at its checkpoint epochs); `rng` draws its initial weights.
 * The other rules are deterministic functions of the patterns.
 */
export function storePatterns(
  rule: MemoryRule,
  patterns: Float32Array,
  count: number,
  neurons: number,
  settings: RuleSettings,
  kernels: Pick<Kernels, "matmulABt" | "matmulAtB" | "runPid">,
  rng: Rng,
  isStored: (network: HopfieldNetwork) => boolean,
): StoredNetwork {
  switch (rule) {
    case "infomorphic": {
      const run = trainInfomorphicMemory(
        patterns,
        count,
        neurons,
        settings.infomorphic,
        kernels,
        rng,
        isStored,
      );
      const atoms = run.layer.atoms();
      return {
        network: run.layer.network(),
        epochs: run.epochs,
        goalAtoms: interleaveAtoms(atoms.atoms, atoms.hRes, neurons),
        goal: run.goal,
      };
    }
    case "hebbian":
      return oneShot(hebbian(patterns, count, neurons, kernels));
    case "pseudo-inverse":
      return oneShot(pseudoInverse(patterns, count, neurons));
    case "krauth-mezard":
      return oneShot(krauthMezard(patterns, count, neurons, settings.krauthMezard));
    case "mpf":
      return {
        ...oneShot(mpf(patterns, count, neurons, kernels, settings.mpf)),
        epochs: settings.mpf.epochs,
      };
  }
}

function oneShot(network: HopfieldNetwork): StoredNetwork {
  return { network, epochs: null, goalAtoms: null, goal: null };
}
