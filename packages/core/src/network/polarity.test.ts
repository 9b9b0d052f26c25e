import { describe, expect, it } from "vitest";
import { blobs } from "../../testing/blobs.js";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { Rng } from "../random/rng.js";
import { evaluate, trainModel } from "../train/loop.js";
import { createModel } from "./create.js";
import { type ModelConfig, presetConfig } from "./presets.js";

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

// Issue 10's check: on balanced two-class data the infomorphic presets stay within a few
// points of backprop in every epoch. What makes the comparison fair and meaningful:
// - the task: two Gaussian classes in 6 dimensions, shifted by ±0.8 along alternate
//   dimensions, so both classes are equally common and the Bayes accuracy is
//   Φ(0.8·√6 / 2) ≈ 0.836. A linear read-out suffices, so every preset compared here can
//   represent the optimum and any gap comes from how its outputs are read, i.e. the
//   polarity decision (with the old "mean θ > ½" rule a read-out fell to 0.13 or 0.47 in
//   some epochs while backprop held 0.87);
// - the schedule: 8000 training samples in batches of 25, 320 steps per epoch, so each
//   learner is near its plateau after the first epoch and an epoch's comparison measures the
//   read-out, not learning speed. Backprop gets lr 1e-2: its preset's 1e-3 (the papers'
//   MNIST setting) needs about ten times as many steps on this task, which would make it the
//   laggard in early epochs for a reason unrelated to the decision under test;
// - the presets: the read-out and the bivariate hidden layers (adaptive binning). The
//   trivariate presets bin raw s over the papers' fixed [−20, 20] range (ARCHITECTURE,
//   quirk 1), which on six standardised features leaves the hidden neurons two or three
//   bins and costs them accuracy for a reason that is not the output decision.
// "A few points" is 5: a wrong polarity costs tens of points (a swapped two-class read-out
// scores 1 − accuracy ≈ 0.16), while the unsupervised bivariate-lateral hidden layer trails
// backprop by up to about 4 points in its first epoch for reasons of its own.
// The epochs run as trainModel runs them (trainBatch, endEpoch, evaluate), without its
// per-batch yield to the event loop.
describe("balanced two-class data: infomorphic presets within a few points of backprop every epoch", () => {
  const opts = { classes: 2, shift: 0.8, balanced: true };
  const train = blobs(8000, 1, opts);
  const validation = blobs(2000, 2, opts);
  const batch = 25;
  const epochs = 4;

  function curve(config: ModelConfig): number[] {
    const model = createModel(config, batch, naiveKernels(), 1);
    const order = new Rng(3).permutation(train.count);
    const x = new Float32Array(batch * train.dim);
    const labels = new Uint8Array(batch);
    const accuracy = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let from = 0; from < train.count; from += batch) {
        for (let i = 0; i < batch; i++) {
          const row = order[from + i];
          x.set(train.features.subarray(row * train.dim, (row + 1) * train.dim), i * train.dim);
          labels[i] = train.labels[row];
        }
        model.trainBatch(x, labels, batch);
      }
      model.endEpoch();
      accuracy.push(evaluate(model, validation).accuracy);
    }
    return accuracy;
  }

  const sizes = { hidden: 12, inputs: 6, classes: 2 };
  const backpropConfig = presetConfig("backprop", sizes);
  const backprop = curve({
    ...backpropConfig,
    optimizer: { lr: 1e-2, weightDecay: 0 },
  } as ModelConfig);

  it("backprop itself learns the task", () => {
    for (const a of backprop) expect(a, `backprop ${backprop.join(", ")}`).toBeGreaterThan(0.8);
  });

  it.each([
    "readout",
    "bivariate-context",
    "bivariate-context-heuristic",
    "bivariate-lateral",
  ] as const)("%s", (preset) => {
    const accuracy = curve(presetConfig(preset, sizes));
    const report = `${preset} ${accuracy.map((a) => a.toFixed(3)).join(", ")}; backprop ${backprop.map((a) => a.toFixed(3)).join(", ")}`;
    for (let e = 0; e < epochs; e++) {
      expect(Math.abs(accuracy[e] - backprop[e]), `epoch ${e + 1}: ${report}`).toBeLessThanOrEqual(
        0.05,
      );
    }
  });
});
