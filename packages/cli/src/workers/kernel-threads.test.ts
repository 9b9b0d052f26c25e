import {
  type Activation,
  type Binning,
  type InfomorphicNetwork,
  type Kernels,
  PidEstimator,
  Rng,
  createModel,
  createWasmKernels,
  identity,
  kayPhillips,
  lattice,
  presetConfig,
  trivariate,
} from "@infomorph/core";
import {
  runKernelSuite,
  runLayerKernelSuite,
  runLearnKernelSuite,
  runSparseKernelSuite,
} from "@infomorph/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_CLI, describeWith } from "../../../../test/prerequisites.js";
import { pickThreadedKernels, spawnKernelWorker } from "./kernel-threads.js";

function fill(array: Float32Array, rng: Rng): Float32Array {
  for (let i = 0; i < array.length; i++) array[i] = 2 * rng.uniform() - 1;
  return array;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

// Workers run the compiled script (plain Node cannot load the .ts sources): the global setup builds it.
describeWith([BUILT_CLI], "kernels on worker threads", () => {
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

  // 1024 samples × 203 neurons = 207 872 elements (≥ 2 × 32 K: split), odd neuron and
  // element tails; every output of the layer kernels compared bit for bit.
  const count = 1024;
  const neurons = 203;
  const cells = count * neurons;

  const activations: [string, Activation][] = [
    ["trivariate", trivariate()],
    ["kay-phillips", kayPhillips()],
    ["identity", identity()],
  ];
  it.each(activations)("activateLayer %s: the same bits and rng on 1 and 2 threads", (_, act) => {
    const results = [one, two].map((kernels) => {
      const rng = new Rng(21);
      const s = Array.from({ length: act.sources }, () => fill(kernels.alloc(cells), rng));
      const a = kernels.alloc(cells);
      const dA = s.map(() => kernels.alloc(cells));
      const theta = kernels.alloc(cells);
      const samples = kernels.alloc(cells);
      kernels.activateLayer(act.spec, s, a, dA, theta, samples, cells, rng);
      return [a, ...dA, theta, samples, Float64Array.from(rng.words())].map((v) => v.slice());
    });
    results[0].forEach((want, q) =>
      expect(sameBits(results[1][q], want), `output ${q}`).toBe(true),
    );
    expect(results[0].at(-2)?.some((v) => v === 1)).toBe(true);
  });

  it("layerDelta and transposeToNeuronMajor: the same bits on 1 and 2 threads", () => {
    const results = [one, two].map((kernels) => {
      const rng = new Rng(22);
      const gradient = kernels.allocFloat64(cells).map(() => 2 * rng.uniform() - 1);
      const theta = kernels.alloc(cells).map(() => rng.uniform());
      const dA = fill(kernels.alloc(cells), rng);
      const delta = kernels.alloc(cells);
      const biasGrad = kernels.alloc(neurons);
      const transposed = kernels.allocFloat64(cells);
      kernels.layerDelta(gradient, theta, dA, delta, biasGrad, count, neurons);
      kernels.transposeToNeuronMajor(theta, transposed, count, neurons);
      return [delta.slice(), biasGrad.slice(), transposed.slice()];
    });
    for (let q = 0; q < 3; q++) expect(sameBits(results[1][q], results[0][q]), `${q}`).toBe(true);
  });

  const binnings: Binning[] = [
    { kind: "fixed", bins: 20, min: -0.7, max: 0.9 },
    { kind: "adaptive", bins: 8 },
  ];
  it.each(binnings)("binLayer $kind: the same bins on 1 and 2 threads", (binning) => {
    const results = [one, two].map((kernels) => {
      const rng = new Rng(23);
      const sources = [0, 1, 2].map(() => fill(kernels.alloc(cells), rng));
      const out = kernels.allocBytes(cells * 3);
      kernels.binLayer(binning, sources, count, neurons, out);
      return out.slice();
    });
    expect(sameBits(results[1], results[0])).toBe(true);
  });

  // Neuron 190 lies in the second thread's range; the lowest in TS loop order is reported.
  const bad: [string, Binning, [number, number, number][]][] = [
    [
      "fixed, Infinity",
      binnings[0],
      [[1, 3, 190, Number.POSITIVE_INFINITY]].map(([j, i, k, v]) => [j, i * neurons + k, v]),
    ],
    [
      "adaptive, a later NaN before an Infinity",
      binnings[1],
      [
        [0, 2, 5, Number.POSITIVE_INFINITY],
        [0, 900, 190, Number.NaN],
      ].map(([j, i, k, v]) => [j, i * neurons + k, v]),
    ],
    [
      "fixed, the first of two",
      binnings[0],
      [
        [2, 700, 10, Number.NaN],
        [1, 900, 190, Number.NEGATIVE_INFINITY],
      ].map(([j, i, k, v]) => [j, i * neurons + k, v]),
    ],
  ];
  it.each(bad)("binLayer %s: the single-thread error on 2 threads", (_, binning, values) => {
    const errors = [one, two].map((kernels) => {
      const rng = new Rng(24);
      const sources = [0, 1, 2].map(() => fill(kernels.alloc(cells), rng));
      for (const [j, e, v] of values) sources[j][e] = v;
      try {
        kernels.binLayer(binning, sources, count, neurons, kernels.allocBytes(cells * 3));
      } catch (error) {
        return error as { code: string; message: string };
      }
      return null;
    });
    expect(errors[0]?.code).toBe("binning/not-finite");
    expect(errors[1]?.message).toBe(errors[0]?.message);
  });

  it("adamStep with and without a mask: the same bits on 1 and 2 threads", () => {
    const size = 200_003;
    const step = {
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 1e-4,
      stepSize: 1e-3,
      sqrtBc2: 0.3,
    };
    const results = [one, two].map((kernels) => {
      const rng = new Rng(25);
      const w = fill(kernels.alloc(size), rng);
      const grad = fill(kernels.alloc(size), rng);
      const m = fill(kernels.alloc(size), rng);
      const v = kernels.alloc(size).map(() => rng.uniform());
      const mask = kernels.allocBytes(size).map(() => (rng.uniform() < 0.3 ? 1 : 0));
      kernels.adamStep(w, grad, m, v, null, size, step);
      kernels.adamStep(w, grad, m, v, mask, size, step);
      return [w.slice(), m.slice(), v.slice()];
    });
    for (let q = 0; q < 3; q++) expect(sameBits(results[1][q], results[0][q]), `${q}`).toBe(true);
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

// The workers' PID twins follow a goal changed between batches (setGoal on a live model).
describeWith([BUILT_CLI], "goals on worker threads", () => {
  it("a goal set between batches reaches every thread: 2 threads give the 1-thread bits", async () => {
    const config = presetConfig("trivariate", { hidden: 80, inputs: 784, classes: 10 });
    const states = [];
    for (const threads of [1, 2]) {
      const kernels = await pickThreadedKernels({ threads, memoryMiB: 128 });
      expect(kernels.threads).toBe(threads);
      const model = createModel(config, 256, kernels, 3) as InfomorphicNetwork;
      const rng = new Rng(9);
      const x = new Float32Array(256 * 784);
      const labels = new Uint8Array(256);
      for (let b = 0; b < 3; b++) {
        if (b === 1) model.setGoal("hidden", "(F)(C)=1, (F)(L)=-1");
        if (b === 2) model.setGoal("hidden", "(F)=0.5, (FCL)=0.2");
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

// The conformance suites every backend passes, on two threads: every kernel that splits its
// work (products above 10 MFLOP, the PID, the elementwise loops above 32 K elements) must give
// what the naive formulas give, within each suite's tolerance.
describeWith([BUILT_CLI], "the kernel conformance suites on two worker threads", () => {
  const twoThreads = () => pickThreadedKernels({ threads: 2, memoryMiB: 1024 });
  runKernelSuite("wasm-simd, 2 threads", twoThreads);
  runSparseKernelSuite("wasm-simd, 2 threads", twoThreads);
  runLayerKernelSuite("wasm-simd, 2 threads", twoThreads);
  runLearnKernelSuite("wasm-simd, 2 threads", twoThreads);
});
