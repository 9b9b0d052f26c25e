import { describe, expect, it } from "vitest";
import { blobs } from "../../testing/blobs.js";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { InfomorphError } from "../errors.js";
import { trainModel } from "../train/loop.js";
import { createModel } from "./create.js";
import type { InfomorphicNetworkConfig } from "./network.js";
import { presetConfig } from "./presets.js";

const train = blobs(300, 1);
const validation = blobs(120, 2);

function config(evaluation?: InfomorphicNetworkConfig["evaluation"]): InfomorphicNetworkConfig {
  const base = presetConfig("trivariate", { hidden: 8, inputs: 6, classes: 3 });
  if (base.kind !== "infomorphic") throw new Error("not infomorphic");
  return evaluation ? { ...base, evaluation } : base;
}

async function trained(evaluation?: InfomorphicNetworkConfig["evaluation"]) {
  const model = createModel(config(evaluation), 100, naiveKernels(), 3);
  const { records } = await trainModel(
    model,
    { train, validation },
    { epochs: 3, batchSize: 100, seed: 3 },
  );
  const scores = new Float32Array(validation.count * 3);
  model.predict(validation.features, validation.count, scores);
  const state = JSON.stringify(model.state(), (_, v) =>
    ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v,
  );
  return { model, records, scores: Array.from(scores), state };
}

describe("evaluation options", () => {
  it("leave training unchanged; one sample is the papers' protocol; more samples average θ", async () => {
    const plain = await trained();
    const one = await trained({ samples: 1 });
    const five = await trained({ samples: 5 });
    expect(one.scores).toEqual(plain.scores);
    expect(five.records.map((r) => r.train)).toEqual(plain.records.map((r) => r.train));
    expect(five.scores).not.toEqual(plain.scores);
    expect(five.scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    // averaging five samples is less extreme than one: fewer scores at the ends of [0, 1]
    const spread = (xs: number[]) => xs.reduce((a, x) => a + (x - 0.5) ** 2, 0);
    expect(spread(five.scores)).toBeLessThan(spread(plain.scores));
  });

  it("averaged weights: a vanishing decay gives the trained weights exactly; a real one other scores, restored on resume", async () => {
    const plain = await trained();
    const vanishing = await trained({ averageWeights: 1e-12 });
    expect(vanishing.scores).toEqual(plain.scores);
    const averaged = await trained({ averageWeights: 0.9 });
    expect(averaged.records.map((r) => r.train)).toEqual(plain.records.map((r) => r.train));
    expect(averaged.scores).not.toEqual(plain.scores);
    // a fresh model restored from the state predicts the same, average included
    const copy = createModel(config({ averageWeights: 0.9 }), 100, naiveKernels(), 3);
    copy.restore(averaged.model.state());
    const scores = new Float32Array(validation.count * 3);
    copy.predict(validation.features, validation.count, scores);
    expect(Array.from(scores)).toEqual(averaged.scores);
    // predicting left the trained weights in place
    expect(
      JSON.stringify(averaged.model.state(), (_, v) =>
        ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v,
      ),
    ).toBe(averaged.state);
  });

  it("mean hidden outputs make evaluation deterministic: the evaluation seed no longer matters", async () => {
    const { model } = await trained();
    const scoresWith = (evaluation: InfomorphicNetworkConfig["evaluation"], seed: number) => {
      const copy = createModel(config(evaluation), 100, naiveKernels(), seed);
      copy.restore(model.state());
      const scores = new Float32Array(validation.count * 3);
      copy.predict(validation.features, validation.count, scores);
      return Array.from(scores);
    };
    expect(scoresWith({ hidden: "mean" }, 3)).toEqual(scoresWith({ hidden: "mean" }, 99));
    expect(scoresWith({ hidden: "sample" }, 3)).not.toEqual(scoresWith({ hidden: "sample" }, 99));
    expect(scoresWith({ hidden: "sample" }, 3)).not.toEqual(scoresWith({ hidden: "mean" }, 3));
  });

  it("rejects bad options with the field and a fix", () => {
    expect(() => createModel(config({ samples: 0 }), 10, naiveKernels(), 1)).toThrow(
      InfomorphError,
    );
    expect(() => createModel(config({ averageWeights: 1 }), 10, naiveKernels(), 1)).toThrow(
      "evaluation.averageWeights must be a decay per batch between 0 and 1 (got 1). Try 0.998, or leave it out.",
    );
  });
});
