import { describe, expect, it } from "vitest";
import { blobs } from "../../testing/blobs.js";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { trainModel } from "../train/loop.js";
import { createModel } from "./create.js";
import { presetConfig } from "./presets.js";

// Two balanced classes make every output neuron fire about half the time, so "mean θ > ½"
// cannot tell a neuron's polarity; agreement with its class can.
describe("output polarity on balanced two-class data", () => {
  const opts = { classes: 2, shift: 0.8, balanced: true };
  const train = blobs(2000, 1, opts);
  const validation = blobs(1000, 2, opts);

  it.each(["readout", "bivariate-context"] as const)(
    "%s never drops to or below chance once learning has begun",
    async (preset) => {
      const config = presetConfig(preset, { hidden: 12, inputs: 6, classes: 2 });
      const model = createModel(config, 200, naiveKernels(), 1);
      const { records } = await trainModel(
        model,
        { train, validation },
        { epochs: 15, batchSize: 200, seed: 1 },
      );
      const accuracy = records.map((r) => r.validation.accuracy);
      for (let e = 1; e < accuracy.length; e++) {
        expect(accuracy[e], `${preset} epoch ${e + 1} of ${accuracy.join(", ")}`).toBeGreaterThan(
          0.52,
        );
        // a wrong polarity would swap the classes: accuracy falls far below the epoch before
        expect(accuracy[e], `${preset} epoch ${e + 1}`).toBeGreaterThan(accuracy[e - 1] - 0.05);
      }
      // the Bayes accuracy of this task is Φ(0.8·√6 / 2) ≈ 0.835
      expect(accuracy[accuracy.length - 1]).toBeGreaterThan(0.77);
    },
  );
});
