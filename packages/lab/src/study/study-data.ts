/** The numbers of a study's report page, gathered from its contents: history, best goals beside the papers' goals, parameter importance, failed trials. */

import { type Goal, formatGoal, goal, goalVectorNames, namedGoal } from "@infomorph/core";
import {
  type ParamImportance,
  type StudyContents,
  type TrialSummary,
  paramImportance,
} from "@infomorph/search";

/** How many of the best trials the page compares and draws. */
export const TOP_TRIALS = 5;

export interface StudyReportData {
  readonly name: string;
  readonly source: string;
  /** The hidden layer's source classes (F, C, L). */
  readonly sources: readonly string[];
  /** One line per setting: [label, value]. */
  readonly facts: readonly [string, string][];
  readonly counts: {
    readonly trials: number;
    readonly complete: number;
    readonly failed: number;
    readonly running: number;
  };
  /** Every trial in ask order: its value (null unless complete) and state; best[i] is the best value of trials 0…i. */
  readonly history: readonly {
    readonly id: number;
    readonly value: number | null;
    readonly state: TrialSummary["state"];
  }[];
  readonly best: readonly (number | null)[];
  /** The atoms in the space's order (aliases, then H_res), with their search range or fixed value. */
  readonly atoms: readonly {
    readonly name: string;
    readonly range: readonly [number, number] | null;
    readonly fixed: number | null;
  }[];
  /** The best complete trials, best first. */
  readonly top: readonly TopTrial[];
  /** The papers' goals over the same sources, by name. */
  readonly paperGoals: readonly { readonly name: string; readonly weights: readonly number[] }[];
  readonly importance: readonly ParamImportance[];
  readonly failed: readonly {
    readonly id: number;
    readonly attempts: number;
    readonly error: string;
    readonly failures: readonly string[];
  }[];
  /** Attempts that failed and were retried, of trials that then completed. */
  readonly retried: number;
  /** Validation accuracy per epoch of the top trials (mean over seeds). */
  readonly curves: readonly { readonly id: number; readonly validation: readonly number[] }[];
}

export interface TopTrial {
  readonly id: number;
  readonly value: number;
  /** Weights in the order of `atoms`. */
  readonly weights: readonly number[];
  readonly seeds: readonly {
    readonly seed: number;
    readonly value: number;
    readonly test: number | null;
    readonly epoch: number;
  }[];
  /** Cosine similarity with each paper goal, in the order of `paperGoals`. */
  readonly cosine: readonly number[];
  /** Atoms where both weights exceed 0.1 in magnitude and have the same sign, of those where both exceed it: [same, compared], per paper goal. */
  readonly signs: readonly (readonly [number, number])[];
}

/** The papers' named goals for a layer with these sources. */
function paperGoalsFor(sources: readonly string[]): { name: string; goal: Goal }[] {
  const key = sources.join("");
  const names =
    key === "FCL"
      ? ["trivariate-opt1", "trivariate-rounded", "trivariate-heuristic"]
      : key === "FC"
        ? ["bivariate-context-opt1", "bivariate-context-opt2", "bivariate-context-heuristic"]
        : key === "FL"
          ? ["bivariate-lateral-opt1", "bivariate-lateral-opt2", "bivariate-lateral-heuristic"]
          : [];
  return names.map((name) => ({ name, goal: namedGoal(name) }));
}

