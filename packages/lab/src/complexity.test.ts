import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  InfomorphicNetwork,
  createModel,
  representationalComplexity,
  tsKernels,
} from "@infomorph/core";
import { type RunContents, decodeState, readRun } from "@infomorph/runs";
import { run as cli } from "infomorph";
import { loadDataset } from "infomorph/data";
import { openHiddenLayer } from "infomorph/hidden-layer";
import { beforeAll, describe, expect, it } from "vitest";
import { COMPLEXITY_GROUPS, type ReportComplexity, reportComplexity } from "./complexity.js";
import { renderReport } from "./html.js";
import { runPayload } from "./payload.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-report-complexity-"));
const dir = join(root, "run");
const silent = { write: () => true };

let run: RunContents;
let complexity: ReportComplexity;

beforeAll(async () => {
  // 5 hidden neurons: groups of 2, 3, 4 are subsampled and the whole layer is exact
  const argv = ["--hidden", "5", "--epochs", "2", "--train-samples", "2048", "--batch-size", "256"];
  const code = await cli(["train", ...argv, "--out", dir], {
    stdout: silent,
    stderr: silent,
    env: {},
  });
  expect(code).toBe(0);
  run = readRun(dir);
  complexity = await reportComplexity(run, openHiddenLayer({}));
});

/** A copy of the run whose config.json is changed by `edit`. */
function changedCopy(name: string, edit: (config: Record<string, unknown>) => void): string {
  const copy = join(root, name);
  cpSync(dir, copy, { recursive: true });
  const config = JSON.parse(readFileSync(join(copy, "config.json"), "utf8"));
  edit(config);
  writeFileSync(join(copy, "config.json"), JSON.stringify(config));
  return copy;
}

describe("representational complexity in the report", () => {
  it("measures the hidden layer on every validation sample, with C of k neurons in [1, k]", () => {
    expect(complexity).toMatchObject({
      skipped: null,
      neurons: 5,
      samples: 1500,
      validation: 1500,
    });
    expect(complexity.groups.map((g) => [g.size, g.groups])).toEqual(
      COMPLEXITY_GROUPS.map((g) => [g.size, g.groups]),
    );
    for (const g of complexity.groups) {
      expect(g.method).toBe("subsampled groups of k neurons");
      expect(g.uninformative, `k = ${g.size}`).toBeLessThan(g.groups);
      expect(Number.isFinite(g.mean), `k = ${g.size} mean ${g.mean}`).toBe(true);
      expect(g.mean, `k = ${g.size}`).toBeGreaterThanOrEqual(1);
      expect(g.mean, `k = ${g.size}`).toBeLessThanOrEqual(g.size);
      expect(g.std, `k = ${g.size}`).toBeGreaterThanOrEqual(0);
    }
    const layer = complexity.layer!;
    expect(layer.information).toBeGreaterThan(0.05);
    expect(layer.complexity).toBeGreaterThanOrEqual(1);
    expect(layer.complexity).toBeLessThanOrEqual(5);
  });

  it("is the exact C of the checkpoint's hidden samples with the label withheld", async () => {
    const { config } = run;
    if (config.model.kind !== "infomorphic") throw new Error("expected an infomorphic run");
    const net = (await createModel({
      config: config.model,
      capacity: 256,
      kernels: tsKernels(),
      seed: 1,
    })) as InfomorphicNetwork;
    expect(net).toBeInstanceOf(InfomorphicNetwork);
    net.restore(run.state);
    const { validation } = await loadDataset({ dataset: "embedded", seed: 1, env: {} });
    const samples = new Int8Array(validation.count * 5);
    net.hiddenSamples(validation.features, validation.count, samples);
    const want = representationalComplexity(samples, validation.labels, {
      classes: 10,
      neurons: [0, 1, 2, 3, 4],
    });
    expect(complexity.layer?.complexity).toBeCloseTo(want.complexity, 12);
    expect(complexity.layer?.information).toBeCloseTo(want.information, 12);
    // and the same numbers every time
    expect(await reportComplexity(run, openHiddenLayer({}))).toEqual(complexity);
  });

  it("travels in the report's embedded payload, which the page's complexity section draws", () => {
    expect(embedded(renderReport(runPayload(run, "run", complexity)))).toEqual(complexity);
  });

  it("is skipped with a note when the data cannot be loaded or there is no hidden layer", async () => {
    const missing = join(root, "no-such-folder");
    const moved = readRun(
      changedCopy("moved", (c) => Object.assign(c.data as object, { dataset: `idx:${missing}` })),
    );
    const skipped = await reportComplexity(moved, openHiddenLayer({}));
    expect(skipped.skipped).toBe(
      `The validation data could not be loaded: idx:${missing}: the folder ${missing} does not exist. Point idx: at the folder with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz.`,
    );
    expect(embedded(renderReport(runPayload(moved, "moved", skipped)))).toEqual(skipped);

    const readout = readRun(
      changedCopy("readout", (c) => Object.assign(c.model as object, { hidden: null })),
    );
    expect((await reportComplexity(readout, openHiddenLayer({}))).skipped).toBe(
      "This model has no hidden layer (read-out only), so there is no layer to measure.",
    );
  });
});

/** The complexity in a report page's embedded payload. */
function embedded(html: string): unknown {
  const json = html
    .split('<script type="application/json" id="run-data">')[1]
    .split("</script>")[0];
  return (decodeState(JSON.parse(json)) as { complexity: unknown }).complexity;
}
