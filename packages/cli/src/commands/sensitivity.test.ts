import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type InfomorphicNetworkConfig, goalFromJSON, namedGoal } from "@infomorph/core";
import { describe, expect, it } from "vitest";
import { cli } from "../../testing/cli.js";
import { tempDir } from "../../testing/idx-fixtures.js";

/** A line of results.jsonl, as the tests read it. */
interface Trial {
  label: string;
  config: InfomorphicNetworkConfig & { hidden: NonNullable<InfomorphicNetworkConfig["hidden"]> };
  hiddenGoal: number;
  hiddenAtoms: Record<string, number>;
}

describe("infomorph sensitivity", () => {
  it("retrains the baseline and each changed goal, writes a table, and skips finished trials", async () => {
    const out = join(tempDir(), "sens");
    const argv = [
      "sensitivity",
      "--hidden",
      "6",
      "--epochs",
      "1",
      "--batch-size",
      "512",
      "--seeds",
      "1",
      "--changes",
      "zero",
      "--atoms",
      "(F)(C),H_res",
      "--out",
      out,
    ];
    const first = await cli(...argv);
    expect(first.code, first.stderr).toBe(0);
    const lines = readFileSync(join(out, "results.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.label)).toEqual(["baseline", "(F)(C) = 0", "H_res = 0"]);
    for (const l of lines) expect(l.validationAccuracy).toBeGreaterThan(0.1);
    expect(first.stdout).toContain("| single | (F)(C) = 0 | 1 |");
    expect(readFileSync(join(out, "sensitivity.md"), "utf8")).toBe(first.stdout);
    const again = await cli(...argv);
    expect(again.stderr).toContain("3 trials (3 already in");
    expect(again.stdout).toBe(first.stdout);
  });

  it("trains each trial with its own goal: config and atoms differ from the baseline exactly where they should", async () => {
    const out = join(tempDir(), "sens-goals");
    // bivariate-context-heuristic: γ = 1 on (F)(C), 0 elsewhere, so "(F) = 0" changes nothing
    const argv = ["sensitivity", "--preset", "bivariate-context-heuristic", "--hidden", "6"];
    const result = await cli(
      ...argv,
      ...["--epochs", "1", "--batch-size", "512", "--seeds", "2", "--out", out],
      ...["--changes", "zero,plus-0.1", "--atoms", "(F),(F)(C)"],
    );
    expect(result.code, result.stderr).toBe(0);
    const trials = readFileSync(join(out, "results.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Trial);
    expect(trials.map((t) => t.label)).toEqual([
      "baseline",
      "(F) = 0",
      "(F) + 0.1",
      "(F)(C) = 0",
      "(F)(C) + 0.1",
    ]);
    const names = ["(F)", "(C)", "(F)(C)", "(FC)", "H_res"];
    const gammaOf = (t: Trial) => {
      const goal = t.config.hidden.goal;
      const g =
        typeof goal === "string"
          ? namedGoal(goal)
          : goalFromJSON(goal, { sources: 2, classNames: ["F", "C"] });
      return Array.from(g.gamma);
    };
    /** G = Σ γ·atoms + γ_res·H_res over the stored atoms (linear, so the mean over neurons and batches holds). */
    const goalFrom = (gamma: number[], t: Trial) =>
      names.reduce((sum, name, i) => sum + gamma[i] * t.hiddenAtoms[name], 0);
    const [base, ...changed] = trials;
    expect(gammaOf(base)).toEqual([0, 0, 1, 0, 0]);
    const expected: [number[], boolean][] = [
      [[0, 0, 1, 0, 0], false], // (F) = 0: the same goal, so the same training
      [[0.1, 0, 1, 0, 0], true],
      [[0, 0, 0, 0, 0], true],
      [[0, 0, 1.1, 0, 0], true],
    ];
    changed.forEach((trial, k) => {
      const [gamma, differs] = expected[k];
      const where = `${trial.label}`;
      // the stored config is the baseline's but for the hidden goal, which is the trial's γ
      const withoutGoal = (t: Trial) => ({
        ...t.config,
        hidden: { ...t.config.hidden, goal: null },
      });
      expect(withoutGoal(trial), where).toEqual(withoutGoal(base));
      expect(gammaOf(trial), where).toEqual(gamma);
      // the layer ascended this γ: its reported G is γ·atoms of its own atoms …
      expect(Math.abs(trial.hiddenGoal - goalFrom(gamma, trial)), where).toBeLessThan(1e-12);
      if (differs) {
        // … not the baseline's γ·atoms, and training went elsewhere
        expect(Math.abs(trial.hiddenGoal - goalFrom(gammaOf(base), trial)), where).toBeGreaterThan(
          1e-6,
        );
        expect(trial.hiddenAtoms, where).not.toEqual(base.hiddenAtoms);
      } else {
        expect([trial.hiddenGoal, trial.hiddenAtoms], where).toEqual([
          base.hiddenGoal,
          base.hiddenAtoms,
        ]);
      }
    });
    expect(Math.abs(base.hiddenGoal - goalFrom(gammaOf(base), base))).toBeLessThan(1e-12);
  });

  it("perturbs the base goal given with --goal, and names it in the table", async () => {
    const out = join(tempDir(), "sens-goal");
    const argv = ["sensitivity", "--hidden", "6", "--epochs", "1", "--batch-size", "512"];
    const result = await cli(
      ...argv,
      ...["--seeds", "1", "--changes", "zero", "--atoms", "(F)(L)", "--out", out],
      ...["--goal", "(F)(C)=1, (F)(L)=-1"],
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Base goal: `(F)(C)=1, (F)(L)=-1`.");
    const labels = readFileSync(join(out, "results.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).label);
    expect(labels).toEqual(["baseline", "(F)(L) = 0"]);
    const bad = await cli(...argv, "--goal", "(F)(C)=1, (F)(C)=2");
    expect([bad.code, bad.stderr]).toEqual([
      1,
      'error: --goal: "(F)(C)" is given twice; give each atom one weight.\n',
    ]);
  });

  it("explains a preset without a learning hidden layer and a bad atom name", async () => {
    const readout = await cli("sensitivity", "--preset", "readout", "--epochs", "1");
    expect([readout.code, readout.stderr]).toEqual([
      2,
      `error: preset "readout" has no learning infomorphic hidden layer; try --preset trivariate.\n`,
    ]);
    const typo = await cli("sensitivity", "--atoms", "(F)(X)", "--epochs", "1");
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(
      '"(F)(X)" is not an atom of a layer with the sources F, C, L. Valid names: (F)(C)(L), (F)(C),',
    );
  });
});
