/**
 * A study's config: what one trial trains (preset, dataset, width, epochs, training subset,
 * seeds), the goal space searched, the objective, the sampler and the number of trials. One
 * resolver fills the defaults and checks every key, for a config file, flags and a stored
 * study alike; the resolved config is what study.json (or the database) holds.
 */

import {
  type GoalOptions,
  InfomorphError,
  PRESET_NAMES,
  type ParamSpec,
  SAMPLER_KINDS,
  type SamplerConfig,
  type SearchSpace,
  createSampler,
  goalSearchSpace,
  hiddenSourceNames,
  isPresetName,
  presetConfig,
  searchSpace,
} from "@infomorph/core";

/** Which epoch's validation accuracy a seed contributes. */
export type ObjectiveEpoch = "last" | "best";

/** What one trial trains: each seed is one run of `epochs` epochs; the trial's value is the mean over seeds. */
export interface TrialSettings {
  readonly preset: string;
  /** embedded, mnist, fashion-mnist (or, in a study folder only, csv:PATH and idx:DIR). */
  readonly dataset: string;
  /** Where the dataset's files are (embedded studies only; workers of a database study use their own --data-dir). */
  readonly dataDir: string | null;
  readonly hidden: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Train on the first N training samples after the seeded split; null for all. */
  readonly trainSamples: number | null;
  readonly seeds: readonly number[];
}

/** The objective: validation accuracy (context withheld), at the last or the best epoch, averaged over seeds. */
export interface Objective {
  readonly metric: "validation-accuracy";
  readonly epoch: ObjectiveEpoch;
}

/** A resolved study: every default filled, every key checked. */
export interface StudyConfig {
  readonly format: 1;
  /** Letters, digits, ".", "_" and "-" (it names folders and database rows). */
  readonly name: string;
  readonly trial: TrialSettings;
  /** The hidden layer's source classes (e.g. F, C, L): the atoms' aliases are over these. */
  readonly sources: readonly string[];
  /** One parameter per atom of the hidden layer's goal (aliases, then H_res): free in [low, high] or fixed. */
  readonly space: Readonly<Record<string, ParamSpec>>;
  readonly objective: Objective;
  /** The sampler; its direction is always "maximize" (accuracy). */
  readonly sampler: SamplerConfig;
  /** Trials to ask in all (failed ones count, as in Optuna). */
  readonly trials: number;
  /** How often a trial whose worker failed or died is run again before it is marked failed. */
  readonly retries: number;
}

/** A study as a user writes it (config file or flags): everything but the name optional. */
export interface StudyInput {
  trial?: Partial<Omit<TrialSettings, "seeds">> & { seeds?: readonly number[] };
  space?: {
    /** Range of every free weight (default [−1, 1], the papers' searches). */
    range?: readonly [number, number];
    /** Ranges of single atoms by name or alias. */
    ranges?: Readonly<Record<string, readonly [number, number]>>;
    /** Atoms (or H_res) held at a value (default { H_res: 0 }). */
    fixed?: Readonly<Record<string, number>>;
    /** The atoms searched (default every atom not fixed). */
    free?: readonly string[];
  };
  objective?: { epoch?: ObjectiveEpoch };
  sampler?: Partial<SamplerConfig>;
  trials?: number;
  retries?: number;
}

/** Defaults of a trial: the papers' network, a short training (override for real studies). */
export const DEFAULT_TRIAL: TrialSettings = {
  preset: "trivariate",
  dataset: "embedded",
  dataDir: null,
  hidden: 100,
  epochs: 5,
  batchSize: 1024,
  trainSamples: null,
  seeds: [1],
};

/** Limits a trial must stay within: a study file or a job payload beyond them is refused. */
export const TRIAL_LIMITS = {
  hidden: 20_000,
  epochs: 10_000,
  batchSize: 1 << 20,
  trainSamples: 100_000_000,
  seeds: 100,
  seed: 2 ** 32 - 1,
  trials: 1_000_000,
  retries: 100,
} as const;

