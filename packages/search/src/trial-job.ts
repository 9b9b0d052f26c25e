/**
 * A trial as a worker receives it (a local worker process, or a job from the database queue),
 * what it sends back, and the objective that turns a trial's runs into one number. A job is
 * data, never code: validateTrialJob admits only a training of this project (known presets
 * and datasets, numbers in range, a goal over the preset's atoms, names that cannot leave the
 * worker's folder).
 */

import { InfomorphError, goal, goalVectorNames } from "@infomorph/core";
import {
  type Objective,
  type StudyConfig,
  type TrialSettings,
  checkStudyName,
  goalSources,
  resolveTrial,
} from "./study-config.js";

/** One trial to train. */
export interface TrialJob {
  readonly study: string;
  /** The trial's id in its study: 0, 1, 2, … in ask order. */
  readonly trial: number;
  /** Every goal weight, free and fixed, by alias over `sources` (and H_res). */
  readonly params: Readonly<Record<string, number>>;
  readonly settings: TrialSettings;
  readonly sources: readonly string[];
  readonly objective: Objective;
}

/** What one seed of a trial gave. */
export interface SeedResult {
  readonly seed: number;
  /** The seed's objective: validation accuracy at `epoch`. */
  readonly value: number;
  /** The epoch the value was read at (the last one, or the best). */
  readonly epoch: number;
  /** Test accuracy at that epoch (shown in reports, never used to choose). */
  readonly test: number | null;
  /** Wall-clock seconds of the seed's training and evaluation. */
  readonly seconds: number;
}

/** A completed trial: the mean of its seeds' values, and each seed. */
export interface TrialOutcome {
  readonly value: number;
  readonly seeds: readonly SeedResult[];
}

/** Goal weights may be searched in any range a user sets, but not beyond this magnitude. */
export const MAX_GOAL_WEIGHT = 1000;

/** The job of trial `trial` with `params` in `study`. */
export function trialJob(
  study: StudyConfig,
  trial: number,
  params: Readonly<Record<string, number>>,
): TrialJob {
  return {
    study: study.name,
    trial,
    params,
    settings: study.trial,
    sources: study.sources,
    objective: study.objective,
  };
}

/**
 * Check a job from outside (the database queue): exactly the keys of a TrialJob, a study name
 * and trial id that make safe folder names, trial settings a study accepts (with
 * `namedDatasetsOnly`: embedded, mnist or fashion-mnist and no data folder), the preset's own
 * sources, one finite weight of magnitude ≤ MAX_GOAL_WEIGHT per atom, and a known objective.
 * Throws InfomorphError "study/bad-job" naming the first problem.
 */
export function validateTrialJob(
  value: unknown,
  options: { namedDatasetsOnly: boolean },
): TrialJob {
  const where = "trial job";
  const job = value as Partial<Record<keyof TrialJob, unknown>> | null;
  if (job === null || typeof job !== "object" || Array.isArray(job)) {
    throw badJob([], `${where}: expected an object (got ${typeof value}).`);
  }
  const keys = ["study", "trial", "params", "settings", "sources", "objective"];
  for (const key of Object.keys(job)) {
    if (!keys.includes(key)) throw badJob([key], `${where}: unknown key "${key}".`);
  }
  try {
    checkStudyName(job.study as string);
    if (!Number.isSafeInteger(job.trial) || (job.trial as number) < 0) {
      throw badJob(
        ["trial"],
        `${where}: trial must be a non-negative integer (got ${JSON.stringify(job.trial)}).`,
      );
    }
    const settings = resolveTrial(
      (job.settings ?? {}) as NonNullable<Parameters<typeof resolveTrial>[0]>,
      where,
      options.namedDatasetsOnly,
    );
    const sources = goalSources(settings.preset, where);
    if (JSON.stringify(job.sources) !== JSON.stringify(sources)) {
      throw badJob(
        ["sources"],
        `${where}: sources must be ${JSON.stringify(sources)} for the preset ${settings.preset} (got ${JSON.stringify(job.sources)}).`,
      );
    }
    const params = checkParams(job.params, sources, where);
    const objective = job.objective as Partial<Objective> | null;
    if (
      objective === null ||
      typeof objective !== "object" ||
      Object.keys(objective).length !== 2 ||
      objective.metric !== "validation-accuracy" ||
      (objective.epoch !== "last" && objective.epoch !== "best")
    ) {
      throw badJob(
        ["objective"],
        `${where}: objective must be {metric: "validation-accuracy", epoch: "last" | "best"} (got ${JSON.stringify(job.objective)}).`,
      );
    }
    return {
      study: job.study as string,
      trial: job.trial as number,
      params,
      settings,
      sources,
      objective: { metric: objective.metric, epoch: objective.epoch },
    };
  } catch (err) {
    if (err instanceof InfomorphError && err.code !== "study/bad-job")
      throw badJob([...err.path], err.message);
    throw err;
  }
}

/** The weights of a job: exactly one finite number per atom of `sources` and H_res. */
function checkParams(
  value: unknown,
  sources: readonly string[],
  where: string,
): Record<string, number> {
  const names = goalVectorNames(sources.length, sources);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badJob(["params"], `${where}: params must map each of ${names.join(", ")} to a number.`);
  }
  const params = value as Record<string, unknown>;
  for (const key of Object.keys(params)) {
    if (!names.includes(key))
      throw badJob(
        ["params", key],
        `${where}: params has an unknown atom "${key}"; atoms: ${names.join(", ")}.`,
      );
  }
  const out: Record<string, number> = {};
  for (const name of names) {
    const v = params[name];
    if (typeof v !== "number" || !Number.isFinite(v) || Math.abs(v) > MAX_GOAL_WEIGHT) {
      throw badJob(
        ["params", name],
        `${where}: params["${name}"] must be a finite number of magnitude ≤ ${MAX_GOAL_WEIGHT} (got ${JSON.stringify(v)}).`,
      );
    }
    out[name] = v;
  }
  goal(out, { sources: sources.length, classNames: sources }); // the goal itself must build
  return out;
}

/**
 * A seed's objective from its validation accuracies per epoch (epoch 1 first): the last, or
 * the best (the earliest epoch on ties).
 *
 * @example seedObjective([0.8, 0.9, 0.85], "best") // { value: 0.9, epoch: 2 }
 */
export function seedObjective(
  validation: readonly number[],
  epoch: Objective["epoch"],
): { value: number; epoch: number } {
  if (validation.length === 0) {
    throw new InfomorphError({
      code: "study/no-epochs",
      path: [],
      message: "a run without a completed epoch has no objective value.",
    });
  }
  if (epoch === "last")
    return { value: validation[validation.length - 1], epoch: validation.length };
  let best = 0;
  for (let i = 1; i < validation.length; i++) if (validation[i] > validation[best]) best = i;
  return { value: validation[best], epoch: best + 1 };
}

/** A trial's value: the mean of its seeds' values. */
export function trialOutcome(seeds: readonly SeedResult[]): TrialOutcome {
  return { value: seeds.reduce((sum, s) => sum + s.value, 0) / seeds.length, seeds };
}

function badJob(path: (string | number)[], message: string): InfomorphError {
  return new InfomorphError({
    code: "study/bad-job",
    path,
    message: `${message} Jobs describe one training of this project; this one was refused.`,
  });
}
