/** `infomorph sensitivity`: the goal-sensitivity study — retrain with one γ changed (0, ×0.9, ×1.1, ±0.1) or with γs zeroed cumulatively, over seeds, and tabulate validation accuracy. */

import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Goal,
  type HiddenLayerConfig,
  InfomorphError,
  type InfomorphicNetworkConfig,
  type LayerEpochStats,
  SENSITIVITY_CHANGES,
  type SensitivityChange,
  TRIVARIATE_ZEROING_ORDER,
  cumulativeZeroing,
  formatGoal,
  goalFromVector,
  goalIndex,
  goalToJSON,
  goalVectorNames,
  hiddenSourceNames,
  parseGoal,
  presetConfig,
  sensitivityVariants,
  trainModel,
} from "@infomorph/core";
import { writeFileAtomic } from "@infomorph/runs";
import { defineCommand } from "../cli/command.js";
import { readGoalArgument } from "../cli/settings.js";
import { loadDataset } from "../data/registry.js";
import { buildModelOn } from "../training/session.js";
import { modelTooLarge } from "./train.js";

/** One retraining: a goal vector under a label, for one seed. */
interface Trial {
  readonly study: "baseline" | "single" | "cumulative";
  readonly label: string;
  readonly gamma: Float64Array;
  readonly seed: number;
}

/** A finished trial, one line of results.jsonl. */
interface TrialResult {
  readonly study: Trial["study"];
  readonly label: string;
  readonly seed: number;
  readonly validationAccuracy: number;
  readonly testAccuracy: number;
  readonly epochs: number;
  /** The model config the trial trained (its hidden goal is the trial's γ). */
  readonly config?: InfomorphicNetworkConfig;
  /** The hidden layer's mean goal G over the last epoch's batches, bits. */
  readonly hiddenGoal?: number;
  /** The hidden layer's atoms and H_res over the last epoch (mean over neurons), bits, by alias. */
  readonly hiddenAtoms?: Record<string, number>;
}