/** Datasets a database study may name: its workers find the files themselves (no paths travel). */
export const NAMED_DATASETS = ["embedded", "mnist", "fashion-mnist"] as const;

const STUDY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The resolved study `name` from a user's input. `where` prefixes every message (a file name
 * or "flags"). `namedDatasetsOnly` refuses csv:/idx: datasets (a database study, whose trials
 * may run on any machine).
 *
 * @example resolveStudyConfig("mnist-tpe", { trials: 200, sampler: { kind: "tpe", seed: 1 } }, "flags").space["(F)(C)"] // { low: -1, high: 1 }
 */
export function resolveStudyConfig(
  name: string,
  input: StudyInput,
  where: string,
  options: { namedDatasetsOnly?: boolean } = {},
): StudyConfig {
  checkStudyName(name);
  const unknown = (obj: object, keys: readonly string[], path: string) => {
    for (const key of Object.keys(obj)) {
      if (!keys.includes(key)) {
        throw studyError(
          [path, key].filter(Boolean),
          `${where}: unknown key "${path ? `${path}.` : ""}${key}". Valid keys${path ? ` of ${path}` : ""}: ${keys.join(", ")}.`,
        );
      }
    }
  };
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw studyError(
      [],
      `${where}: a study is a mapping with keys trial, space, objective, sampler, trials, retries.`,
    );
  }
  unknown(input, ["trial", "space", "objective", "sampler", "trials", "retries"], "");
  const trial = resolveTrial(input.trial ?? {}, where, options.namedDatasetsOnly ?? false);
  const sources = goalSources(trial.preset, where);
  const space = resolveSpace(input.space ?? {}, sources, where);
  const objective = input.objective ?? {};
  unknown(objective, ["epoch"], "objective");
  const epoch = objective.epoch ?? "last";
  if (epoch !== "last" && epoch !== "best") {
    throw studyError(
      ["objective", "epoch"],
      `${where}: objective.epoch must be "last" or "best" (got ${JSON.stringify(epoch)}).`,
    );
  }
  const sampler = resolveSampler(input.sampler ?? {}, space, where);
  return {
    format: 1,
    name,
    trial,
    sources,
    space: space.params,
    objective: { metric: "validation-accuracy", epoch },
    sampler,
    trials: integer(input.trials ?? 100, "trials", 1, TRIAL_LIMITS.trials, where),
    retries: integer(input.retries ?? 2, "retries", 0, TRIAL_LIMITS.retries, where),
  };
}

/** Check a stored config (study.json, a database row) by resolving it again; it must come back the same. */
export function checkStoredStudy(
  value: unknown,
  where: string,
  options: { namedDatasetsOnly?: boolean } = {},
): StudyConfig {
  const stored = value as Partial<StudyConfig> | null;
  if (
    stored === null ||
    typeof stored !== "object" ||
    stored.format !== 1 ||
    typeof stored.name !== "string"
  ) {
    throw studyError(
      [],
      `${where} is not a study config written by infomorph search (format 1 with a name). Start a new study.`,
    );
  }
  const space = stored.space ?? {};
  const input: StudyInput = {
    trial: stored.trial,
    space: {
      fixed: Object.fromEntries(
        Object.entries(space).flatMap(([k, s]) => ("fixed" in s ? [[k, s.fixed]] : [])),
      ),
      free: Object.entries(space).flatMap(([k, s]) => ("fixed" in s ? [] : [k])),
      ranges: Object.fromEntries(
        Object.entries(space).flatMap(([k, s]) =>
          "fixed" in s ? [] : [[k, [s.low, s.high] as const]],
        ),
      ),
    },
    objective: stored.objective ? { epoch: stored.objective.epoch } : undefined,
    sampler: stored.sampler,
    trials: stored.trials,
    retries: stored.retries,
  };
  const resolved = resolveStudyConfig(stored.name, input, where, options);
  if (canonicalJson(resolved) !== canonicalJson(stored)) {
    throw studyError(
      [],
      `${where} holds keys or values that infomorph search does not write (edited by hand?); restore it, or start a new study.`,
    );
  }
  return resolved;
}

