import { readFileSync } from "node:fs";
import { join } from "node:path";
import { presetConfig } from "@infomorph/core";
import { describe, expect, it } from "vitest";
import { cli } from "../../../cli/testing/cli.js";
import { tempDir } from "../../../cli/testing/idx-fixtures.js";
import { reevaluate } from "./evaluate.js";
import { EXPERIMENTS, modelKey } from "./experiments.js";
import { reproModelConfig } from "./model.js";
import { readRun, spliceSection } from "./results.js";

describe("spliceSection", () => {
  it("replaces only its own experiment's generated block and keeps every hand-written line", () => {
    const first = spliceSection("# Results\n\nIntro by hand.\n", "a", "## A\nold\n");
    const both = spliceSection(`${first}\nNotes on A by hand.\n`, "b", "## B\n");
    const updated = spliceSection(both, "a", "## A\nnew\n");
    expect(updated).toContain("Intro by hand.");
    expect(updated).toContain("Notes on A by hand.");
    expect(updated).toContain("## A\nnew\n<!-- /repro:a -->");
    expect(updated).not.toContain("old");
    expect(updated.indexOf("## A")).toBeLessThan(updated.indexOf("Notes on A by hand."));
    expect(updated.indexOf("Notes on A by hand.")).toBeLessThan(updated.indexOf("## B"));
    expect(spliceSection(updated, "a", "## A\nnew\n")).toBe(updated);
  });
});

describe("reproModelConfig", () => {
  it("is null for a preset row and applies goal and overrides to every hidden layer of a variant", () => {
    expect(
      reproModelConfig(
        { preset: "trivariate", label: "", published: null, publishedRange: null },
        100,
        784,
        10,
      ),
    ).toBeNull();
    const model = reproModelConfig(
      {
        preset: "trivariate-two-layers",
        goal: "trivariate-heuristic",
        overrides: { hidden: { passes: 3 }, output: { binning: { kind: "adaptive", bins: 10 } } },
        label: "",
        published: null,
        publishedRange: null,
      },
      40,
      784,
      10,
    );
    if (model?.kind !== "infomorphic" || !model.hidden)
      throw new Error("expected an infomorphic model");
    for (const layer of [model.hidden, ...(model.stacked ?? [])]) {
      expect(layer).toMatchObject({ goal: "trivariate-heuristic", passes: 3, size: 20 });
    }
    expect(model.stacked).toHaveLength(1);
    expect(model.output.binning).toEqual({ kind: "adaptive", bins: 10 });
    // the rest is the preset's
    const preset = presetConfig("trivariate-two-layers", { hidden: 40, inputs: 784, classes: 10 });
    expect(model.output.goal).toBe(preset.kind === "infomorphic" ? preset.output.goal : null);
  });

  it("refuses a goal for a preset without an infomorphic hidden layer", () => {
    const row = {
      preset: "backprop",
      goal: "trivariate-opt1",
      label: "",
      published: null,
      publishedRange: null,
    };
    expect(() => reproModelConfig(row, 100, 784, 10)).toThrow(/has no infomorphic hidden layer/);
  });

  it("builds every row of every experiment, with unique row names per experiment", () => {
    for (const experiment of Object.values(EXPERIMENTS)) {
      const keys = experiment.models.map(modelKey);
      expect(new Set(keys).size, experiment.name).toBe(keys.length);
      for (const m of experiment.models)
        expect(() => reproModelConfig(m, experiment.hidden, 784, 10)).not.toThrow();
    }
  });
});

describe("reevaluate", () => {
  it("reproduces a run's own test accuracy with its evaluation, and evaluates other options without training", async () => {
    const dir = tempDir();
    const run = join(dir, "run");
    const { code } = await cli(
      "train",
      ...["--preset", "trivariate", "--hidden", "12", "--epochs", "1", "--train-samples", "700"],
      ...["--seed", "4", "--threads", "1", "--out", run],
    );
    expect(code).toBe(0);
    const before = readFileSync(join(run, "checkpoint.json"), "utf8");
    const lastTest = readRun(run, "run", 4)!.testAccuracy;
    await reevaluate(run, join(dir, "same"), {}, 1, undefined);
    expect(readRun(join(dir, "same"), "same", 4)!.testAccuracy).toBe(lastTest);
    await reevaluate(run, join(dir, "ten"), { samples: 10 }, 1, undefined);
    const ten = readRun(join(dir, "ten"), "ten", 4)!;
    expect(ten.epochs).toBe(1);
    expect(ten.testAccuracy).toBeGreaterThan(0);
    // the source run is read, never written
    expect(readFileSync(join(run, "checkpoint.json"), "utf8")).toBe(before);
    await expect(reevaluate(run, join(dir, "x"), {}, 2, undefined)).rejects.toThrow(
      `${run} has 1 of 2 epochs; this row re-evaluates its last checkpoint.`,
    );
  });
});
