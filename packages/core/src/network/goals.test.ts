import { describe, expect, it } from "vitest";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { parseGoal } from "../goals/spec.js";
import { createModel } from "./create.js";
import { withLayerGoals } from "./goals.js";
import type { InfomorphicNetwork, InfomorphicNetworkConfig } from "./network.js";
import { presetConfig } from "./presets.js";

const DATA = { inputs: 12, classes: 3, hidden: 6 };

describe("withLayerGoals", () => {
  it("sets the hidden goal from a weights string and stores its complete canonical weights", () => {
    const base = presetConfig("trivariate", DATA) as InfomorphicNetworkConfig;
    const config = withLayerGoals(base, { hidden: "(F)(C)=1, (F)(L)=-1, H_res=0.1" });
    expect((config as InfomorphicNetworkConfig).hidden?.goal).toEqual({
      "{1}{2}": 1,
      "{1}{3}": -1,
      H_res: 0.1,
    });
    expect((config as InfomorphicNetworkConfig).output).toBe(base.output);
    expect(base.hidden?.goal).toBe("trivariate-opt1"); // the preset's config is not changed
    // the built layer ascends exactly that goal
    const model = createModel(config, 8, naiveKernels(), 1) as InfomorphicNetwork;
    const want = parseGoal("(F)(C)=1, (F)(L)=-1, H_res=0.1", { sources: 3 }).gamma;
    expect([...(model.hidden?.config.gamma ?? [])]).toEqual([...want]);
  });

  it("keeps a named goal by name and parses each layer over its own sources", () => {
    const lateral = presetConfig("bivariate-lateral", DATA);
    const named = withLayerGoals(lateral, { hidden: " bivariate-lateral-heuristic " });
    expect((named as InfomorphicNetworkConfig).hidden?.goal).toBe("bivariate-lateral-heuristic");
    const output = withLayerGoals(presetConfig("readout", DATA), { output: { "(F)(C)": 1 } });
    expect((output as InfomorphicNetworkConfig).output.goal).toEqual({ "{1}{2}": 1 });
    expect(() => withLayerGoals(lateral, { hidden: "(F)(C)=1" })).toThrow(
      '"(F)(C)" is not an atom of a layer with the sources F, L. Valid names: (F), (L), (F)(L), (FL), H_res',
    );
    try {
      withLayerGoals(lateral, { output: "(F)(L)=1" });
      expect.unreachable();
    } catch (err) {
      expect((err as { path: unknown }).path).toEqual(["outputGoal", "(F)(L)"]);
    }
  });

  it("rejects a hidden goal where no hidden layer learns, and goals for backprop", () => {
    expect(() => withLayerGoals(presetConfig("readout", DATA), { hidden: "(F)(C)=1" })).toThrow(
      "this model has no hidden layer, so there is no hidden goal to set; set the output layer's goal instead, or pick a preset with a hidden layer such as trivariate.",
    );
    expect(() =>
      withLayerGoals(presetConfig("random-projection", DATA), { hidden: "(F)(C)=1" }),
    ).toThrow(
      "the hidden layer is a frozen random projection that does not learn, so its goal would be ignored;",
    );
    expect(() => withLayerGoals(presetConfig("backprop", DATA), { output: "(F)(C)=1" })).toThrow(
      "a backprop model minimises cross-entropy and has no goals; pick an infomorphic preset such as trivariate.",
    );
    const unchanged = presetConfig("backprop", DATA);
    expect(withLayerGoals(unchanged, {})).toBe(unchanged);
  });

  it("sets the goal of every hidden layer of a stack", () => {
    const stack = presetConfig("trivariate-two-layers", DATA) as InfomorphicNetworkConfig;
    const config = withLayerGoals(stack, { hidden: "trivariate-heuristic" });
    if (config.kind !== "infomorphic") throw new Error("not infomorphic");
    expect([config.hidden?.goal, ...(config.stacked ?? []).map((l) => l.goal)]).toEqual([
      "trivariate-heuristic",
      "trivariate-heuristic",
    ]);
    expect(withLayerGoals(stack, { output: "output-layer" })).toMatchObject({
      stacked: stack.stacked,
    });
  });
});
