import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { lattice } from "./lattice.js";
import { PidEstimator, estimatorOutput } from "./samples.js";

// setGamma rewrites only the goal's weights; the results must be those of an estimator
// built with the new goal, on both engines (the WebAssembly kernel keeps its own tables).
describe("PidEstimator.setGamma", () => {
  it.each([
    [2, "typescript"],
    [2, "auto"],
    [3, "typescript"],
    [3, "auto"],
  ] as const)(
    "n = %i, %s engine: the same bits as an estimator built with the new goal",
    (n, engine) => {
      const rng = new Rng(n);
      const size = lattice(n).size;
      const first = Float64Array.from({ length: size + 1 }, () => 2 * rng.uniform() - 1);
      const second = Float64Array.from({ length: size + 1 }, () => 2 * rng.uniform() - 1);
      const config = { sources: n, bins: 5, batch: 64, engine };
      const neurons = 3;
      const input = {
        neurons,
        batch: 64,
        binIndex: Uint8Array.from({ length: neurons * 64 * n }, () => rng.int(5)),
        theta: Float64Array.from({ length: neurons * 64 }, () => rng.uniform()),
      };
      const changed = new PidEstimator({ ...config, gamma: first });
      const before = estimatorOutput({ ...config, gamma: first }, neurons);
      changed.run(input, before);
      changed.setGamma(second);
      expect(changed.gamma).toEqual(second);
      const after = estimatorOutput({ ...config, gamma: second }, neurons);
      changed.run(input, after);
      const fresh = estimatorOutput({ ...config, gamma: second }, neurons);
      new PidEstimator({ ...config, gamma: second }).run(input, fresh);
      expect(changed.engine).toBe(engine === "auto" ? "wasm" : "typescript");
      expect(after).toEqual(fresh);
      expect(after.gradient).not.toEqual(before.gradient);
      expect(() => changed.setGamma(second.subarray(1))).toThrow(
        expect.objectContaining({ code: "estimator/bad-gamma" }),
      );
      expect(() =>
        changed.setGamma(Float64Array.from(second, (v, i) => (i === 0 ? Number.NaN : v))),
      ).toThrow(expect.objectContaining({ code: "estimator/bad-gamma", path: ["gamma", 0] }));
      expect(changed.gamma).toEqual(second);
    },
  );
});
