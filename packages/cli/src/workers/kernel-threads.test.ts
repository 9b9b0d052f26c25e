import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type Kernels,
  PidEstimator,
  Rng,
  createModel,
  createWasmKernels,
  lattice,
  presetConfig,
} from "@infomorph/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pickThreadedKernels, spawnKernelWorker } from "./kernel-threads.js";

// Workers run the compiled script (plain Node cannot load the .ts sources): after a build.
const built = existsSync(
  fileURLToPath(new URL("../../dist/workers/kernel-worker.js", import.meta.url)),
);

function fill(array: Float32Array, rng: Rng): Float32Array {
  for (let i = 0; i < array.length; i++) array[i] = 2 * rng.uniform() - 1;
  return array;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe.runIf(built)("kernels on worker threads", () => {
  let one: Kernels;
  let two: Kernels;
  beforeAll(async () => {
    one = await pickThreadedKernels({ threads: 1, memoryMiB: 256 });
    two = await pickThreadedKernels({ threads: 2, memoryMiB: 256 });
  });
  afterAll(() => {
    one?.close();
    two?.close();
  });

  it("start the threads asked for", () => {
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.name).toBe("wasm-simd");
  });

  // Shapes above the 10 MFLOP split threshold (split by rows, by columns, odd tails) and one below.
  const shapes: [string, number, number, number][] = [
    ["matmulABt", 1024, 784, 100],
    ["matmulABt", 1021, 333, 37],
    ["matmulAtB", 100, 1024, 784],
    ["matmulAtB", 37, 1000, 781],
    ["matmulABt", 7, 33, 5],
  ];
  it.each(shapes)("%s %i×%i×%i: the same bits on 1 and 2 threads", (op, m, k, n) => {
    const results = [one, two].map((kernels) => {
      const rng = new Rng(m + k + n);
      const a = fill(kernels.alloc(m * k), rng);
      const b = fill(kernels.alloc(k * n), rng);
      const bias = fill(kernels.alloc(n), rng);
      const out = kernels.alloc(m * n);
      if (op === "matmulABt") kernels.matmulABt(a, b, out, m, k, n, bias);
      else kernels.matmulAtB(a, b, out, m, k, n);
      return out.slice();
    });
    expect(sameBits(results[0], results[1])).toBe(true);
    expect(results[0].some((v) => v !== 0)).toBe(true);
  });

  it("sparse products (2000 × 2000, 100 per row) give the same bits on 1 and 2 threads", () => {
    const n = 2000;
    const m = 256;
    const rng = new Rng(8);
    const mask = new Uint8Array(n * n);
    for (let r = 0; r < n; r++) for (let t = 0; t < 100; t++) mask[r * n + rng.int(n)] = 1;
    const results = [one, two].map((kernels) => {
      const r = new Rng(4);
      const pattern = kernels.sparsePattern(mask, n, n);
      const w = fill(kernels.alloc(n * n), r);
      const a = fill(kernels.alloc(m * n), r);
      const bias = fill(kernels.alloc(n), r);
      const forward = kernels.alloc(m * n);
      const gradient = kernels.alloc(n * n);
      kernels.sparseMatmulABt(a, w, pattern, forward, m, bias);
      kernels.sparseMatmulAtB(forward, a, pattern, gradient, m);
      return [forward.slice(), gradient.slice()];
    });
    expect(sameBits(results[0][0], results[1][0])).toBe(true);
    expect(sameBits(results[0][1], results[1][1])).toBe(true);
  });

  it("runPid splits the neurons and gives the bits of PidEstimator.run", () => {
    const neurons = 61;
    const B = 512;
    const rng = new Rng(5);
    const gamma = Float64Array.from({ length: lattice(3).size + 1 }, () => 2 * rng.uniform() - 1);
    const estimator = new PidEstimator({ sources: 3, bins: 20, batch: B, gamma });
    const binIndex = two.allocBytes(neurons * B * 3);
    const theta = two.allocFloat64(neurons * B);
    for (let i = 0; i < binIndex.length; i++) binIndex[i] = Math.floor(rng.uniform() * 20);
    for (let i = 0; i < theta.length; i++) theta[i] = rng.uniform();
    const size = lattice(3).size;
    const out = {
      goal: two.allocFloat64(neurons),
      atoms: two.allocFloat64(neurons * size),
      hRes: two.allocFloat64(neurons),
      gradient: two.allocFloat64(neurons * B),
    };
    const expected = {
      goal: new Float64Array(neurons),
      atoms: new Float64Array(neurons * size),
      hRes: new Float64Array(neurons),
      gradient: new Float64Array(neurons * B),
    };
    two.runPid(estimator, { neurons, batch: B, binIndex, theta }, out);
    new PidEstimator({ sources: 3, bins: 20, batch: B, gamma }).run(
      { neurons, batch: B, binIndex: binIndex.slice(), theta: theta.slice() },
      expected,
    );
    for (const key of ["goal", "atoms", "hRes", "gradient"] as const) {
      expect(sameBits(out[key], expected[key]), key).toBe(true);
    }
  });

  it("runPid: a bad input in a worker's neurons throws the single-thread error", () => {
    const neurons = 40;
    const B = 1024;
    const gamma = new Float64Array(lattice(2).size + 1).fill(0.5);
    const estimator = new PidEstimator({ sources: 2, bins: 8, batch: B, gamma });
    const binIndex = two.allocBytes(neurons * B * 2);
    const theta = two.allocFloat64(neurons * B).fill(0.5);
    theta[35 * B + 7] = 1.5; // neuron 35 lies in the second thread's half
    const out = {
      goal: two.allocFloat64(neurons),
      atoms: two.allocFloat64(neurons * lattice(2).size),
      hRes: two.allocFloat64(neurons),
      gradient: two.allocFloat64(neurons * B),
    };
    const input = { neurons, batch: B, binIndex, theta };
    let single: unknown;
    try {
      estimator.run(
        { ...input, binIndex: binIndex.slice(), theta: theta.slice() },
        {
          goal: new Float64Array(neurons),
          atoms: new Float64Array(neurons * lattice(2).size),
          hRes: new Float64Array(neurons),
          gradient: new Float64Array(neurons * B),
        },
      );
    } catch (error) {
      single = error;
    }
    expect(single).toBeDefined();
    const { code, message } = single as { code: string; message: string };
    expect(() => two.runPid(estimator, input, out)).toThrow(message);
    try {
      two.runPid(estimator, input, out);
    } catch (error) {
      expect((error as { code: string }).code).toBe(code);
    }
  });

  // 80 neurons × 256 samples and 784 inputs: both the products and the PID are split.
  it("a trivariate network trains to the same bits on 1 and 2 threads", async () => {
    const config = presetConfig("trivariate", { hidden: 80, inputs: 784, classes: 10 });
    const states = [];
    for (const threads of [1, 2]) {
      const kernels = await pickThreadedKernels({ threads, memoryMiB: 128 });
      const model = createModel(config, 256, kernels, 3);
      const rng = new Rng(9);
      const x = new Float32Array(256 * 784);
      const labels = new Uint8Array(256);
      for (let b = 0; b < 3; b++) {
        fill(x, rng);
        for (let i = 0; i < labels.length; i++) labels[i] = rng.int(10);
        model.trainBatch(x, labels, 256);
      }
      states.push(
        JSON.stringify(model.state(), (_, v) =>
          ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v,
        ),
      );
      kernels.close();
    }
    expect(states[1]).toBe(states[0]);
  });
});

describe("kernel thread options", () => {
  it("reject a bad thread count with the fix", async () => {
    await expect(createWasmKernels({ threads: 0, spawn: spawnKernelWorker })).rejects.toThrow(
      "threads must be an integer from 1 to 64 (got 0). Try 2.",
    );
  });

  it("run on the calling thread when no worker can be started", async () => {
    const kernels = await createWasmKernels({ threads: 4 });
    expect(kernels.threads).toBe(1);
    kernels.close();
  });
});
