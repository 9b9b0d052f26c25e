import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../testing/cli.js";
import { tempDir } from "../../testing/idx-fixtures.js";

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