export const sensitivityCommand = defineCommand({
  name: "sensitivity",
  summary:
    "goal sensitivity: retrain with each γ changed or zeroed cumulatively, over seeds; writes a table.",
  flags: [
    {
      name: "preset",
      type: "string",
      placeholder: "NAME",
      default: "trivariate",
      description: "an infomorphic preset with a hidden layer",
    },
    {
      name: "dataset",
      type: "string",
      placeholder: "NAME",
      default: "embedded",
      description: "embedded, mnist, fashion-mnist, cifar-10, csv:PATH or idx:DIR",
    },
    {
      name: "data-dir",
      type: "string",
      placeholder: "DIR",
      description: "folder holding the four IDX files",
    },
    {
      name: "goal",
      type: "string",
      placeholder: "SPEC",
      description:
        "the hidden layer's base goal to perturb, default the preset's: atom weights '(F)(C)=1,(F)=0.1', a named goal, or @FILE",
    },
    { name: "hidden", type: "integer", min: 1, default: 100, description: "hidden neurons" },
    { name: "epochs", type: "integer", min: 1, default: 100, description: "epochs per trial" },
    {
      name: "batch-size",
      type: "integer",
      min: 1,
      default: 1024,
      description: "samples per batch",
    },
    {
      name: "seeds",
      type: "list",
      default: ["1", "2", "3"],
      description: "seeds of every trial (the paper used 10)",
    },
    {
      name: "study",
      type: "string",
      default: "single",
      choices: ["single", "cumulative", "both"],
      description: "single: change one γ at a time; cumulative: zero γs one after another",
    },
    {
      name: "changes",
      type: "list",
      default: [...SENSITIVITY_CHANGES],
      choices: SENSITIVITY_CHANGES,
      description: "the single-γ changes to try",
    },
    {
      name: "atoms",
      type: "list",
      description: "only change these γs (atom names, aliases or H_res); default all",
    },
    {
      name: "out",
      type: "string",
      placeholder: "DIR",
      default: "runs/sensitivity",
      description: "folder for results.jsonl and sensitivity.md (trials already there are skipped)",
    },
    { name: "json", type: "boolean", description: "print the table as JSON only" },
  ],
  example:
    'infomorph sensitivity --hidden 20 --epochs 2 --seeds 1 --changes zero --atoms "(F)(C)",H_res',
  async run(args, io) {
    const f = args.flags;
    const base = presetConfig(f.preset, { hidden: f.hidden, inputs: 784, classes: 10 });
    if (base.kind !== "infomorphic" || !base.hidden || base.hidden.kind !== "infomorphic") {
      throw new InfomorphError({
        code: "usage/sensitivity-preset",
        message: `preset "${f.preset}" has no learning infomorphic hidden layer; try --preset trivariate.`,
      });
    }
    const classNames = hiddenSourceNames(base.hidden);
    const names = goalVectorNames(classNames.length, classNames);
    const baseGoal = baseGoalOf(f.goal, base.hidden.goal, classNames);
    const baseline = baseGoal.gamma;
    const seeds = f.seeds.map((s) => {
      const seed = Number(s);
      if (!Number.isInteger(seed) || seed < 0) {
        throw new InfomorphError({
          code: "usage/bad-seed",
          message: `--seeds must list non-negative integers (got "${s}"). Try --seeds 1,2,3.`,
        });
      }
      return seed;
    });
    const atomIndices = f.atoms?.map((name) =>
      goalIndex(name, { sources: classNames.length, classNames }),
    );
    const trials = planTrials(
      f.study,
      baseline,
      names,
      f.changes as SensitivityChange[],
      atomIndices,
      seeds,
    );

    mkdirSync(f.out, { recursive: true });
    const resultsPath = join(f.out, "results.jsonl");
    const done = readResults(resultsPath);
    const key = (t: { study: string; label: string; seed: number }) =>
      `${t.study}|${t.label}|${t.seed}`;
    const finished = new Set(done.map(key));
    const pending = trials.filter((t) => !finished.has(key(t)));
    io.stderr.write(
      `${trials.length} trials (${trials.length - pending.length} already in ${resultsPath}), ${f.epochs} epochs each\n`,
    );

    const dataBySeed = new Map<number, Awaited<ReturnType<typeof loadDataset>>>();
    for (const [i, trial] of pending.entries()) {
      let data = dataBySeed.get(trial.seed);
      if (!data) {
        data = await loadDataset({
          dataset: f.dataset,
          dataDir: f.dataDir,
          seed: trial.seed,
          env: io.env,
        });
        dataBySeed.set(trial.seed, data);
      }
      const hidden: HiddenLayerConfig = {
        ...base.hidden,
        goal: goalToJSON(goalFromVector(trial.gamma, { sources: classNames.length, classNames })),
      };
      const config: InfomorphicNetworkConfig = {
        ...base,
        inputs: data.train.dim,
        classes: data.train.classes,
        hidden,
      };
      const { model, kernels } = await buildModelOn("auto", config, f.batchSize, trial.seed).catch(
        (error: unknown) => {
          throw modelTooLarge(error, f.hidden) ?? error;
        },
      );
      let records: Awaited<ReturnType<typeof trainModel>>["records"];
      try {
        ({ records } = await trainModel(model, data, {
          epochs: f.epochs,
          batchSize: f.batchSize,
          seed: trial.seed,
        }));
      } finally {
        kernels.close(); // every trial starts its own worker threads
      }
      const last = records[records.length - 1];
      const result: TrialResult = {
        study: trial.study,
        label: trial.label,
        seed: trial.seed,
        validationAccuracy: last.validation.accuracy,
        testAccuracy: last.test?.accuracy ?? Number.NaN,
        epochs: last.epoch,
        config,
        hiddenGoal: last.train.goals[0],
        hiddenAtoms: meanAtoms(last.layers, names),
      };
      appendFileSync(resultsPath, `${JSON.stringify(result)}\n`);
      done.push(result);
      io.stderr.write(
        `[${i + 1}/${pending.length}] ${trial.label} seed ${trial.seed}: validation ${(100 * result.validationAccuracy).toFixed(2)}%\n`,
      );
    }

    const rows = summarise(trials, done);
    const table = markdownTable(rows, { ...f, goal: formatGoal(baseGoal) });
    writeFileAtomic(join(f.out, "sensitivity.md"), table);
    if (f.json) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else io.stdout.write(table);
  },
});

/** The hidden layer's atoms and H_res, each the mean over its neurons, keyed by `names`. */
function meanAtoms(
  layers: readonly LayerEpochStats[],
  names: readonly string[],
): Record<string, number> {
  const hidden = layers.find((layer) => layer.name === "hidden");
  if (!hidden) return {};
  const sums = new Float64Array(names.length);
  hidden.atoms.forEach((value, e) => {
    sums[e % names.length] += value / hidden.size;
  });
  return Object.fromEntries(names.map((name, i) => [name, sums[i]]));
}

