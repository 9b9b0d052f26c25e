import { describe, expect, it } from "vitest";
import { blobs } from "../../testing/blobs.js";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { Rng } from "../random/rng.js";
import { type LabelledData, trainModel } from "../train/loop.js";
import { createModel } from "./create.js";
import type { InfomorphicNetwork } from "./network.js";
import { presetConfig } from "./presets.js";

const HIDDEN = 8;
const CAPACITY = 100;
const train = blobs(400, 1);
const validation = blobs(250, 2);

/** A trivariate network (label context C, lateral L, 2 passes) after 3 epochs, and its state. */
async function trained(): Promise<{ net: InfomorphicNetwork; state: unknown }> {
  const config = presetConfig("trivariate", { hidden: HIDDEN, inputs: 6, classes: 3 });
  const net = createModel(config, CAPACITY, naiveKernels(), 5) as InfomorphicNetwork;
  await trainModel(net, { train, validation }, { epochs: 3, batchSize: CAPACITY, seed: 5 });
  return { net, state: structuredClone(net.state()) };
}

function samplesOf(net: InfomorphicNetwork, data: LabelledData, count = data.count): Int8Array {
  const out = new Int8Array(count * HIDDEN);
  net.hiddenSamples(data.features, count, out);
  return out;
}

describe("InfomorphicNetwork.hiddenSamples", () => {
  it("gives the same ±1 samples on every call, in chunks of the capacity, without changing training", async () => {
    const { net, state } = await trained();
    const first = samplesOf(net, validation);
    expect(new Set(first)).toEqual(new Set([-1, 1]));
    expect(samplesOf(net, validation)).toEqual(first);
    // 250 samples run as chunks of 100, 100, 50; the first chunk alone draws the same
    expect(samplesOf(net, validation, CAPACITY)).toEqual(first.subarray(0, CAPACITY * HIDDEN));
    expect(structuredClone(net.state())).toEqual(state);
    // the samples depend on the input: not every sample fires the same pattern
    const patterns = new Set(
      Array.from({ length: validation.count }, (_, i) =>
        first.subarray(i * HIDDEN, (i + 1) * HIDDEN).join(","),
      ),
    );
    expect(patterns.size).toBeGreaterThan(10);
  });

  it("never sees the label: neither the last training batch's labels nor the C weights change it", async () => {
    const { net, state } = await trained();
    const want = samplesOf(net, validation);
    // a training step leaves its one-hot labels behind; restoring the weights must leave
    // samples that do not depend on which labels that step saw
    for (const label of [0, 1, 2]) {
      net.trainBatch(train.features, new Uint8Array(CAPACITY).fill(label), CAPACITY);
      net.restore(structuredClone(state));
      expect(samplesOf(net, validation), `after a batch labelled ${label}`).toEqual(want);
    }
    // label context is zeroed, so the C weights (not their bias) cannot matter
    const changed = structuredClone(state) as {
      hidden: { parameters: { weights: Float32Array }[] };
    };
    const c = changed.hidden.parameters[1].weights;
    const rng = new Rng(11);
    for (let i = 0; i < c.length; i++) c[i] = 50 * rng.normal();
    net.restore(changed);
    expect(samplesOf(net, validation)).toEqual(want);
  });

  it("asks for room for every sample and a hidden layer", async () => {
    const { net } = await trained();
    expect(() => net.hiddenSamples(validation.features, 10, new Int8Array(79))).toThrow(
      "out has 79 entries but count × hidden neurons = 10 × 8 needs at least 80. Allocate new Int8Array(80).",
    );
    const config = presetConfig("readout", { hidden: HIDDEN, inputs: 6, classes: 3 });
    const readout = createModel(config, CAPACITY, naiveKernels(), 5) as InfomorphicNetwork;
    expect(() => readout.hiddenSamples(validation.features, 10, new Int8Array(80))).toThrow(
      "this network has no hidden layer (read-out only), so it has no hidden samples. Configure model.hidden to get some.",
    );
  });
});
