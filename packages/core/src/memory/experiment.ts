/** A capacity experiment: which loads, rules, seeds and cue noises to run, split into independent tasks (one rule, load and seed each) that can run in any order, on any thread, and resume. */

import { InfomorphError } from "../errors.js";
import { goalToJSON } from "../goals/goal.js";
import type { Kernels } from "../kernels/kernels.js";
import { Rng } from "../random/rng.js";
import { recallAtoms } from "./atoms.js";
import { type InfomorphicMemoryInput, resolveInfomorphicMemory } from "./infomorphic.js";
import { resolveKrauthMezard } from "./krauth-mezard.js";
import { resolveMpf } from "./mpf.js";
import { checkFraction, checkNeurons, corruptCues, randomPatterns } from "./patterns.js";
import { type RecallScore, recall, scoreRecall } from "./recall.js";
import {
  MEMORY_RULES,
  type MemoryRule,
  type RuleSettings,
  checkRule,
  storePatterns,
} from "./rules.js";

/**
 * When a pattern set counts as stored at a load: "mean-cosine", the mean cosine similarity
 * of the recalled states over all patterns ≥ threshold (the reference's criterion, with
 * which its α_c = 1.59 was measured); "stored-fraction", at least that fraction of the
 * patterns individually recalled with cosine ≥ threshold (stricter).
 */
export type StorageCriterion = "mean-cosine" | "stored-fraction";

export const STORAGE_CRITERIA: readonly StorageCriterion[] = ["mean-cosine", "stored-fraction"];

/** A complete, validated experiment (resolveMemoryExperiment fills it). */
export interface MemoryExperimentConfig {
  neurons: number;
  /** Loads α = P/N in ascending order, one per pattern count P = round(α·N). */
  loads: number[];
  rules: MemoryRule[];
  seeds: number[];
  /** Fractions of flipped bits in the recall cues tested besides the clean patterns. */
  cueNoise: number[];
  /** Cosine similarity at which a pattern counts as recalled, and the criterion's level; default 0.95. */
  threshold: number;
  criterion: StorageCriterion;
  /** Recall step limit; default N. */
  maxSteps: number;
  /** Bins of the recall atoms' internal source; default 60. */
  atomBins: number;
  /** Skip the remaining loads of a rule and seed after this many consecutive failures; 0 (default) runs every load. */
  stopAfterFailures: number;
  rulesSettings: RuleSettings;
}

/** An experiment as written by a user: everything but neurons and loads may be left out. */
export interface MemoryExperimentInput {
  neurons: number;
  loads: readonly number[];
  rules?: readonly string[];
  seeds?: readonly number[];
  cueNoise?: readonly number[];
  threshold?: number;
  criterion?: string;
  maxSteps?: number;
  atomBins?: number;
  stopAfterFailures?: number;
  infomorphic?: InfomorphicMemoryInput;
  krauthMezard?: { margin?: number; maxSweeps?: number };
  mpf?: { lr?: number; epochs?: number };
}

/**
 * Fill defaults and validate. Defaults: every rule, seed 1, cue noise [0.05, 0.1, 0.2],
 * threshold 0.95, criterion "mean-cosine", maxSteps = neurons, atomBins 60, no early stop of
 * a scan, the paper's infomorphic layer (resolveInfomorphicMemory), Krauth–Mézard margin 1
 * with 100 sweeps, MPF with Adam lr 0.05 for 1000 epochs. Errors: "memory/bad-neurons"
 * (N < 2), "memory/bad-load" (α ≤ 0, or two loads with one pattern count), and one code per
 * other field.
 *
 * @example resolveMemoryExperiment({ neurons: 100, loads: [0.1, 0.2] }).rules // every rule
 */
