import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILT_CLI, describeWith } from "../../../../test/prerequisites.js";
import { tempDir } from "../../../cli/testing/idx-fixtures.js";
import { mnistForTests } from "../../../cli/testing/mnist.js";
import { EXPERIMENTS, modelKey } from "./experiments.js";
import { repro } from "./main.js";
import { readRun } from "./results.js";

/** Runs repro with `argv`; returns the exit code and what it logged. */
async function run(...argv: string[]) {
  let log = "";
  const code = await repro(argv, (text) => {
    log += text;
  });
  return { code, log };
}

describe("npm run repro: bad usage exits 2 with one sentence", () => {
  it.each([
    [["mnist-n100", "--jobs", "abc"], "--jobs must be an integer ≥ 1 (got 'abc'). Try --jobs 2."],
    [["mnist-n100", "--jobs", "0"], "--jobs must be an integer ≥ 1 (got '0'). Try --jobs 2."],
    [
      ["mnist-n100", "--epochs", "abc"],
      "--epochs must be an integer ≥ 1 (got 'abc'). Try --epochs 2.",
    ],
    [
      ["mnist-n100", "--epochs", "1.5"],
      "--epochs must be an integer ≥ 1 (got '1.5'). Try --epochs 2.",
    ],
    [
      ["mnist-n100", "--seeds", "1,x"],
      "--seeds must be a non-negative integer in a comma-separated list (got 'x'). Try --seeds 1,2,3.",
    ],
    [
      ["mnist-n100", "--models", "readout,trivariat"],
      `--models lists 'trivariat', which is not a row of mnist-n100: ${EXPERIMENTS["mnist-n100"].models.map(modelKey).join(", ")}.`,
    ],
    [
      ["mnist-n100", "--threads", "two"],
      "--threads must be an integer ≥ 1 (got 'two'). Try --threads 1.",
    ],
    [
      ["mnist"],
      `unknown experiment 'mnist': ${Object.keys(EXPERIMENTS).join(", ")}. Example: npm run repro -- mnist-n100 --epochs 2`,
    ],
    [
      [],
      `name an experiment: ${Object.keys(EXPERIMENTS).join(", ")}. Example: npm run repro -- mnist-n100 --epochs 2`,
    ],
  ])("%j", async (argv, message) => {
    expect(await run(...argv)).toEqual({ code: 2, log: `error: ${message}\n` });
  });

  it("names an unknown flag and shows the usage", async () => {
    const { code, log } = await run("mnist-n100", "--job", "2");
    expect(code).toBe(2);
    expect(log).toMatch(/^error: Unknown option '--job'.*\. usage: npm run repro -- NAME /);
  });
});

describeWith([BUILT_CLI], "npm run repro", () => {
  const mnist = mnistForTests();
  const root = tempDir("infomorph-repro-");
  const runsDir = join(root, "runs");
  const out = join(root, "RESULTS.md");
  // the read-out model: no hidden layer, so an epoch takes about a second
  const readout = ["mnist-n100", "--models", "readout", "--epochs", "1", "--jobs", "2"];
  const paths = ["--runs-dir", runsDir, "--data-dir", mnist.dir, "--out", out];

  it("trains every seed as a child process and writes its section from the finished runs", async () => {
    writeFileSync(out, "# Results\n\nWritten by hand.\n");
    const first = await run(...readout, "--seeds", "1,2", ...paths);
    expect(first.code, first.log).toBe(0);
    expect(first.log).toContain("start readout seed 1\n");
    expect(first.log).toContain("done  readout seed 2\n");
    expect(first.log).toMatch(/wrote .*RESULTS\.md \(2 of 2 runs\)\n$/);
    const page = readFileSync(out, "utf8");
    const runs = [1, 2].map((seed) =>
      readRun(join(runsDir, "mnist-n100", `readout-s${seed}`), "readout", seed),
    );
    const accuracy = runs.map((r) => r?.testAccuracy ?? Number.NaN);
    expect(
      accuracy.every((a) => a > 30),
      `test accuracy ${accuracy}`,
    ).toBe(true);
    const mean = ((accuracy[0] + accuracy[1]) / 2).toFixed(2);
    const range = `${Math.min(...accuracy).toFixed(2)}–${Math.max(...accuracy).toFixed(2)}`;
    expect(page).toContain(
      `| read-out only (no hidden layer) | \`readout\` | 91.85 [91.73–91.99] | ${mean} | ${range} | 1, 2 | 1 |`,
    );
    expect(page).toContain(`| \`readout\` | 1 | 1 | ${accuracy[0].toFixed(2)} |`);
    // hand-written text survives; the command is quoted without this machine's folders
    expect(page.startsWith("# Results\n\nWritten by hand.\n")).toBe(true);
    expect(page).not.toContain("Incomplete");
    const here = (path: string) => relative(process.cwd(), path);
    expect(page).toContain(
      `Measured with \`npm run repro -- mnist-n100 --models readout --epochs 1 --jobs 2 --seeds 1,2 --runs-dir ${here(runsDir)} --data-dir ${here(mnist.dir)}\` (last run ended `,
    );
  });

  it("skips finished runs when run again", async () => {
    const again = await run(...readout, "--seeds", "1,2", ...paths);
    expect(again.code, again.log).toBe(0);
    expect(again.log).not.toContain("start ");
  });

  const refusal = (count: string, runs: string) =>
    `error: ${count} runs failed or are missing or unfinished, so ${out} was not rewritten: ${runs}. Fix the cause and run the same command again (finished runs are kept, unfinished ones resume), or add --partial to write the section anyway.\n`;

  it("leaves the page alone when a run fails, and names the run and why", async () => {
    const before = readFileSync(out, "utf8");
    const empty = join(root, "no-data");
    mkdirSync(empty);
    const args = [...readout, "--seeds", "1,3", "--runs-dir", runsDir, "--out", out];
    const failed = await run(...args, "--data-dir", empty);
    expect(failed.code).toBe(1);
    expect(failed.log).toContain(
      `error: 1 of 2 runs failed or are missing or unfinished, so ${out} was not rewritten: readout seed 3 (exit 1: error: mnist not found in --data-dir: searched ${empty}`,
    );
    expect(failed.log.endsWith(", or add --partial to write the section anyway.\n")).toBe(true);
    expect(readFileSync(out, "utf8")).toBe(before);
  });

  it("leaves the page alone for --report-only over missing or unfinished runs", async () => {
    const before = readFileSync(out, "utf8");
    const missing = await run(...readout, "--seeds", "1,4", ...paths, "--report-only");
    expect(missing).toEqual({
      code: 1,
      log: refusal("1 of 2", "readout seed 4 (no finished epoch)"),
    });
    const longer = await run(
      ...readout,
      ...["--seeds", "1", "--epochs", "2"],
      ...paths,
      "--report-only",
    );
    expect(longer).toEqual({ code: 1, log: refusal("1 of 1", "readout seed 1 (1 of 2 epochs)") });
    expect(readFileSync(out, "utf8")).toBe(before);
  });

  it("writes an incomplete section only with --partial, and says what is missing", async () => {
    const partial = await run(...readout, "--seeds", "1,4", ...paths, "--report-only", "--partial");
    expect(partial.code, partial.log).toBe(0);
    expect(readFileSync(out, "utf8")).toContain(
      "**Incomplete** (written with --partial): readout seed 4 (no finished epoch).",
    );
  });
});
