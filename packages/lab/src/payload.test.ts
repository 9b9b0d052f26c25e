import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { namedGoal, weightSummary } from "@infomorph/core";
import {
  type AtomsIndex,
  type RunContents,
  decodeState,
  encodeState,
  readRun,
} from "@infomorph/runs";
import { run as cli } from "infomorph";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_SENT_WEIGHTS, type RunPayload, runPayload, stateWeights } from "./payload.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-payload-"));
const dir = join(root, "run");
const silent = { write: () => true };

let run: RunContents;
let payload: RunPayload;

beforeAll(async () => {
  const argv = [
    "train",
    "--hidden",
    "12",
    "--epochs",
    "2",
    "--batch-size",
    "256",
    "--train-samples",
    "1024",
    "--threads",
    "1",
  ];
  expect(await cli([...argv, "--out", dir], { stdout: silent, stderr: silent, env: {} })).toBe(0);
  run = readRun(dir);
  payload = runPayload(run, "run", null);
});

/** The atoms file read directly: float32 little-endian [epoch][neuron][value]. */
function storedAtoms(file: string): Float32Array {
  const bytes = readFileSync(join(dir, file));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

describe("a run's payload for the page", () => {
  it("holds every neuron's atoms per epoch as stored on disk", () => {
    const index = JSON.parse(readFileSync(join(dir, "atoms.json"), "utf8")) as AtomsIndex;
    expect(payload.layers.map((l) => [l.name, l.size, l.stride, l.epochs])).toEqual([
      ["hidden", 12, 19, 2],
      ["output", 10, 5, 2],
    ]);
    for (const [l, layer] of index.layers.entries()) {
      expect(payload.layers[l].values, layer.name).toEqual(storedAtoms(layer.file));
      expect(payload.layers[l].atoms, layer.name).toEqual(layer.atoms);
      expect(payload.layers[l].aliases, layer.name).toEqual(layer.aliases);
    }
    expect(payload.metrics).toEqual(run.metrics);
    expect(payload).toMatchObject({ name: "run", epoch: 2, complexity: null, live: null });
  });

  it("shows data paths relative to the run folder, no absolute path of this machine", async () => {
    const csv = join(root, "blobs.csv");
    const lines = ["a,b,label"];
    for (let n = 0; n < 40; n++) lines.push(`${n % 7},${(n * 3) % 11},${n % 2}`);
    writeFileSync(csv, lines.join("\n"));
    const csvRun = join(root, "csv-run");
    const argv = ["train", "--dataset", `csv:${csv}`, "--hidden", "4", "--epochs", "1"];
    const io = { stdout: silent, stderr: silent, env: {} };
    expect(await cli([...argv, "--out", csvRun], io)).toBe(0);
    const shown = runPayload(readRun(csvRun), "csv-run", null);
    expect([shown.config.data.source, shown.config.data.dataset]).toEqual([
      "../blobs.csv",
      "csv:../blobs.csv",
    ]);
    expect(JSON.stringify(encodeState(shown))).not.toContain(root);
    // config.json keeps the real path
    expect(readRun(csvRun).config.data.dataset).toBe(`csv:${csv}`);
  });

  it("names each layer's goal and its γ", () => {
    expect(payload.layers[0].goal).toEqual({
      name: "trivariate-opt1",
      gamma: namedGoal("trivariate-opt1").gamma,
    });
    expect(payload.layers[1].goal).toEqual({
      name: "output-layer",
      gamma: namedGoal("output-layer").gamma,
    });
  });

  it("carries the checkpoint's weights per source with core's weightSummary", () => {
    const state = run.state as {
      hidden: { parameters: { weights: Float32Array; bias: Float32Array }[] };
    };
    const hidden = payload.layers[0].weights;
    expect(hidden.map((s) => [s.name, s.inputs])).toEqual([
      ["F", 784],
      ["C", 10],
      ["L", 12],
    ]);
    hidden.forEach((source, j) => {
      const saved = state.hidden.parameters[j];
      expect(source.weights, source.name).toEqual(saved.weights);
      expect(source.bias, source.name).toEqual(saved.bias);
      expect(source.summary.norm, source.name).toEqual(weightSummary(saved).norm);
      expect(source.summary.positiveFraction, source.name).toEqual(
        weightSummary(saved).positiveFraction,
      );
    });
    expect(payload.layers[1].weights.map((s) => [s.name, s.inputs])).toEqual([
      ["F", 12],
      ["C", 10],
    ]);
  });

  it("sends only the summary of a source with more than MAX_SENT_WEIGHTS weights", () => {
    const neurons = 2000;
    const inputs = Math.ceil(MAX_SENT_WEIGHTS / neurons) + 1;
    const big = {
      weights: new Float32Array(neurons * inputs).fill(0.5),
      bias: new Float32Array(neurons),
    };
    const small = {
      weights: new Float32Array(neurons * 10).fill(-1),
      bias: new Float32Array(neurons),
    };
    const [sent] = Object.values(
      stateWeights([{ name: "hidden", sources: ["L", "C"] }], {
        hidden: { parameters: [big, small] },
      }),
    );
    expect(sent[0]).toMatchObject({ name: "L", inputs, weights: null });
    expect(sent[0].summary.mean[0]).toBeCloseTo(0.5, 12);
    expect(sent[1].weights).toEqual(small.weights);
  });

  it("survives the JSON it travels in, typed arrays included", () => {
    const back = decodeState(JSON.parse(JSON.stringify(encodeState(payload)))) as RunPayload;
    expect(back).toEqual(payload);
    expect(back.layers[0].values).toBeInstanceOf(Float32Array);
  });

  it("leaves out what was written after the checkpoint", () => {
    appendFileSync(
      join(dir, "metrics.jsonl"),
      '{"epoch":3,"split":"train","accuracy":1,"seconds":{"train":1,"evaluate":1}}\n',
    );
    appendFileSync(join(dir, "atoms-hidden.f32"), new Uint8Array(12 * 19 * 4));
    const again = runPayload(readRun(dir), "run", null);
    expect(again.metrics).toEqual(payload.metrics);
    expect(again.layers[0].epochs).toBe(2);
  });
});