export function resolveMemoryExperiment(input: MemoryExperimentInput): MemoryExperimentConfig {
  const neurons = input.neurons;
  checkNeurons(neurons);
  const loads = checkLoads(input.loads, neurons);
  const rules = (input.rules ?? MEMORY_RULES).map((r, k) => checkRule(r, ["rules", k]));
  if (rules.length === 0 || new Set(rules).size !== rules.length) {
    throw new InfomorphError({
      code: "memory/bad-rules",
      path: ["rules"],
      message: `name each rule once and at least one (got ${rules.join(", ") || "none"}). Rules: ${MEMORY_RULES.join(", ")}.`,
    });
  }
  const seeds = [...(input.seeds ?? [1])];
  if (
    seeds.length === 0 ||
    new Set(seeds).size !== seeds.length ||
    seeds.some((s) => !Number.isSafeInteger(s) || s < 0)
  ) {
    throw new InfomorphError({
      code: "memory/bad-seeds",
      path: ["seeds"],
      message: `seeds must be distinct integers ≥ 0, at least one (got ${seeds.join(", ") || "none"}); e.g. 1,2,3,4,5.`,
    });
  }
  const cueNoise = [...(input.cueNoise ?? [0.05, 0.1, 0.2])];
  cueNoise.forEach((f, k) => checkFraction(f, ["cueNoise", k]));
  const threshold = input.threshold ?? 0.95;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new InfomorphError({
      code: "memory/bad-threshold",
      path: ["threshold"],
      message: `threshold must be a number in (0, 1] (got ${threshold}); the paper uses 0.95.`,
    });
  }
  const criterion = input.criterion ?? "mean-cosine";
  if (!(STORAGE_CRITERIA as readonly string[]).includes(criterion)) {
    throw new InfomorphError({
      code: "memory/bad-criterion",
      path: ["criterion"],
      message: `unknown storage criterion "${criterion}". Criteria: ${STORAGE_CRITERIA.join(", ")}.`,
    });
  }
  const maxSteps = input.maxSteps ?? neurons;
  const atomBins = input.atomBins ?? 60;
  const stopAfterFailures = input.stopAfterFailures ?? 0;
  for (const [name, value, min, hint] of [
    ["maxSteps", maxSteps, 1, `${neurons}`],
    ["atomBins", atomBins, 2, "60"],
    ["stopAfterFailures", stopAfterFailures, 0, "0 (scan every load)"],
  ] as const) {
    if (!(Number.isInteger(value) && value >= min && (name !== "atomBins" || value <= 255))) {
      throw new InfomorphError({
        code: "memory/bad-param",
        path: [name],
        message: `${name} must be an integer ≥ ${min}${name === "atomBins" ? " and ≤ 255" : ""} (got ${value}); try ${hint}.`,
      });
    }
  }
  return {
    neurons,
    loads,
    rules,
    seeds,
    cueNoise,
    threshold,
    criterion: criterion as StorageCriterion,
    maxSteps,
    atomBins,
    stopAfterFailures,
    rulesSettings: {
      infomorphic: resolveInfomorphicMemory(input.infomorphic ?? {}),
      krauthMezard: resolveKrauthMezard(input.krauthMezard ?? {}),
      mpf: resolveMpf(input.mpf ?? {}),
    },
  };
}

/**
 * The config as plain JSON for a run folder: every field, with the goal as its record of atom
 * weights (goalToJSON). resolveMemoryExperiment() reads it back to an equal config.
 *
 * @example resolveMemoryExperiment(experimentToJSON(c)) // deep-equal to c
 */
export function experimentToJSON(config: MemoryExperimentConfig): MemoryExperimentInput & {
  infomorphic: { goal: Record<string, number> };
} {
  const { rulesSettings, ...rest } = config;
  return {
    ...rest,
    infomorphic: { ...rulesSettings.infomorphic, goal: goalToJSON(rulesSettings.infomorphic.goal) },
    krauthMezard: { ...rulesSettings.krauthMezard },
    mpf: { ...rulesSettings.mpf },
  };
}

