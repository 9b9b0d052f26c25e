import { describe, expect, it } from "vitest";
import { blobs } from "../../testing/blobs.js";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { parseGoal } from "../goals/spec.js";
import { trainModel } from "../train/loop.js";
import { createModel } from "./create.js";
import type { InfomorphicNetwork, InfomorphicNetworkConfig } from "./network.js";
import { presetConfig } from "./presets.js";
import { saveModel } from "./save.js";

const train = blobs(600, 1);
const validation = blobs(200, 2);
const opts = { hidden: 10, inputs: 6, classes: 3 };

function trivariate(seed = 4): InfomorphicNetwork {
  return createModel(
    presetConfig("trivariate", opts),
    100,
    naiveKernels(),
    seed,
  ) as InfomorphicNetwork;
}

function state(model: InfomorphicNetwork): string {
  return JSON.stringify(saveModel(model).state);
}

/** One training batch of the first 100 training samples. */
function batch(model: InfomorphicNetwork): void {
  model.trainBatch(train.features.slice(0, 600), train.labels.slice(0, 100), 100);
}

describe("setGoal on a live model", () => {
  it("changes the goal the estimator uses, from the next batch on", async () => {
    const model = trivariate();
    const sources = { sources: 3, classNames: ["F", "C", "L"] };
    expect(model.hidden?.gamma).toEqual(parseGoal("trivariate-opt1", sources).gamma);
    model.setGoal("hidden", "(F)(C)=1, (F)(L)=-1");
    expect(model.hidden?.gamma).toEqual(parseGoal("(F)(C)=1, (F)(L)=-1", sources).gamma);
    model.setGoal("output", { "(F)(C)": 1 });
    expect(model.output.gamma).toEqual(Float64Array.of(0, 0, 1, 0, 0));
    // the config says which goal is used now, as config.json would
    expect(model.config.hidden?.goal).toEqual({ "{1}{2}": 1, "{1}{3}": -1 });
    expect(model.config.output.goal).toEqual({ "{1}{2}": 1 });
  });

  it("trains exactly as a model built with that goal", () => {
    // a model whose goal is set live and one built with the goal in its config, from the
    // same weights and streams, take the same bits after the next batch
    const live = trivariate();
    batch(live);
    const goal = "(F)(C)=1, (F)(L)=-1, (FC)(FL)=-0.5";
    const config = presetConfig("trivariate", opts) as InfomorphicNetworkConfig;
    const built = createModel(
      { ...config, hidden: config.hidden && { ...config.hidden, goal } },
      100,
      naiveKernels(),
      4,
    ) as InfomorphicNetwork;
    built.restore(live.state());
    const unchanged = trivariate();
    unchanged.restore(live.state());
    live.setGoal("hidden", goal);
    for (const m of [live, built, unchanged]) batch(m);
    expect(state(live)).toBe(state(built));
    expect(state(live)).not.toBe(state(unchanged));
  });

  it("moves the atoms the goal rewards", async () => {
    // Two copies of one trained network: one rewards the hidden layer's redundancy with the
    // label (F)(C), the other punishes it; after a few epochs the first carries more of it.
    const make = () =>
      createModel(
        presetConfig("bivariate-context", opts),
        100,
        naiveKernels(),
        4,
      ) as InfomorphicNetwork;
    const base = make();
    await trainModel(base, { train, validation }, { epochs: 1, batchSize: 100, seed: 1 });
    const redundancy = [];
    for (const weight of [1, -1]) {
      const model = make();
      model.restore(base.state());
      model.setGoal("hidden", `(F)(C)=${weight}`);
      await trainModel(
        model,
        { train, validation },
        { epochs: 20, startEpoch: 1, batchSize: 50, seed: 1 },
      );
      const atoms = model.atoms("hidden").atom("(F)(C)");
      redundancy.push(atoms.reduce((a, b) => a + b, 0) / atoms.length);
    }
    expect(redundancy[0], `mean (F)(C) with γ = +1 vs −1: ${redundancy}`).toBeGreaterThan(
      redundancy[1] + 0.1,
    );
  });

  it("names what is wrong", () => {
    const model = trivariate();
    expect(() => model.setGoal("hidden", "(F)(X)=1")).toThrow(
      expect.objectContaining({
        code: "goal/unknown-atom",
        path: expect.arrayContaining(["goal"]),
      }),
    );
    expect(() => model.setGoal("middle" as "hidden", "(F)(C)=1")).toThrow(
      'layer must be "hidden" or "output" (got "middle").',
    );
    const readout = createModel(presetConfig("readout", opts), 10, naiveKernels(), 1);
    expect(() => readout.setGoal("hidden", "(F)(C)=1")).toThrow(
      expect.objectContaining({ code: "goal/no-goal-layer" }),
    );
    const backprop = createModel(presetConfig("backprop", opts), 10, naiveKernels(), 1);
    expect(() => backprop.setGoal("output", "(F)(C)=1")).toThrow(
      expect.objectContaining({ code: "goal/no-goal-layer" }),
    );
    // a failed setGoal leaves the goal as it was
    expect(model.hidden?.gamma).toEqual(parseGoal("trivariate-opt1", { sources: 3 }).gamma);
  });
});

