import { describe, expect, it } from "vitest";
import { canonicalJson, checkStoredStudy, resolveStudyConfig } from "./study-config.js";

const resolve = (input: object, options = {}) =>
  resolveStudyConfig("s1", input, "study.yaml", options);
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error");
};

describe("resolveStudyConfig", () => {
  it("fills the papers' trivariate search by default: 18 atoms free in [-1, 1], H_res fixed at 0, TPE maximising", () => {
    const c = resolve({});
    expect(c.sources).toEqual(["F", "C", "L"]);
    const free = Object.entries(c.space).filter(([, s]) => !("fixed" in s));
    expect(free).toHaveLength(18);
    for (const [, s] of free) expect(s).toEqual({ low: -1, high: 1 });
    expect(c.space.H_res).toEqual({ fixed: 0 });
    expect(c.sampler).toEqual({ kind: "tpe", seed: 1, direction: "maximize" });
    expect(c.objective).toEqual({ metric: "validation-accuracy", epoch: "last" });
    expect(c.trial).toEqual({
      preset: "trivariate",
      dataset: "embedded",
      dataDir: null,
      hidden: 100,
      epochs: 5,
      batchSize: 1024,
      trainSamples: null,
      seeds: [1],
    });
    expect([c.trials, c.retries]).toEqual([100, 2]);
  });

  it("takes the bivariate context preset's two-source atoms and a partial space", () => {
    const c = resolve({
      trial: { preset: "bivariate-context" },
      space: { free: ["(F)(C)", "(FC)"], range: [0, 2], fixed: { "(F)": 0.5 } },
    });
    expect(c.sources).toEqual(["F", "C"]);
    expect(c.space).toEqual({
      "(F)(C)": { low: 0, high: 2 },
      "(F)": { fixed: 0.5 },
      "(C)": { fixed: 0 },
      "(FC)": { low: 0, high: 2 },
      H_res: { fixed: 0 },
    });
  });

  it("names the key and the fix for bad input", () => {
    expect(errorOf(() => resolve({ trial: { epoch: 3 } }))).toBe(
      'study.yaml: unknown key "trial.epoch". Valid keys of trial: preset, dataset, dataDir, hidden, epochs, batchSize, trainSamples, seeds.',
    );
    expect(errorOf(() => resolve({ trial: { epochs: 0 } }))).toBe(
      "study.yaml: trial.epochs must be an integer in [1, 10000] (got 0).",
    );
    expect(errorOf(() => resolve({ trial: { seeds: [1, 1] } }))).toBe(
      "study.yaml: trial.seeds repeats a seed (1, 1); give each seed once.",
    );
    expect(errorOf(() => resolve({ trial: { preset: "backprop" } }))).toMatch(
      /^study\.yaml: the preset backprop has no learning hidden layer whose goal could be searched; choose one of trivariate, trivariate-heuristic, .*bivariate-lateral-heuristic\.$/,
    );
    expect(errorOf(() => resolve({ space: { free: ["(F)(X)"] } }))).toMatch(
      /^study\.yaml: space: .*\(F\)\(X\)/,
    );
    expect(errorOf(() => resolve({ sampler: { kind: "tpe", nEiCandidate: 5 } }))).toBe(
      'study.yaml: sampler: the tpe sampler has no option "nEiCandidate"; its options: seed, direction, nStartupTrials, nEiCandidates, multivariate, priorWeight, considerMagicClip, considerEndpoints, constantLiar, startup.',
    );
    expect(errorOf(() => resolve({ sampler: { direction: "minimize" } }))).toBe(
      "study.yaml: a study maximises validation accuracy; leave sampler.direction out.",
    );
    expect(errorOf(() => resolve({ objective: { epoch: "first" } }))).toBe(
      'study.yaml: objective.epoch must be "last" or "best" (got "first").',
    );
    expect(errorOf(() => resolveStudyConfig("../up", {}, "flags"))).toBe(
      'study name "../up" must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit. Try mnist-tpe.',
    );
  });

  it("admits only named datasets and no paths in a database study", () => {
    expect(resolve({ trial: { dataset: "idx:data/mnist" } }).trial.dataset).toBe("idx:data/mnist");
    expect(
      errorOf(() => resolve({ trial: { dataset: "idx:data/mnist" } }, { namedDatasetsOnly: true })),
    ).toBe(
      'study.yaml: trial.dataset must be one of embedded, mnist, fashion-mnist in a database study (each worker finds the files with its own --data-dir) (got "idx:data/mnist").',
    );
    expect(
      errorOf(() =>
        resolve({ trial: { dataset: "mnist", dataDir: "/data" } }, { namedDatasetsOnly: true }),
      ),
    ).toBe(
      "study.yaml: a database study holds no paths; give each worker its --data-dir instead of trial.dataDir.",
    );
    expect(errorOf(() => resolve({ trial: { dataset: "cifar" } }))).toBe(
      'study.yaml: trial.dataset must be one of embedded, mnist, fashion-mnist, csv:PATH or idx:DIR (got "cifar").',
    );
  });
});

describe("checkStoredStudy", () => {
  it("reads back what it wrote and refuses a changed file", () => {
    const c = resolve({
      trial: { seeds: [1, 2] },
      space: { ranges: { "(F)": [0, 1] } },
      sampler: { kind: "cmaes", seed: 3 },
    });
    const stored = JSON.parse(JSON.stringify(c));
    expect(canonicalJson(checkStoredStudy(stored, "study.json"))).toBe(canonicalJson(c));
    expect(errorOf(() => checkStoredStudy({ ...stored, extra: 1 }, "study.json"))).toBe(
      "study.json holds keys or values that infomorph search does not write (edited by hand?); restore it, or start a new study.",
    );
    expect(
      errorOf(() => checkStoredStudy({ ...stored, sources: ["F", "C"] }, "study.json")),
    ).toMatch(/edited by hand/);
    expect(errorOf(() => checkStoredStudy([], "study.json"))).toBe(
      "study.json is not a study config written by infomorph search (format 1 with a name). Start a new study.",
    );
  });
});