/**
 * Loads from text: a comma-separated list of loads ("0.5") and ranges FROM:TO:STEP ("to"
 * included when it lies on the grid), e.g. "0.2:2.0:0.02" or "0.2:1.2:0.2,1.3:2.0:0.02".
 * Values are rounded to 1e-9 so that a grid holds 0.3, not 0.30000000000000004. Throws
 * "memory/bad-load" on anything else.
 *
 * @example parseLoads("0.2:0.3:0.02") // [0.2, 0.22, 0.24, 0.26, 0.28, 0.3]
 * @example parseLoads("0.1,0.5:0.7:0.1") // [0.1, 0.5, 0.6, 0.7]
 */
export function parseLoads(text: string): number[] {
  const bad = (why: string): InfomorphError =>
    new InfomorphError({
      code: "memory/bad-load",
      path: ["loads"],
      message: `${why} (got "${text}"). Write loads α = patterns / neurons as 0.5, a list 0.1,0.5,1 or ranges FROM:TO:STEP such as 0.2:2.0:0.02.`,
    });
  const number = (s: string): number => {
    const x = Number(s.trim());
    if (s.trim() === "" || !Number.isFinite(x)) throw bad(`"${s.trim()}" is not a number`);
    return x;
  };
  return text.split(",").flatMap((item) => {
    const parts = item.split(":");
    if (parts.length === 1) return [number(item)];
    if (parts.length !== 3) throw bad("a range has three parts");
    const [from, to, step] = parts.map(number);
    if (!(step > 0)) throw bad("the step must be > 0");
    if (!(to >= from)) throw bad("a range needs FROM ≤ TO");
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > 100_000) throw bad(`that range has ${count} loads; use a larger step`);
    return Array.from({ length: count }, (_, k) => round9(from + k * step));
  });
}

/** The number of patterns at load α: round(α·N). */
export function patternCount(load: number, neurons: number): number {
  return Math.round(load * neurons);
}

function checkLoads(loads: readonly number[], neurons: number): number[] {
  if (loads.length === 0) {
    throw new InfomorphError({
      code: "memory/bad-load",
      path: ["loads"],
      message: "give at least one load α = patterns / neurons, e.g. 0.2 or 0.2:2.0:0.02.",
    });
  }
  const sorted = [...loads].sort((a, b) => a - b);
  const byCount = new Map<number, number>();
  for (const load of sorted) {
    if (!(typeof load === "number" && load > 0 && Number.isFinite(load))) {
      throw new InfomorphError({
        code: "memory/bad-load",
        path: ["loads"],
        message: `a load α = patterns / neurons must be a number > 0 (got ${load}); e.g. 0.2.`,
      });
    }
    const count = patternCount(load, neurons);
    if (count < 1) {
      throw new InfomorphError({
        code: "memory/bad-load",
        path: ["loads"],
        message: `load ${load} gives round(${load} × ${neurons}) = 0 patterns; use α ≥ ${round9(0.5 / neurons)} at ${neurons} neurons.`,
      });
    }
    const other = byCount.get(count);
    if (other !== undefined) {
      throw new InfomorphError({
        code: "memory/bad-load",
        path: ["loads"],
        message: `loads ${other} and ${load} both give ${count} patterns at ${neurons} neurons; space loads by at least 1/${neurons} = ${round9(1 / neurons)}.`,
      });
    }
    byCount.set(count, load);
  }
  return sorted;
}

/** One unit of work: store and test one pattern set with one rule. */
export interface MemoryTask {
  rule: MemoryRule;
  seed: number;
  load: number;
  patterns: number;
}

/** Every task of an experiment, in the order a scan runs them: rule, then seed, then load ascending. */
export function memoryTasks(config: MemoryExperimentConfig): MemoryTask[] {
  return config.rules.flatMap((rule) =>
    config.seeds.flatMap((seed) =>
      config.loads.map((load) => ({
        rule,
        seed,
        load,
        patterns: patternCount(load, config.neurons),
      })),
    ),
  );
}

/** A task's identity in results files: "rule/seed/patterns". */
export function taskKey(task: Pick<MemoryTask, "rule" | "seed" | "patterns">): string {
  return `${task.rule}/${task.seed}/${task.patterns}`;
}

