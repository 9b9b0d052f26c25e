import { describe, expect, it } from "vitest";
import { pidWasmAvailable } from "../kernels/wasm/pid-kernel.js";
import { Rng } from "../random/rng.js";
import { lattice } from "./lattice.js";
import { type EstimatorConfig, PidEstimator, estimatorOutput } from "./samples.js";

/** θ distributions: interior, saturated at 0 and 1, all zero, all one, and a mix with exact 0/1 values. */
type ThetaKind = "interior" | "saturated" | "zeros" | "ones" | "mixed";

interface Case {
  sources: 2 | 3;
  bins: number;
  batch: number;
  /** Samples actually run (≤ batch; odd sizes too). */
  count: number;
  neurons: number;
  /** Bins in use per source (few: dense tables; all: sparse). */
  spread: number;
  theta: ThetaKind;
  float32: boolean;
  seed: number;
}

function drawTheta(rng: Rng, kind: ThetaKind): number {
  if (kind === "zeros") return 0;
  if (kind === "ones") return 1;
  if (kind === "saturated") return rng.uniform() < 0.5 ? 0 : 1;
  if (kind === "mixed") {
    const u = rng.uniform();
    return u < 0.2 ? 0 : u < 0.4 ? 1 : rng.uniform();
  }
  return rng.uniform();
}

function runBoth(c: Case) {
  const rng = new Rng(c.seed);
  const { sources: n, count, neurons } = c;
  const binIndex = Uint8Array.from({ length: neurons * count * n }, () => rng.int(c.spread));
  const values = Array.from({ length: neurons * count }, () => drawTheta(rng, c.theta));
  const theta = c.float32 ? Float32Array.from(values) : Float64Array.from(values);
  const size = lattice(n).size;
  const gamma = Float64Array.from({ length: size + 1 }, () => 2 * rng.uniform() - 1);
  const config: EstimatorConfig = { sources: n, bins: c.bins, batch: c.batch, gamma };
  const wasm = new PidEstimator(config);
  const ts = new PidEstimator({ ...config, engine: "typescript" });
  const outWasm = estimatorOutput(config, neurons);
  const outTs = estimatorOutput(config, neurons);
  // Twice, so scratch left by the first batch must not leak into the second.
  for (let r = 0; r < 2; r++) {
    wasm.run({ neurons, batch: count, binIndex, theta }, outWasm);
    ts.run({ neurons, batch: count, binIndex, theta }, outTs);
  }
  return { wasm, ts, outWasm, outTs };
}

function cases(): Case[] {
  const list: Case[] = [];
  let seed = 1;
  for (const sources of [2, 3] as const) {
    for (const [bins, spread] of [
      [20, 20],
      [20, 3],
      [2, 2],
      [7, 7],
    ]) {
      for (const theta of ["interior", "saturated", "zeros", "ones", "mixed"] as ThetaKind[]) {
        for (const count of [1, 37, 257]) {
          list.push({
            sources,
            bins,
            batch: 300,
            count,
            neurons: 3,
            spread,
            theta,
            float32: seed % 2 === 0,
            seed: seed++,
          });
        }
      }
    }
  }
  return list;
}

const maxDiff = (a: Float64Array, b: Float64Array) =>
  a.reduce((m, x, i) => Math.max(m, Object.is(x, b[i]) ? 0 : Math.abs(x - b[i])), 0);

