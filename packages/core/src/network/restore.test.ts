import { describe, expect, it } from "vitest";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { createModel } from "./create.js";
import type { InfomorphicNetwork } from "./network.js";
import { presetConfig } from "./presets.js";

// restore() checks the whole state before it changes anything: raw RangeErrors and
// TypeErrors from a mismatched state were the complaint.
describe("restore validates its input", () => {
  const make = (hidden: number, preset = "trivariate") =>
    createModel(presetConfig(preset, { hidden, inputs: 6, classes: 3 }), 10, naiveKernels(), 1);

  it.each([
    ["null", null, ["state"]],
    ["a string", "state", ["state"]],
    ["another size", () => make(7).state(), ["state", "hidden", "parameters", 0, "weights"]],
    ["another preset", () => make(5, "readout").state(), ["state", "hidden"]],
    ["a backprop state", () => make(5, "backprop").state(), ["state", "hidden"]],
    ["no rng", () => ({ ...make(5).state(), rng: undefined }), ["state", "rng"]],
    [
      "NaN in a step count",
      () => {
        const s = (make(5) as InfomorphicNetwork).state();
        return {
          ...s,
          output: {
            ...s.output,
            optimizers: s.output.optimizers.map((o) => ({ ...o, step: Number.NaN })),
          },
        };
      },
      ["state", "output", "optimizers", 0, "step"],
    ],
  ])("%s", (_, state, path) => {
    const model = make(5);
    const before = JSON.stringify(model.state(), (_, v) =>
      ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v,
    );
    const value = typeof state === "function" ? state() : state;
    expect(() => model.restore(value)).toThrow(
      expect.objectContaining({ code: "state/mismatch", path }),
    );
    const after = JSON.stringify(model.state(), (_, v) =>
      ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v,
    );
    expect(after).toBe(before);
  });

  it("a flip that is not 0 or 1, and an all-zero generator", () => {
    const model = make(5);
    expect(() => model.restore({ ...model.state(), flip: [0, 2, 0] })).toThrow(
      "state.flip[1] is 2; each output neuron's flip is 0 or 1. The state is damaged; save it again.",
    );
    expect(() =>
      model.restore({ ...model.state(), rng: { words: [0, 0, 0, 0], spareNormal: null } }),
    ).toThrow(expect.objectContaining({ code: "rng/bad-state" }));
  });
});
