import { describe, expect, it } from "vitest";
import { blobs } from "../../testing/blobs.js";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { InfomorphError } from "../errors.js";
import { Rng } from "../random/rng.js";
import { trainModel } from "../train/loop.js";
import { ReferenceBackpropNetwork } from "./backprop-reference.js";
import { createModel } from "./create.js";
import { presetConfig } from "./presets.js";

const INPUTS = 5;
const CLASSES = 3;
const HIDDEN = 4;
const COUNT = 6;

function batch(seed: number) {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: COUNT * INPUTS }, () => 2 * rng.uniform() - 1);
  const labels = Uint8Array.from({ length: COUNT }, (_, i) => i % CLASSES);
  return { x, labels };
}

function network(sample: boolean) {
  const config = presetConfig("backprop-reference", {
    hidden: HIDDEN,
    inputs: INPUTS,
    classes: CLASSES,
  });
  if (config.kind !== "backprop") throw new Error("not a backprop config");
  return new ReferenceBackpropNetwork(config, COUNT, naiveKernels(), 3, { sample });
}

describe("ReferenceBackpropNetwork", () => {
  it("computes the gradient of its mean-field loss (through both passes, label and lateral sources) as finite differences do", () => {
    const net = network(false);
    const { x, labels } = batch(7);
    // Larger weights than the initial ones, so that every source and the lateral pass matter.
    const state = net.state();
    const rng = new Rng(11);
    for (const layer of state.layers) {
      for (let e = 0; e < layer.weights.length; e++)
        if (layer.weights[e] !== 0) layer.weights[e] = 2 * (2 * rng.uniform() - 1);
      for (let e = 0; e < layer.bias.length; e++) layer.bias[e] = 2 * rng.uniform() - 1;
    }
    net.restore(state);
    net.computeGradients(x, labels, COUNT);
    const analytic = net.gradients().map((g) => Float64Array.from(g));
    const lossAt = (layer: number, which: "weights" | "bias", e: number, h: number): number => {
      const moved = net.state();
      moved.layers[layer][which][e] += h;
      net.restore(moved);
      const { loss } = net.computeGradients(x, labels, COUNT);
      net.restore(state);
      return loss;
    };
    let checked = 0;
    for (let layer = 0; layer < 4; layer++) {
      for (const which of ["weights", "bias"] as const) {
        const g = analytic[2 * layer + (which === "bias" ? 1 : 0)];
        for (let e = 0; e < g.length; e++) {
          // the lateral source's diagonal is masked: its gradient must be exactly 0
          if (layer === 2 && which === "weights" && e % (HIDDEN + 1) === 0) {
            expect(g[e]).toBe(0);
            continue;
          }
          const h = 1e-2;
          const numeric = (lossAt(layer, which, e, h) - lossAt(layer, which, e, -h)) / (2 * h);
          expect(Math.abs(g[e] - numeric), `layer ${layer} ${which}[${e}]`).toBeLessThan(
            2e-3 * Math.max(1e-2, Math.abs(numeric)) + 2e-5,
          );
          checked++;
        }
      }
    }
    // F 4×5+4, C 4×3+4, L 4×4−4+4, output 3×4+3
    expect(checked).toBe(24 + 16 + 16 + 15);
    // the label and lateral sources get gradient (they feed the hidden layer in training)
    expect(analytic[2].some((g) => Math.abs(g) > 1e-4)).toBe(true);
    expect(analytic[4].some((g) => Math.abs(g) > 1e-4)).toBe(true);
  });

  it("never sees the label in evaluation: predictions do not depend on it and do not change training", () => {
    const net = network(true);
    const { x } = batch(5);
    const a = new Float32Array(COUNT * CLASSES);
    const b = new Float32Array(COUNT * CLASSES);
    net.predict(x, COUNT, a);
    net.trainBatch(x, Uint8Array.from([0, 1, 2, 0, 1, 2]), COUNT);
    const after = net.state();
    net.predict(x, COUNT, b);
    expect(JSON.stringify(net.state().rng)).toBe(JSON.stringify(after.rng));
    // same seed, same state: the same scores twice
    const c = new Float32Array(COUNT * CLASSES);
    net.predict(x, COUNT, c);
    expect(Array.from(c)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it("learns a small task, after first leaning on the label it sees only in training", async () => {
    const train = blobs(600, 1);
    const validation = blobs(300, 2);
    const accuracies = async (epochs: number) => {
      const config = presetConfig("backprop-reference", { hidden: 12, inputs: 6, classes: 3 });
      const { records } = await trainModel(
        createModel(config, 100, naiveKernels(), 1),
        { train, validation },
        { epochs, batchSize: 100, seed: 1 },
      );
      const last = records[records.length - 1];
      return { train: last.train.accuracy, validation: last.validation.accuracy };
    };
    // 30 epochs: right in training (label present), near chance without the label
    const early = await accuracies(30);
    expect(early.train - early.validation).toBeGreaterThan(0.3);
    const late = await accuracies(100);
    expect(late.validation).toBeGreaterThan(0.85);
  });

  it("rejects a config without hidden units with a message naming the fix", () => {
    expect(
      () =>
        new ReferenceBackpropNetwork(
          {
            kind: "backprop",
            variant: "reference",
            inputs: 2,
            classes: 2,
            hidden: 0,
            optimizer: { lr: 1e-3, weightDecay: 0 },
          },
          4,
          naiveKernels(),
          1,
        ),
    ).toThrow(InfomorphError);
  });
});