// Always run: on every supported Node the kernel is there, and these tests say so when it is not.
describe("PidEstimator on the WebAssembly kernel", () => {
  it("is available on every supported Node (20, 22, 24: WebAssembly SIMD, synchronous compile)", () => {
    expect(pidWasmAvailable(), `the WebAssembly PID kernel on Node ${process.version}`).toBe(true);
  });

  it("is picked by default for 2 and 3 sources, not for others or when declined", () => {
    const gamma3 = new Float64Array(19);
    expect(new PidEstimator({ sources: 3, bins: 20, batch: 8, gamma: gamma3 }).engine).toBe("wasm");
    expect(
      new PidEstimator({ sources: 3, bins: 20, batch: 8, gamma: gamma3, engine: "typescript" })
        .engine,
    ).toBe("typescript");
    expect(
      new PidEstimator({ sources: 4, bins: 3, batch: 8, gamma: new Float64Array(167) }).engine,
    ).toBe("typescript");
    // K^n above the dense limit (2^22 cells): TypeScript's hash map instead.
    expect(new PidEstimator({ sources: 3, bins: 200, batch: 8, gamma: gamma3 }).engine).toBe(
      "typescript",
    );
    expect(
      new PidEstimator({ sources: 2, bins: 255, batch: 8, gamma: new Float64Array(5) }).engine,
    ).toBe("wasm");
  });

  it.each(cases())(
    "n=$sources K=$bins spread $spread, $count samples, θ $theta: the same bits as TypeScript",
    (c) => {
      const { wasm, outWasm, outTs } = runBoth(c);
      expect(wasm.engine).toBe("wasm");
      for (const key of ["goal", "atoms", "hRes", "gradient"] as const) {
        // The contract is ≤ 1e-12; by construction the kernel gives identical bits.
        expect(maxDiff(outWasm[key], outTs[key]), key).toBeLessThanOrEqual(1e-12);
        expect(Array.from(outWasm[key]), key).toEqual(Array.from(outTs[key]));
      }
    },
  );

  it("batch 1024, 20 bins, 3 sources, many neurons (several chunks): the same bits", () => {
    const c: Case = {
      sources: 3,
      bins: 20,
      batch: 1024,
      count: 1023,
      neurons: 450,
      spread: 20,
      theta: "interior",
      float32: true,
      seed: 99,
    };
    const { outWasm, outTs } = runBoth(c);
    for (const key of ["goal", "atoms", "hRes", "gradient"] as const) {
      expect(Array.from(outWasm[key]), key).toEqual(Array.from(outTs[key]));
    }
  });

  it.each([1e-310, 5e-324, 1e-300])(
    "θ as small as %s (subnormal ratios: the kernel's checked log2 path) gives the same bits",
    (tiny) => {
      const rng = new Rng(17);
      for (const sources of [2, 3] as const) {
        const neurons = 4;
        const count = 200;
        const binIndex = Uint8Array.from({ length: neurons * count * sources }, () => rng.int(5));
        // Mostly tiny θ, a few ordinary ones: probabilities and their ratios underflow to subnormals.
        const theta = Float64Array.from({ length: neurons * count }, (_, i) =>
          i % 17 === 0 ? rng.uniform() : tiny * (1 + rng.int(3)),
        );
        const size = lattice(sources).size;
        const gamma = Float64Array.from({ length: size + 1 }, () => 2 * rng.uniform() - 1);
        const config: EstimatorConfig = { sources, bins: 5, batch: count, gamma };
        const outWasm = estimatorOutput(config, neurons);
        const outTs = estimatorOutput(config, neurons);
        const wasm = new PidEstimator(config);
        expect(wasm.engine).toBe("wasm");
        wasm.run({ neurons, binIndex, theta }, outWasm);
        new PidEstimator({ ...config, engine: "typescript" }).run(
          { neurons, binIndex, theta },
          outTs,
        );
        for (const key of ["goal", "atoms", "hRes", "gradient"] as const) {
          expect(Array.from(outWasm[key]), key).toEqual(Array.from(outTs[key]));
        }
      }
    },
  );

  it("reports a bad bin or θ like TypeScript, with the earlier neurons' results", () => {
    const gamma = new Float64Array(19).fill(0.5);
    const config: EstimatorConfig = { sources: 3, bins: 4, batch: 5, gamma };
    for (const bad of ["bin", "theta"] as const) {
      const binIndex = new Uint8Array(3 * 5 * 3).fill(1);
      const theta = new Float64Array(3 * 5).fill(0.3);
      if (bad === "bin") binIndex[(1 * 5 + 2) * 3 + 1] = 9;
      else theta[1 * 5 + 3] = 1.5;
      const messages: string[] = [];
      const goals: number[] = [];
      for (const engine of ["auto", "typescript"] as const) {
        const estimator = new PidEstimator({ ...config, engine });
        const out = estimatorOutput(config, 3);
        try {
          estimator.run({ neurons: 3, binIndex, theta }, out);
        } catch (error) {
          messages.push((error as Error).message);
        }
        goals.push(out.goal[0]);
        // Still usable afterwards.
        estimator.run(
          { neurons: 1, binIndex: binIndex.subarray(0, 15), theta: theta.subarray(0, 5) },
          out,
        );
        goals.push(out.goal[0]);
      }
      expect(messages).toHaveLength(2);
      expect(messages[0]).toBe(messages[1]);
      expect(goals[0]).toBe(goals[2]);
      expect(goals[1]).toBe(goals[3]);
    }
  });
});