/** The search space of a resolved study. */
export function studySpace(config: StudyConfig): SearchSpace {
  return searchSpace(config.space);
}

/** The goal options of a study's hidden layer: its source count and class names. */
export function studyGoalOptions(config: Pick<StudyConfig, "sources">): GoalOptions {
  return { sources: config.sources.length, classNames: config.sources };
}

/** Throw unless `name` can name a study (a folder, a database key). */
export function checkStudyName(name: string): void {
  if (typeof name !== "string" || !STUDY_NAME.test(name)) {
    throw studyError(
      ["name"],
      `study name ${JSON.stringify(name)} must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit. Try mnist-tpe.`,
    );
  }
}

/**
 * Check a trial's settings (from a study file, study.json or a job payload) and fill in the
 * defaults of missing keys; `where` prefixes every message.
 */
export function resolveTrial(
  input: NonNullable<StudyInput["trial"]>,
  where: string,
  namedDatasetsOnly: boolean,
): TrialSettings {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw studyError(
      ["trial"],
      `${where}: trial must be a mapping (preset, dataset, dataDir, hidden, epochs, batchSize, trainSamples, seeds).`,
    );
  }
  const keys = Object.keys(DEFAULT_TRIAL);
  for (const key of Object.keys(input)) {
    if (!keys.includes(key)) {
      throw studyError(
        ["trial", key],
        `${where}: unknown key "trial.${key}". Valid keys of trial: ${keys.join(", ")}.`,
      );
    }
  }
  const t = { ...DEFAULT_TRIAL, ...input };
  if (!isPresetName(t.preset)) {
    throw studyError(
      ["trial", "preset"],
      `${where}: trial.preset must be one of ${PRESET_NAMES.join(", ")} (got ${JSON.stringify(t.preset)}).`,
    );
  }
  const dataset = t.dataset;
  const named = (NAMED_DATASETS as readonly string[]).includes(dataset);
  const pathDataset = typeof dataset === "string" && /^(csv|idx):./.test(dataset);
  if (!named && (namedDatasetsOnly || !pathDataset)) {
    throw studyError(
      ["trial", "dataset"],
      `${where}: trial.dataset must be ${namedDatasetsOnly ? `one of ${NAMED_DATASETS.join(", ")} in a database study (each worker finds the files with its own --data-dir)` : `one of ${NAMED_DATASETS.join(", ")}, csv:PATH or idx:DIR`} (got ${JSON.stringify(dataset)}).`,
    );
  }
  if (t.dataDir !== null && (typeof t.dataDir !== "string" || t.dataDir.trim() === "")) {
    throw studyError(
      ["trial", "dataDir"],
      `${where}: trial.dataDir must be a folder path or null (got ${JSON.stringify(t.dataDir)}).`,
    );
  }
  if (namedDatasetsOnly && t.dataDir !== null) {
    throw studyError(
      ["trial", "dataDir"],
      `${where}: a database study holds no paths; give each worker its --data-dir instead of trial.dataDir.`,
    );
  }
  const seeds = t.seeds;
  if (!Array.isArray(seeds) || seeds.length === 0 || seeds.length > TRIAL_LIMITS.seeds) {
    throw studyError(
      ["trial", "seeds"],
      `${where}: trial.seeds must be a list of 1–${TRIAL_LIMITS.seeds} seeds (got ${JSON.stringify(seeds)}). Try [1].`,
    );
  }
  seeds.forEach((s, i) => {
    if (!Number.isSafeInteger(s) || s < 0 || s > TRIAL_LIMITS.seed) {
      throw studyError(
        ["trial", "seeds", i],
        `${where}: trial.seeds[${i}] must be an integer in [0, ${TRIAL_LIMITS.seed}] (got ${JSON.stringify(s)}).`,
      );
    }
  });
  if (new Set(seeds).size !== seeds.length) {
    throw studyError(
      ["trial", "seeds"],
      `${where}: trial.seeds repeats a seed (${seeds.join(", ")}); give each seed once.`,
    );
  }
  return {
    preset: t.preset,
    dataset,
    dataDir: t.dataDir,
    hidden: integer(t.hidden, "trial.hidden", 1, TRIAL_LIMITS.hidden, where),
    epochs: integer(t.epochs, "trial.epochs", 1, TRIAL_LIMITS.epochs, where),
    batchSize: integer(t.batchSize, "trial.batchSize", 1, TRIAL_LIMITS.batchSize, where),
    trainSamples:
      t.trainSamples === null
        ? null
        : integer(t.trainSamples, "trial.trainSamples", 1, TRIAL_LIMITS.trainSamples, where),
    seeds: [...seeds],
  };
}

