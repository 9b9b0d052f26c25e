import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { atomTrajectories, neuronTrajectory } from "@infomorph/core";
import { type RunContents, encodeState, readRun } from "@infomorph/runs";
import { run as cli } from "infomorph";
import { beforeAll, describe, expect, it } from "vitest";
import { runPayload } from "../../../src/payload.js";
import { RunData } from "./run-data.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-run-data-"));
const dir = join(root, "run");
const silent = { write: () => true };
let run: RunContents;

beforeAll(async () => {
  const argv = [
    "train",
    "--hidden",
    "8",
    "--epochs",
    "3",
    "--batch-size",
    "256",
    "--train-samples",
    "768",
    "--threads",
    "1",
  ];
  expect(await cli([...argv, "--out", dir], { stdout: silent, stderr: silent, env: {} })).toBe(0);
  run = readRun(dir);
});

/** The payload as the page gets it: encoded, through JSON, decoded. */
function fromJson(epochs = 3): RunData {
  const partial = {
    ...run,
    layers: run.layers.map((l) => ({ ...l, epochs: l.epochs.slice(0, epochs) })),
  };
  return RunData.decode(JSON.parse(JSON.stringify(encodeState(runPayload(partial, "run", null)))));
}

describe("a run as the page holds it", () => {
  it("has the learning curves of metrics.jsonl", () => {
    const data = fromJson();
    const of = (epoch: number, split: string) =>
      run.metrics.find((l) => l.epoch === epoch && l.split === split);
    const c = data.curves();
    expect(c.epochs).toEqual([1, 2, 3]);
    expect(c.validation).toEqual([1, 2, 3].map((e) => of(e, "validation")?.accuracy));
    expect(c.test).toEqual([1, 2, 3].map((e) => of(e, "test")?.accuracy));
    expect(c.goals.map((g) => g.label)).toEqual(["hidden", "output"]);
    expect(c.goals[1].values).toEqual([1, 2, 3].map((e) => of(e, "train")?.goals?.[1]));
    expect(data.lastEpoch()?.lines.validation?.confusion).toEqual(of(3, "validation")?.confusion);
  });

  it("keeps the last line of an epoch and split that a resumed run repeated", () => {
    const data = fromJson();
    const repeated = { ...run.metrics[1], accuracy: 0.123 };
    data.addMetrics([repeated]);
    expect(data.curves().validation[0]).toBe(0.123);
    expect(data.curves().epochs).toEqual([1, 2, 3]);
  });

  it("has core's atom bands, also when epochs arrive one by one while a run trains", () => {
    const whole = fromJson(3);
    const live = fromJson(1);
    for (const [l, layer] of live.layers.entries()) layer.addEpochs(run.layers[l].epochs.slice(1));
    for (const [l, layer] of run.layers.entries()) {
      const want = atomTrajectories(layer.epochs, { values: layer.stride });
      for (const data of [whole, live]) {
        const got = data.layers[l].bands;
        expect(got.median, layer.name).toEqual(want.median);
        expect(got.q10, layer.name).toEqual(want.q10);
        expect(got.q90, layer.name).toEqual(want.q90);
        expect(got.mean, layer.name).toEqual(want.mean);
      }
      expect(Array.from(whole.layers[l].neuron(5))).toEqual(
        Array.from(neuronTrajectory(layer.epochs, 5, { values: layer.stride })),
      );
    }
  });

  it("knows each atom's class", () => {
    const [hidden, output] = fromJson().layers;
    expect(hidden.classes.filter((c) => c === "redundant")).toHaveLength(11);
    expect(output.classes).toEqual(["unique", "unique", "redundant", "synergistic"]);
  });
});