/** The goal to perturb: --goal (a spec or @FILE) if given, else the preset's; a bad --goal names the flag. */
function baseGoalOf(
  flag: string | undefined,
  preset: HiddenLayerConfig["goal"],
  classNames: string[],
): Goal {
  const layer = { sources: classNames.length, classNames };
  if (flag === undefined) return parseGoal(preset, layer);
  try {
    return parseGoal(readGoalArgument(flag, process.cwd(), "--goal"), layer);
  } catch (err) {
    if (!(err instanceof InfomorphError) || err.code.startsWith("config/")) throw err;
    throw new InfomorphError({ code: err.code, path: err.path, message: `--goal: ${err.message}` });
  }
}

function planTrials(
  study: string,
  baseline: Float64Array,
  names: readonly string[],
  changes: readonly SensitivityChange[],
  atoms: readonly number[] | undefined,
  seeds: readonly number[],
): Trial[] {
  const goals: Omit<Trial, "seed">[] = [{ study: "baseline", label: "baseline", gamma: baseline }];
  if (study === "single" || study === "both") {
    for (const v of sensitivityVariants(baseline, names)) {
      if (!changes.includes(v.change)) continue;
      if (atoms && !atoms.includes(v.index)) continue;
      goals.push({ study: "single", label: v.label, gamma: v.gamma });
    }
  }
  if (study === "cumulative" || study === "both") {
    if (baseline.length !== 19) {
      throw new InfomorphError({
        code: "usage/cumulative-order",
        message:
          "cumulative zeroing follows the paper's order for three sources (F, C, L); use a trivariate preset.",
      });
    }
    cumulativeZeroing(baseline, TRIVARIATE_ZEROING_ORDER).forEach((gamma, k) => {
      goals.push({
        study: "cumulative",
        label: `zero first ${k + 1}: … ${names[TRIVARIATE_ZEROING_ORDER[k]]}`,
        gamma,
      });
    });
  }
  return goals.flatMap((g) => seeds.map((seed) => ({ ...g, seed })));
}

function readResults(path: string): TrialResult[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as TrialResult];
      } catch {
        return []; // a line cut by a crash is retrained
      }
    });
}

interface Row {
  readonly study: string;
  readonly label: string;
  readonly seeds: number;
  readonly meanValidation: number;
  readonly minValidation: number;
  readonly maxValidation: number;
  readonly deltaVsBaseline: number;
}

function summarise(trials: readonly Trial[], results: readonly TrialResult[]): Row[] {
  const labels = [...new Map(trials.map((t) => [`${t.study}|${t.label}`, t])).values()];
  const rows = labels.map((t) => {
    const acc = results
      .filter((r) => r.study === t.study && r.label === t.label)
      .map((r) => 100 * r.validationAccuracy);
    return {
      study: t.study,
      label: t.label,
      seeds: acc.length,
      meanValidation: acc.reduce((a, b) => a + b, 0) / Math.max(1, acc.length),
      minValidation: Math.min(...acc),
      maxValidation: Math.max(...acc),
      deltaVsBaseline: 0,
    };
  });
  const baseline = rows.find((r) => r.study === "baseline")?.meanValidation ?? Number.NaN;
  return rows.map((r) => ({ ...r, deltaVsBaseline: r.meanValidation - baseline }));
}

function markdownTable(
  rows: readonly Row[],
  f: { preset: string; dataset: string; hidden: number; epochs: number; goal: string },
): string {
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");
  return `Goal sensitivity of \`${f.preset}\` (N = ${f.hidden}, ${f.epochs} epochs, ${f.dataset}); validation accuracy in %.
Base goal: \`${f.goal}\`.

| study | goal | seeds | mean | min | max | Δ vs baseline |
|---|---|---|---|---|---|---|
${rows.map((r) => `| ${r.study} | ${r.label} | ${r.seeds} | ${fmt(r.meanValidation)} | ${fmt(r.minValidation)} | ${fmt(r.maxValidation)} | ${r.study === "baseline" ? "" : fmt(r.deltaVsBaseline)} |`).join("\n")}
`;
}