/** The source classes of a preset's hidden layer (whose goal is searched); an error for presets without one. */
export function goalSources(preset: string, where: string): string[] {
  // The sources depend on the preset's wiring only, not on the data's size.
  const model = presetConfig(preset, { inputs: 1, classes: 2 });
  if (
    model.kind === "backprop" ||
    model.hidden === null ||
    model.hidden.kind === "random-projection"
  ) {
    throw studyError(
      ["trial", "preset"],
      `${where}: the preset ${preset} has no learning hidden layer whose goal could be searched; choose one of ${PRESET_NAMES.filter(
        (p) => {
          const m = presetConfig(p, { inputs: 1, classes: 2 });
          return m.kind === "infomorphic" && m.hidden !== null && m.hidden.kind === "infomorphic";
        },
      ).join(", ")}.`,
    );
  }
  return hiddenSourceNames(model.hidden);
}

function resolveSpace(
  input: NonNullable<StudyInput["space"]>,
  sources: string[],
  where: string,
): SearchSpace {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw studyError(["space"], `${where}: space must be a mapping (range, ranges, fixed, free).`);
  }
  for (const key of Object.keys(input)) {
    if (!["range", "ranges", "fixed", "free"].includes(key)) {
      throw studyError(
        ["space", key],
        `${where}: unknown key "space.${key}". Valid keys of space: range, ranges, fixed, free.`,
      );
    }
  }
  try {
    return goalSearchSpace({ sources: sources.length, classNames: sources, ...input });
  } catch (err) {
    if (!(err instanceof InfomorphError)) throw err;
    throw studyError(["space", ...err.path], `${where}: space: ${err.message}`);
  }
}

function resolveSampler(
  input: Partial<SamplerConfig>,
  space: SearchSpace,
  where: string,
): SamplerConfig {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw studyError(
      ["sampler"],
      `${where}: sampler must be a mapping with a kind (${SAMPLER_KINDS.join(", ")}) and its options.`,
    );
  }
  if ("direction" in input && input.direction !== "maximize") {
    throw studyError(
      ["sampler", "direction"],
      `${where}: a study maximises validation accuracy; leave sampler.direction out.`,
    );
  }
  const config = { kind: "tpe", seed: 1, ...input, direction: "maximize" } as SamplerConfig;
  try {
    createSampler(space, config); // checks the kind, every option and its value
  } catch (err) {
    if (!(err instanceof InfomorphError)) throw err;
    throw studyError(["sampler", ...err.path], `${where}: sampler: ${err.message}`);
  }
  return config;
}

function integer(value: unknown, key: string, min: number, max: number, where: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw studyError(
      key.split("."),
      `${where}: ${key} must be an integer in [${min}, ${max}] (got ${JSON.stringify(value)}).`,
    );
  }
  return value;
}

/** JSON with every object's keys sorted, so that two equal configs compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function studyError(path: (string | number)[], message: string): InfomorphError {
  return new InfomorphError({ code: "study/invalid", path, message });
}