/** What one task measured. */
export interface MemoryTaskResult extends MemoryTask {
  neurons: number;
  /** Recall from each pattern itself. */
  recall: RecallScore;
  /** Whether recall meets the experiment's criterion. */
  stored: boolean;
  /** Recall from corrupted cues, one entry per cue-noise fraction. */
  cues: (RecallScore & { noise: number })[];
  /** Training epochs (infomorphic: where it stopped; MPF: its budget); null for one-shot rules. */
  epochs: number | null;
  /** Infomorphic: mean goal over neurons at the last epoch; else null. */
  goal: number | null;
  /** Wall-clock seconds of storing and testing. */
  seconds: number;
  /** Recall atoms per neuron, [neuron × 5] (atoms.ts). */
  atoms: Float64Array;
  /** Infomorphic: its goal's atoms per neuron, [neuron × 5]; else null. */
  goalAtoms: Float64Array | null;
}

/** Does a recall meet the criterion? */
export function meetsCriterion(
  score: RecallScore,
  criterion: StorageCriterion,
  threshold: number,
): boolean {
  const value = criterion === "mean-cosine" ? score.meanCosine : score.storedFraction;
  return value >= threshold - 1e-12;
}

/**
 * Run one task. The patterns depend only on (seed, neurons, patterns), so every rule sees
 * the same pattern sets at a given seed and load (paired comparisons), and a task gives the
 * same result whenever and wherever it runs. Cue corruption and the infomorphic initial
 * weights have their own streams of the same seed.
 */
export function runMemoryTask(
  config: MemoryExperimentConfig,
  task: MemoryTask,
  kernels: Pick<Kernels, "matmulABt" | "matmulAtB" | "runPid">,
): MemoryTaskResult {
  const N = config.neurons;
  const P = task.patterns;
  const started = performance.now();
  const patterns = randomPatterns(P, N, taskRng(task.seed, N, P, 0));
  const options = { maxSteps: config.maxSteps };
  const isStored = (network: Parameters<typeof recall>[0]): boolean =>
    meetsCriterion(
      scoreRecall(recall(network, patterns, patterns, P, kernels, options), config.threshold),
      config.criterion,
      config.threshold,
    );
  const stored = storePatterns(
    task.rule,
    patterns,
    P,
    N,
    config.rulesSettings,
    kernels,
    taskRng(task.seed, N, P, 1),
    isStored,
  );
  const own = scoreRecall(
    recall(stored.network, patterns, patterns, P, kernels, options),
    config.threshold,
  );
  const cues = config.cueNoise.map((noise) => {
    const cue = corruptCues(patterns, P, N, noise, taskRng(task.seed, N, P, noiseStream(noise)));
    const score = scoreRecall(
      recall(stored.network, cue, patterns, P, kernels, options),
      config.threshold,
    );
    return { noise, ...score };
  });
  const atoms = recallAtoms(stored.network, patterns, P, kernels, config.atomBins);
  return {
    ...task,
    neurons: N,
    recall: own,
    stored: meetsCriterion(own, config.criterion, config.threshold),
    cues,
    epochs: stored.epochs,
    goal: stored.goal,
    seconds: (performance.now() - started) / 1000,
    atoms,
    goalAtoms: stored.goalAtoms,
  };
}

/** The random stream `stream` of a task: 0 patterns, 1 initial weights, 2 + ⌊noise·10⁶⌉ cues. */
export function taskRng(seed: number, neurons: number, patterns: number, stream: number): Rng {
  const key = `${seed}/${neurons}/${patterns}/${stream}`;
  // two 32-bit FNV-1a hashes of the key make one 53-bit seed
  const high = fnv1a(key, 0x811c9dc5) & 0x1fffff;
  const low = fnv1a(key, 0x1b873593);
  return new Rng(high * 2 ** 32 + low);
}

function noiseStream(noise: number): number {
  return 2 + Math.round(noise * 1e6);
}

function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let k = 0; k < text.length; k++) {
    h ^= text.charCodeAt(k);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function round9(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
