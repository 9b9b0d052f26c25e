import { namedGoal } from "@infomorph/core";
import { describe, expect, it } from "vitest";
import { resolveStudyConfig } from "./study-config.js";
import { seedObjective, trialJob, trialOutcome, validateTrialJob } from "./trial-job.js";

const study = resolveStudyConfig("mnist-tpe", { trial: { dataset: "mnist", epochs: 3 } }, "flags", {
  namedDatasetsOnly: true,
});
const tpe1 = namedGoal("trivariate-opt1");
const params = Object.fromEntries(
  Object.keys(study.space).map((alias) => [alias, tpe1.weight(alias)]),
);
const job = trialJob(study, 7, params);
const strict = { namedDatasetsOnly: true };
const refused = (changed: object): string => {
  try {
    validateTrialJob({ ...JSON.parse(JSON.stringify(job)), ...changed }, strict);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("the job was accepted");
};
const SUFFIX = " Jobs describe one training of this project; this one was refused.";

describe("validateTrialJob", () => {
  it("accepts a job of this project, as JSON brings it", () => {
    const back = validateTrialJob(JSON.parse(JSON.stringify(job)), strict);
    expect(back).toEqual(job);
    expect(back.params["(FC)(FL)"]).toBe(-0.968);
  });

  it("refuses anything but a training: extra keys, paths, unknown presets and datasets, out-of-range numbers", () => {
    expect(refused({ command: "rm -rf /" })).toBe(`trial job: unknown key "command".${SUFFIX}`);
    expect(refused({ study: "../../etc" })).toBe(
      `study name "../../etc" must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit. Try mnist-tpe.${SUFFIX}`,
    );
    expect(refused({ trial: -1 })).toBe(
      `trial job: trial must be a non-negative integer (got -1).${SUFFIX}`,
    );
    expect(refused({ settings: { ...job.settings, dataset: "csv:/etc/passwd" } })).toBe(
      `trial job: trial.dataset must be one of embedded, mnist, fashion-mnist in a database study (each worker finds the files with its own --data-dir) (got "csv:/etc/passwd").${SUFFIX}`,
    );
    expect(refused({ settings: { ...job.settings, dataDir: "/home" } })).toBe(
      `trial job: a database study holds no paths; give each worker its --data-dir instead of trial.dataDir.${SUFFIX}`,
    );
    expect(refused({ settings: { ...job.settings, preset: "evil" } })).toMatch(
      /^trial job: trial\.preset must be one of trivariate, /,
    );
    expect(refused({ settings: { ...job.settings, hidden: 1e9 } })).toBe(
      `trial job: trial.hidden must be an integer in [1, 20000] (got 1000000000).${SUFFIX}`,
    );
    expect(refused({ settings: { ...job.settings, out: "/tmp/x" } })).toBe(
      `trial job: unknown key "trial.out". Valid keys of trial: preset, dataset, dataDir, hidden, epochs, batchSize, trainSamples, seeds.${SUFFIX}`,
    );
    expect(refused({ sources: ["F", "C"] })).toBe(
      `trial job: sources must be ["F","C","L"] for the preset trivariate (got ["F","C"]).${SUFFIX}`,
    );
    expect(refused({ params: { ...params, "(F)(X)": 1 } })).toMatch(
      /^trial job: params has an unknown atom "\(F\)\(X\)"; atoms: \(F\)\(C\)\(L\), /,
    );
    expect(refused({ params: { ...params, "(F)": 1e6 } })).toBe(
      `trial job: params["(F)"] must be a finite number of magnitude ≤ 1000 (got 1000000).${SUFFIX}`,
    );
    const { "(F)": _, ...missing } = params;
    expect(refused({ params: missing })).toBe(
      `trial job: params["(F)"] must be a finite number of magnitude ≤ 1000 (got undefined).${SUFFIX}`,
    );
    expect(refused({ objective: { metric: "test-accuracy", epoch: "last" } })).toBe(
      `trial job: objective must be {metric: "validation-accuracy", epoch: "last" | "best"} (got {"metric":"test-accuracy","epoch":"last"}).${SUFFIX}`,
    );
  });

  it("lets a study folder's own jobs name a local dataset file", () => {
    const local = {
      ...job,
      settings: { ...job.settings, dataset: "idx:data/mnist", dataDir: null },
    };
    expect(validateTrialJob(local, { namedDatasetsOnly: false }).settings.dataset).toBe(
      "idx:data/mnist",
    );
  });
});

describe("objective", () => {
  it("reads the last or the best epoch (the earliest of equal bests) and averages seeds", () => {
    expect(seedObjective([0.5, 0.9, 0.7, 0.9], "last")).toEqual({ value: 0.9, epoch: 4 });
    expect(seedObjective([0.5, 0.9, 0.7, 0.9], "best")).toEqual({ value: 0.9, epoch: 2 });
    expect(seedObjective([0.5, 0.6, 0.7], "last")).toEqual({ value: 0.7, epoch: 3 });
    expect(() => seedObjective([], "last")).toThrow(
      "a run without a completed epoch has no objective value.",
    );
    const seeds = [0.9, 0.8, 0.85].map((value, i) => ({
      seed: i + 1,
      value,
      epoch: 3,
      test: null,
      seconds: 1,
    }));
    expect(trialOutcome(seeds).value).toBeCloseTo(0.85, 15);
  });
});
