import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  atomTrajectories,
  namedGoal,
  neuronTrajectory,
  receptiveField,
  weightSummary,
} from "@infomorph/core";
import { type AtomsIndex, type RunContents, readRun } from "@infomorph/runs";
import { run as cli } from "infomorph";
import { openHiddenLayer } from "infomorph/hidden-layer";
import { beforeAll, describe, expect, it } from "vitest";
import { type ReportComplexity, reportComplexity } from "./complexity.js";
import { MAX_BAR_WEIGHTS, type ReportData, reportData } from "./data.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-report-data-"));
const dir = join(root, "run");
const silent = { write: () => true };

let run: RunContents;
let complexity: ReportComplexity;
let data: ReportData;

beforeAll(async () => {
  const code = await cli(
    ["train", "--hidden", "12", "--epochs", "2", "--batch-size", "256", "--out", dir],
    { stdout: silent, stderr: silent, env: {} },
  );
  expect(code).toBe(0);
  run = readRun(dir);
  complexity = await reportComplexity(run, openHiddenLayer({}));
  data = reportData(run, complexity);
});

/** The atoms file read directly: float32 little-endian [epoch][neuron][value]. */
function storedAtoms(layer: AtomsIndex["layers"][number]): Float32Array {
  const bytes = readFileSync(join(dir, layer.file));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

describe("report data", () => {
  it("names the run by its folder and shows no absolute path of this machine", async () => {
    expect(data.header.run).toBe("run");
    const csv = join(root, "blobs.csv");
    const lines = ["a,b,label"];
    for (let n = 0; n < 40; n++) lines.push(`${n % 7},${(n * 3) % 11},${n % 2}`);
    writeFileSync(csv, lines.join("\n"));
    const csvRun = join(root, "csv-run");
    const argv = ["train", "--dataset", `csv:${csv}`, "--hidden", "4", "--epochs", "1"];
    expect(await cli([...argv, "--out", csvRun], { stdout: silent, stderr: silent, env: {} })).toBe(
      0,
    );
    const shown = reportData(readRun(csvRun), complexity);
    expect([shown.header.source, shown.config.data.dataset]).toEqual([
      "../blobs.csv",
      "csv:../blobs.csv",
    ]);
    expect(JSON.stringify(shown)).not.toContain(root);
  });

  it("reads the stored atoms as they are on disk", () => {
    const index = JSON.parse(readFileSync(join(dir, "atoms.json"), "utf8")) as AtomsIndex;
    expect(data.layers.map((l) => [l.name, l.size, l.values, l.epochs])).toEqual([
      ["hidden", 12, 19, 2],
      ["output", 10, 5, 2],
    ]);
    for (const [l, layer] of index.layers.entries()) {
      expect(data.layers[l].atoms, layer.name).toEqual(storedAtoms(layer));
      expect(data.layers[l].names, layer.name).toEqual([...layer.atoms, "H_res"]);
      expect(data.layers[l].aliases, layer.name).toEqual([...layer.aliases, "H_res"]);
    }
    expect(data.layers[0].aliases.slice(0, 2)).toEqual(["(F)(C)(L)", "(F)(C)"]);
  });

  it("has the bands of core's atomTrajectories over the run's atoms file", () => {
    const index = JSON.parse(readFileSync(join(dir, "atoms.json"), "utf8")) as AtomsIndex;
    for (const [l, layer] of index.layers.entries()) {
      const all = storedAtoms(layer);
      const per = layer.size * layer.stride;
      const epochs = [0, 1].map((e) => all.subarray(e * per, (e + 1) * per));
      const want = atomTrajectories(epochs, { values: layer.stride });
      const got = data.layers[l].bands;
      expect(got.median, `${layer.name} median`).toEqual(want.median);
      expect(got.q10, `${layer.name} q10`).toEqual(want.q10);
      expect(got.q90, `${layer.name} q90`).toEqual(want.q90);
      expect(got.mean, `${layer.name} mean`).toEqual(want.mean);
      // the band is a real band: q10 ≤ median ≤ q90 everywhere
      for (let i = 0; i < got.median.length; i++) {
        expect(got.q10[i], `${layer.name} ${i}`).toBeLessThanOrEqual(got.median[i]);
        expect(got.median[i], `${layer.name} ${i}`).toBeLessThanOrEqual(got.q90[i]);
      }
      // what the page extracts for one neuron is core's neuronTrajectory
      const V = layer.stride;
      const mine = Array.from({ length: 2 * V }, (_, k) => {
        const e = Math.floor(k / V);
        return data.layers[l].atoms[(e * layer.size + 3) * V + (k % V)];
      });
      expect(mine).toEqual(Array.from(neuronTrajectory(epochs, 3, { values: V })));
    }
  });

  it("draws receptive fields with core's receptiveField and summarises every source", () => {
    const hidden = data.layers[0];
    expect(hidden.weights.map((s) => [s.name, s.inputs])).toEqual([
      ["F", 784],
      ["C", 10],
      ["L", 12],
    ]);
    const state = run.state as {
      hidden: { parameters: { weights: Float32Array; bias: Float32Array }[] };
    };
    const f = state.hidden.parameters[0];
    const image = hidden.weights[0].image!;
    expect([image.rows, image.cols]).toEqual([28, 28]);
    for (const n of [0, 3, 11]) {
      const want = receptiveField(f, n, { rows: 28, cols: 28 });
      expect(image.rgba.subarray(n * 784 * 4, (n + 1) * 784 * 4), `neuron ${n}`).toEqual(
        new Uint8Array(want.rgba),
      );
      expect(image.scale[n]).toBe(Math.fround(want.scale));
    }
    expect(hidden.weights[0].weights).toBeNull(); // drawn as an image, not embedded twice
    expect(hidden.weights[1].image).toBeNull();
    expect(hidden.weights[1].weights).toEqual(state.hidden.parameters[1].weights);
    expect(hidden.weights[2].summary.norm).toEqual(weightSummary(state.hidden.parameters[2]).norm);
    // the output layer's F weights are over the 12 hidden neurons: bars, not an image
    expect(data.layers[1].weights[0]).toMatchObject({ name: "F", inputs: 12, image: null });
    expect(MAX_BAR_WEIGHTS).toBeGreaterThan(10 * 2000); // output F of 2000 hidden neurons fits
  });

  it("names each layer's goal and its γ", () => {
    expect(data.layers[0].goal?.name).toBe("trivariate-opt1");
    expect(data.layers[0].goal?.gamma).toEqual(namedGoal("trivariate-opt1").gamma);
    expect(data.layers[1].goal?.name).toBe("output-layer");
    expect(data.layers[1].goal?.gamma).toEqual(namedGoal("output-layer").gamma);
  });

  it("has curves, header and the last epoch's confusion matrices from metrics.jsonl", () => {
    const lines = readFileSync(join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const of = (epoch: number, split: string) =>
      lines.find((l) => l.epoch === epoch && l.split === split);
    expect(data.curves.epochs).toEqual([1, 2]);
    expect(data.curves.validation).toEqual([1, 2].map((e) => of(e, "validation").accuracy));
    expect(data.curves.test).toEqual([1, 2].map((e) => of(e, "test").accuracy));
    expect(data.curves.goals.map((g) => g.label)).toEqual(["hidden", "output"]);
    expect(data.curves.goals[1].values).toEqual([1, 2].map((e) => of(e, "train").goals[1]));
    expect(data.confusion).toEqual({
      epoch: 2,
      classes: 10,
      validation: of(2, "validation").confusion,
      test: of(2, "test").confusion,
    });
    expect(data.header).toMatchObject({
      preset: "trivariate",
      dataset: "embedded",
      seed: 1,
      epochs: { completed: 2, target: 2 },
      final: { epoch: 2, validation: of(2, "validation").accuracy },
    });
    const best = [1, 2].reduce((b, e) =>
      of(e, "validation").accuracy > of(b, "validation").accuracy ? e : b,
    );
    expect(data.header.best?.epoch).toBe(best);
  });

  it("carries the hidden layer's representational complexity, C of k neurons in [1, k]", () => {
    expect(data.complexity).toBe(complexity);
    expect(complexity).toMatchObject({ skipped: null, neurons: 12, samples: 1500, layer: null });
    expect(complexity.groups.map((g) => g.size)).toEqual([2, 3, 4]);
    for (const g of complexity.groups) {
      expect(g.mean, `k = ${g.size}`).toBeGreaterThanOrEqual(1);
      expect(g.mean, `k = ${g.size}`).toBeLessThanOrEqual(g.size);
    }
  });

  it("ignores what was written after the last checkpoint, and changes nothing", () => {
    const copy = join(root, "tail");
    const before = readFileSync(join(dir, "metrics.jsonl"));
    appendFileSync(join(dir, "metrics.jsonl"), '{"epoch":3,"split":"train","accuracy":1}\n');
    appendFileSync(join(dir, "atoms-hidden.f32"), new Uint8Array(12 * 19 * 4));
    const again = reportData(readRun(dir), complexity);
    expect(again.curves.epochs).toEqual([1, 2]);
    expect(again.layers[0].epochs).toBe(2);
    expect(readFileSync(join(dir, "metrics.jsonl")).length).toBe(before.length + 41);
    expect(() => readRun(copy)).toThrow(
      `run folder ${copy} does not exist. Give the folder 'infomorph train' printed.`,
    );
    expect(() => readRun(root)).toThrow(
      `${root} holds no config.json, so it is not a run folder. Give the folder 'infomorph train' printed.`,
    );
  });
});
