import { describe, expect, it } from "vitest";
import { blobs } from "../../testing/blobs.js";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { evaluate, trainModel } from "../train/loop.js";
import { PRESET_NAMES, createModel, presetConfig } from "./presets.js";

describe("presets on a small synthetic task", () => {
  const train = blobs(600, 1);
  const validation = blobs(300, 2);

  // backprop-reference needs more epochs here (backprop-reference.test.ts says why).
  const quick = PRESET_NAMES.filter((p) => p !== "backprop-reference");
  it.each(quick)("%s learns well above chance (1/3)", async (preset) => {
    const config = presetConfig(preset, { hidden: 12, inputs: 6, classes: 3 });
    const model = createModel(config, 100, naiveKernels(), 1);
    const { records } = await trainModel(
      model,
      { train, validation },
      { epochs: 30, batchSize: 100, seed: 1 },
    );
    const last = records[records.length - 1];
    expect(last.validation.accuracy, `${preset} validation accuracy`).toBeGreaterThan(0.7);
    expect(last.validation.confusion.reduce((a, b) => a + b, 0)).toBe(300);
  });

  it("gives bit-identical results for the same seed", async () => {
    const run = async () => {
      const model = createModel(
        presetConfig("trivariate", { hidden: 8, inputs: 6, classes: 3 }),
        100,
        naiveKernels(),
        4,
      );
      const { records } = await trainModel(
        model,
        { train, validation },
        { epochs: 2, batchSize: 100, seed: 4 },
      );
      return {
        state: JSON.stringify(model.state(), (_, v) =>
          ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v,
        ),
        acc: records.map((r) => r.validation.accuracy),
      };
    };
    expect(await run()).toEqual(await run());
  });

  it("resumes at an epoch boundary exactly as an uninterrupted run", async () => {
    const config = presetConfig("trivariate-sparse", { hidden: 8, inputs: 6, classes: 3 });
    const full = createModel(config, 100, naiveKernels(), 9);
    await trainModel(full, { train, validation }, { epochs: 3, batchSize: 100, seed: 9 });
    const first = createModel(config, 100, naiveKernels(), 9);
    await trainModel(first, { train, validation }, { epochs: 1, batchSize: 100, seed: 9 });
    const saved = structuredClone(first.state());
    const resumed = createModel(config, 100, naiveKernels(), 9);
    resumed.restore(saved);
    await trainModel(
      resumed,
      { train, validation },
      { epochs: 3, batchSize: 100, seed: 9, startEpoch: 1 },
    );
    expect(evaluate(resumed, validation)).toEqual(evaluate(full, validation));
    expect(structuredClone(resumed.state())).toEqual(structuredClone(full.state()));
  });
});
