import { describe, expect, it } from "vitest";
import { blobs } from "../../testing/blobs.js";
import { naiveKernels } from "../../testing/naive-kernels.js";
import type { InfomorphicLayer } from "../neuron/layer.js";
import { trainModel } from "../train/loop.js";
import { createModel } from "./create.js";
import type { InfomorphicNetwork } from "./network.js";
import { presetConfig } from "./presets.js";

/**
 * Records, on a layer, a copy of what each project() call of source `source` was given and
 * of what learn() was given for it, at the time of the call.
 */
function spyOnSource(layer: InfomorphicLayer, source: number) {
  const projected: (number[] | null)[] = [];
  const learned: (number[] | null)[] = [];
  const project = layer.project.bind(layer);
  const learn = layer.learn.bind(layer);
  layer.project = (j, x, count) => {
    if (j === source) projected.push(x ? Array.from(x.subarray(0, count * layer.size)) : null);
    project(j, x, count);
  };
  layer.learn = (inputs, count) => {
    const x = inputs[source];
    learned.push(x ? Array.from(x.subarray(0, count * layer.size)) : null);
    return learn(inputs, count);
  };
  return { projected, learned };
}

describe("lateral input of a recurrent hidden layer", () => {
  it.each(["trivariate", "bivariate-lateral"])(
    "%s learns with the L input its last pass was given (the previous pass's samples), not the samples of that pass",
    (preset) => {
      const config = presetConfig(preset, { hidden: 8, inputs: 6, classes: 3 });
      const net = createModel(config, 50, naiveKernels(), 2) as InfomorphicNetwork;
      const hidden = net.hidden!;
      const iL = hidden.config.sources.findIndex((s) => s.name === "L");
      const { projected, learned } = spyOnSource(hidden, iL);
      const data = blobs(50, 3);
      net.trainBatch(data.features, data.labels, 50);
      // pass 1: L = 0 (null); pass 2: L = pass 1's samples
      expect(projected).toHaveLength(2);
      expect(projected[0]).toBeNull();
      expect(learned).toHaveLength(1);
      expect(learned[0]).toEqual(projected[1]);
      // the last pass's own samples differ from its input: the check above can fail
      expect(Array.from(hidden.samples.subarray(0, 50 * 8))).not.toEqual(projected[1]);
    },
  );

  it("gives every layer of a stack the inputs of its last pass, F = the samples of the layer below", () => {
    const config = presetConfig("trivariate-two-layers", { hidden: 16, inputs: 6, classes: 3 });
    const net = createModel(config, 40, naiveKernels(), 3) as InfomorphicNetwork;
    expect(net.stacked).toHaveLength(1);
    const [upper] = net.stacked;
    const lateral = spyOnSource(upper, 2);
    const feedForward = spyOnSource(upper, 0);
    const data = blobs(40, 4);
    net.trainBatch(data.features, data.labels, 40);
    const passes = config.kind === "infomorphic" ? config.hidden!.passes : 0;
    expect(feedForward.projected).toHaveLength(passes);
    expect(lateral.projected).toHaveLength(passes);
    expect(feedForward.learned[0]).toEqual(feedForward.projected[passes - 1]);
    expect(feedForward.learned[0]).toEqual(Array.from(net.hidden!.samples.subarray(0, 40 * 8)));
    expect(lateral.learned[0]).toEqual(lateral.projected[passes - 1]);
    expect(lateral.projected[passes - 1]).not.toEqual(
      Array.from(upper.samples.subarray(0, 40 * 8)),
    );
  });

  it("trains a two-layer stack well above chance, and reports atoms for both hidden layers", async () => {
    const config = presetConfig("trivariate-two-layers", { hidden: 24, inputs: 6, classes: 3 });
    const net = createModel(config, 100, naiveKernels(), 1) as InfomorphicNetwork;
    const { records } = await trainModel(
      net,
      { train: blobs(600, 1), validation: blobs(300, 2) },
      { epochs: 20, batchSize: 100, seed: 1 },
    );
    const last = records[records.length - 1];
    expect(last.validation.accuracy).toBeGreaterThan(0.7);
    expect(last.train.goals).toHaveLength(3);
    expect(net.endEpoch().layers.map((l) => [l.name, l.size])).toEqual([
      ["hidden", 12],
      ["hidden2", 12],
      ["output", 3],
    ]);
  });
});