describe("setGoal on a stack of hidden layers", () => {
  it('"hidden" sets every hidden layer, as withLayerGoals does, and atoms() reads each by name', async () => {
    const config = presetConfig("trivariate-two-layers", opts);
    const model = createModel(config, 100, naiveKernels(), 2) as InfomorphicNetwork;
    expect(model.stacked).toHaveLength(1);
    model.setGoal("hidden", "(F)(C)=1");
    const want = parseGoal("(F)(C)=1", { sources: 3 }).gamma;
    expect(model.hidden?.gamma).toEqual(want);
    expect(model.stacked[0].gamma).toEqual(want);
    expect(model.config.stacked?.[0].goal).toEqual({ "{1}{2}": 1 });
    await trainModel(model, { train, validation }, { epochs: 1, batchSize: 100, seed: 1 });
    expect(model.atoms("hidden2").neurons).toBe(model.stacked[0].size);
    expect(() => model.atoms("hidden3")).toThrow(
      'this network has no layer "hidden3"; its layers are "hidden", "hidden2", "output".',
    );
  });
});

describe("atoms by name", () => {
  it("reads each neuron's atoms by alias, canonical name or H_res, and they sum to H(Y) ≤ 1", async () => {
    const model = trivariate();
    expect(() => model.atoms("hidden")).toThrow(
      expect.objectContaining({ code: "atoms/not-available" }),
    );
    const { records } = await trainModel(
      model,
      { train, validation },
      { epochs: 1, batchSize: 100, seed: 1 },
    );
    const hidden = model.atoms("hidden");
    expect(hidden.neurons).toBe(10);
    expect(hidden.sources).toEqual(["F", "C", "L"]);
    expect(hidden.aliases[1]).toBe("(F)(C)");
    expect(hidden.names[1]).toBe("{1}{2}");
    expect(hidden.values).toEqual(records[0].layers[0].atoms);
    expect(hidden.atom("(F)(C)")).toEqual(hidden.atom("{1}{2}"));
    const neuron = hidden.neuron(3);
    expect(neuron["(F)(C)"]).toBe(hidden.atom("(F)(C)")[3]);
    const total = Object.values(neuron).reduce((a, b) => a + b, 0); // atoms + H_res = H(Y)
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
    expect(model.atoms("output").aliases).toEqual(["(F)", "(C)", "(F)(C)", "(FC)", "H_res"]);
    expect(() => hidden.atom("(F)(X)")).toThrow(
      expect.objectContaining({ code: "atoms/unknown-atom" }),
    );
    expect(() => hidden.neuron(10)).toThrow(
      "neuron 10 is not in the hidden layer, which has neurons 0 … 9.",
    );
  });
});