export function studyReportData(contents: StudyContents): StudyReportData {
  const { config, trials } = contents;
  const layer = { sources: config.sources.length, classNames: config.sources };
  const names = goalVectorNames(layer.sources, config.sources);
  const weightsOf = (params: Readonly<Record<string, number>>) =>
    Array.from(goal(params, layer).gamma);
  const complete = trials.filter((t) => t.state === "complete" && t.value !== null);
  let running: number | null = null;
  const best = trials.map((t) => {
    if (t.state === "complete" && t.value !== null && (running === null || t.value > running))
      running = t.value;
    return running;
  });
  const papers = paperGoalsFor(config.sources).map(({ name, goal: g }) => ({
    name,
    weights: Array.from(g.gamma),
  }));
  const topTrials = [...complete]
    .sort((a, b) => (b.value as number) - (a.value as number) || a.id - b.id)
    .slice(0, TOP_TRIALS);
  const top = topTrials.map((t): TopTrial => {
    const weights = weightsOf(t.params);
    return {
      id: t.id,
      value: t.value as number,
      weights,
      seeds: (t.outcome?.seeds ?? []).map((s) => ({
        seed: s.seed,
        value: s.value,
        test: s.test,
        epoch: s.epoch,
      })),
      cosine: papers.map((p) => cosine(weights, p.weights)),
      signs: papers.map((p) => signAgreement(weights, p.weights)),
    };
  });
  const free = Object.entries(config.space).flatMap(([name, s]) => ("fixed" in s ? [] : [name]));
  const t = config.trial;
  const seconds = complete.reduce(
    (s, tr) => s + (tr.outcome?.seeds.reduce((a, seed) => a + seed.seconds, 0) ?? 0),
    0,
  );
  const times = trials
    .flatMap((tr) => [tr.asked, tr.finished])
    .filter((x): x is string => x !== null)
    .sort();
  const hours =
    times.length > 1 ? (Date.parse(times[times.length - 1]) - Date.parse(times[0])) / 3.6e6 : 0;
  const workers = new Set(trials.map((tr) => tr.worker).filter((w): w is string => w !== null));
  const sampler = Object.entries(config.sampler)
    .filter(([k]) => k !== "kind" && k !== "direction" && k !== "mean0")
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join(", ");
  return {
    name: config.name,
    source: contents.source,
    sources: config.sources,
    facts: [
      [
        "sampler",
        `${config.sampler.kind}${sampler ? ` (${sampler})` : ""}${"mean0" in config.sampler && config.sampler.mean0 ? ", started at a given goal" : ""}`,
      ],
      ["space", `${free.length} atoms free, ${names.length - free.length} fixed`],
      [
        "trial",
        `${t.preset}, ${t.hidden} hidden, ${t.dataset}${t.trainSamples ? ` (first ${t.trainSamples} training samples)` : ""}, ${t.epochs} epochs, batch ${t.batchSize}`,
      ],
      ["seeds", t.seeds.join(", ")],
      ["objective", `validation accuracy at the ${config.objective.epoch} epoch, mean over seeds`],
      ["trials", `${trials.length} asked of ${config.trials}`],
      ["retries", String(config.retries)],
      ["wall-clock", `${hours.toFixed(2)} h from the first ask to the last result`],
      ["training", `${(seconds / 3600).toFixed(2)} h summed over complete trials`],
      ["workers", workers.size > 0 ? [...workers].sort().join(", ") : "-"],
      ...(contents.recommended
        ? ([["CMA-ES mean", formatGoal(goal(contents.recommended, layer))]] as [string, string][])
        : []),
    ],
    counts: {
      trials: config.trials,
      complete: complete.length,
      failed: trials.filter((tr) => tr.state === "failed").length,
      running: trials.filter((tr) => tr.state === "running").length,
    },
    history: trials.map((tr) => ({
      id: tr.id,
      value: tr.state === "complete" ? tr.value : null,
      state: tr.state,
    })),
    best,
    atoms: names.map((name) => {
      const s = config.space[name];
      return s === undefined
        ? { name, range: null, fixed: 0 }
        : "fixed" in s
          ? { name, range: null, fixed: s.fixed }
          : { name, range: [s.low, s.high] as const, fixed: null };
    }),
    top,
    paperGoals: papers,
    importance: paramImportance(
      complete.map((tr) => ({ params: tr.params, value: tr.value as number })),
      free,
    ),
    failed: trials
      .filter((tr) => tr.state === "failed")
      .map((tr) => ({
        id: tr.id,
        attempts: tr.attempts,
        error: tr.error ?? "",
        failures: tr.failures.map((f) => `attempt ${f.attempt}: ${f.error}`),
      })),
    retried: complete.reduce((s, tr) => s + tr.failures.length, 0),
    curves: topTrials.flatMap((tr) => {
      const seeds = contents.curves.get(tr.id);
      if (!seeds || seeds.length === 0) return [];
      const epochs = Math.max(...seeds.map((s) => s.validation.length));
      const validation = Array.from({ length: epochs }, (_, e) => {
        const values = seeds
          .map((s) => s.validation[e])
          .filter((v): v is number => v !== undefined);
        return values.reduce((a, v) => a + v, 0) / values.length;
      });
      return [{ id: tr.id, validation }];
    }),
  };
}

/** a·b / (|a| |b|); 0 when either is zero. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** [same sign, compared] over the entries where both weights exceed 0.1 in magnitude. */
export function signAgreement(a: readonly number[], b: readonly number[]): [number, number] {
  let same = 0;
  let compared = 0;
  for (let i = 0; i < a.length; i++) {
    if (Math.abs(a[i]) <= 0.1 || Math.abs(b[i]) <= 0.1) continue;
    compared++;
    if (Math.sign(a[i]) === Math.sign(b[i])) same++;
  }
  return [same, compared];
}
