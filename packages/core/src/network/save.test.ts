import { describe, expect, it } from "vitest";
import { blobs } from "../../testing/blobs.js";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { createWasmKernels } from "../kernels/wasm/loader.js";
import { evaluate, trainModel } from "../train/loop.js";
import { type Network, createModel } from "./create.js";
import { presetConfig } from "./presets.js";
import { type SavedModel, loadModel, saveModel } from "./save.js";

const train = blobs(600, 1);
const validation = blobs(300, 2);

/** Bit patterns of every score, so −0, NaN and the last ulp all count. */
function scoreBits(model: Network): Uint32Array {
  const scores = new Float32Array(validation.count * model.classes);
  model.predict(validation.features, validation.count, scores);
  return new Uint32Array(scores.buffer);
}

function stateText(model: Network): string {
  return JSON.stringify(saveModel(model).state);
}

describe("saveModel / loadModel", () => {
  it.each(["trivariate", "bivariate-lateral", "readout", "backprop"] as const)(
    "%s: a reloaded model predicts the same bits and trains on to the same bits",
    async (preset) => {
      const kernels = naiveKernels();
      const config = presetConfig(preset, { hidden: 10, inputs: 6, classes: 3 });
      const model = createModel(config, 100, kernels, 7);
      await trainModel(model, { train, validation }, { epochs: 2, batchSize: 100, seed: 3 });
      const text = JSON.stringify(saveModel(model));
      const loaded = await loadModel(text, { kernels: naiveKernels() });
      expect(loaded.seed).toBe(7);
      expect(loaded.capacity).toBe(100);
      expect(loaded.config).toEqual(model.config);
      expect(scoreBits(loaded)).toEqual(scoreBits(model));
      // the training stream, Adam's moments and the flips came along: one more epoch agrees
      for (const m of [model, loaded]) {
        await trainModel(
          m,
          { train, validation },
          { epochs: 3, startEpoch: 2, batchSize: 100, seed: 3 },
        );
      }
      expect(stateText(loaded)).toBe(stateText(model));
      expect(scoreBits(loaded)).toEqual(scoreBits(model));
    },
  );

  it("is bit-identical on the WebAssembly kernels too, and keeps the last epoch's atoms", async () => {
    const config = presetConfig("trivariate", { hidden: 12, inputs: 6, classes: 3 });
    const model = createModel(config, 128, await createWasmKernels(), 2);
    await trainModel(model, { train, validation }, { epochs: 2, batchSize: 128, seed: 1 });
    const loaded = await loadModel(JSON.parse(JSON.stringify(saveModel(model))) as SavedModel, {
      kernels: await createWasmKernels(),
    });
    expect(scoreBits(loaded)).toEqual(scoreBits(model));
    expect(evaluate(loaded, validation).accuracy).toBe(evaluate(model, validation).accuracy);
    expect(loaded.atoms("hidden").values).toEqual(model.atoms("hidden").values);
    expect(loaded.atoms("hidden").values.some((v) => v !== 0)).toBe(true);
  });

  it("saves the goal setGoal set", async () => {
    const config = presetConfig("bivariate-context", { hidden: 4, inputs: 6, classes: 3 });
    const model = createModel(config, 50, naiveKernels(), 1);
    model.setGoal("hidden", "(F)(C)=1, (F)=-0.5");
    const loaded = await loadModel(saveModel(model), { kernels: naiveKernels() });
    expect(loaded.kind === "infomorphic" && loaded.hidden?.gamma).toEqual(
      Float64Array.of(-0.5, 0, 1, 0, 0),
    );
  });

  it("uses the default kernels (WebAssembly here) when none are given", async () => {
    const config = presetConfig("readout", { inputs: 6, classes: 3 });
    const model = createModel(config, 10, await createWasmKernels(), 1);
    const loaded = await loadModel(saveModel(model));
    expect(scoreBits(loaded)).toEqual(scoreBits(model));
  });
});

describe("loadModel refuses what it cannot load, before building anything", () => {
  const model = createModel(
    presetConfig("trivariate", { hidden: 5, inputs: 6, classes: 3 }),
    10,
    naiveKernels(),
    1,
  );
  const saved = JSON.parse(JSON.stringify(saveModel(model))) as Record<string, unknown>;
  const kernels = naiveKernels();

  it.each([
    ["not JSON", "{", "model-file/bad-json", ["data"]],
    ["not an object", "[1]", "argument/not-object", ["data"]],
    [
      "another format",
      { ...saved, format: "checkpoint" },
      "model-file/not-a-model",
      ["data", "format"],
    ],
    [
      "a newer version",
      { ...saved, version: 2 },
      "model-file/unsupported-version",
      ["data", "version"],
    ],
    ["no state", { ...saved, state: undefined }, "model-file/missing", ["data", "state"]],
    [
      "a config typo",
      {
        ...saved,
        config: {
          ...(saved.config as object),
          hidden: { ...(saved.config as { hidden: object }).hidden, context: "labels" },
        },
      },
      "argument/not-allowed",
      ["config", "hidden", "context"],
    ],
    ["a bad seed", { ...saved, seed: -1 }, "argument/out-of-range", ["seed"]],
  ])("%s", async (_, data, code, path) => {
    const text = typeof data === "string" ? data : JSON.stringify(data);
    await expect(loadModel(text, { kernels })).rejects.toMatchObject({
      name: "InfomorphError",
      code,
      path,
    });
  });

  it("a state of another size, naming the entry", async () => {
    const other = createModel(
      presetConfig("trivariate", { hidden: 6, inputs: 6, classes: 3 }),
      10,
      naiveKernels(),
      1,
    );
    const data = { ...saved, state: saveModel(other).state };
    await expect(loadModel(JSON.stringify(data), { kernels })).rejects.toMatchObject({
      code: "state/mismatch",
      path: ["state", "hidden", "parameters", 0, "weights"],
      message:
        "state.hidden.parameters[0].weights should be a Float32Array of 30 entries but is a Float32Array of 36 entries. Restore a state saved from a model with the same config, or save with saveModel() and load with loadModel(), which rebuilds the model from its saved config.",
    });
  });
});
