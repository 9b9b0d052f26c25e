import { describe, expect, it } from "vitest";
import { goal } from "../goals/goal.js";
import { tsKernels } from "../kernels/kernels.js";
import { binIndex } from "../neuron/binning.js";
import { Rng } from "../random/rng.js";
import { hebbian } from "./hebbian.js";
import {
  InfomorphicMemory,
  checkpointEpochs,
  resolveInfomorphicMemory,
  trainInfomorphicMemory,
} from "./infomorphic.js";
import { randomPatterns } from "./patterns.js";
import { recall, scoreRecall } from "./recall.js";

const kernels = tsKernels();

describe("checkpointEpochs", () => {
  it("matches numpy's logspace(0, log10(E), 15, dtype=int) without repeats", () => {
    expect(checkpointEpochs(5000, 15)).toEqual([
      1, 3, 6, 11, 20, 38, 70, 129, 238, 438, 805, 1480, 2721, 4999,
    ]);
    expect(checkpointEpochs(100, 15)).toEqual([1, 2, 3, 5, 7, 10, 13, 19, 26, 37, 51, 71, 100]);
    expect(checkpointEpochs(40, 1)).toEqual([40]);
  });
});

describe("resolveInfomorphicMemory", () => {
  it("fills the paper's defaults and the redundancy goal", () => {
    const c = resolveInfomorphicMemory({ bins: undefined, lr: 0.01 });
    expect(c).toMatchObject({ bins: 60, range: 20, externalWeight: 2.3, beta: 1, lr: 0.01 });
    expect([...c.goal.gamma]).toEqual([0, 0, 1, 0, 0]);
  });

  it("rejects bins < 2, a goal of 3 sources and a non-positive lr", () => {
    expect(() => resolveInfomorphicMemory({ bins: 1 })).toThrow(
      "bins must be an integer from 2 to 255 (got 1); the paper uses 60.",
    );
    expect(() =>
      resolveInfomorphicMemory({ goal: goal({ "(F)(C)(L)": 1 }, { sources: 3 }) }),
    ).toThrow(
      'a memory neuron has 2 sources (external pattern bit, internal field), but the goal is over 3. Name atoms of 2 sources, e.g. "(F)(C)=1".',
    );
    expect(() => resolveInfomorphicMemory({ lr: 0 })).toThrow(
      "lr must be a positive number (got 0); the paper uses 0.05.",
    );
  });
});

describe("InfomorphicMemory", () => {
  it("hands Adam −∂ΣG/∂W, checked against central differences of each neuron's goal", () => {
    const N = 8;
    const P = 12;
    const patterns = randomPatterns(P, N, new Rng(1));
    // weights of order 1, so θ is not saturated and the goal has a useful gradient
    const config = resolveInfomorphicMemory({
      initScale: Math.sqrt(N),
      goal: goal({ "{1}{2}": 1, "{12}": -0.3, "{2}": 0.2, H_res: 0.1 }, { sources: 2 }),
    });
    const layer = new InfomorphicMemory(config, patterns, P, N, kernels, new Rng(2));
    const gradient = layer.lossGradient().slice();
    const h = 2 ** -12;
    const fieldBins = (i: number, shift: number) =>
      Array.from({ length: P }, (_, mu) => {
        let c = 0;
        for (let j = 0; j < N; j++) c += layer.weights[i * N + j] * patterns[mu * N + j];
        return binIndex(c + shift, -config.range, config.range, config.bins);
      }).join(",");
    let checked = 0;
    for (let i = 0; i < N && checked < 6; i++) {
      // bins are not differentiated: only compare where ±h moves no field across a bin edge
      if (fieldBins(i, h) !== fieldBins(i, 0) || fieldBins(i, -h) !== fieldBins(i, 0)) continue;
      for (const j of [(i + 1) % N, (i + 5) % N]) {
        const w = layer.weights[i * N + j];
        layer.weights[i * N + j] = w + h;
        const up = layer.atoms().goal[i];
        layer.weights[i * N + j] = w - h;
        const down = layer.atoms().goal[i];
        layer.weights[i * N + j] = w;
        const fd = (up - down) / (2 * h);
        expect(-gradient[i * N + j], `W[${i}][${j}]`).toBeCloseTo(fd, 6);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it("stores 1.2 patterns per neuron, where the Hebbian rule stores almost none", () => {
    const N = 50;
    const P = 60;
    const patterns = randomPatterns(P, N, new Rng(3));
    const isStored = (net: Parameters<typeof recall>[0]) =>
      scoreRecall(recall(net, patterns, patterns, P, kernels)).meanCosine >= 0.95;
    const run = trainInfomorphicMemory(
      patterns,
      P,
      N,
      resolveInfomorphicMemory({ maxEpochs: 1000 }),
      kernels,
      new Rng(4),
      isStored,
    );
    expect(run.storedAtCheckpoint).toBe(true);
    const info = scoreRecall(recall(run.layer.network(), patterns, patterns, P, kernels));
    expect(info.meanCosine).toBeGreaterThanOrEqual(0.95);
    for (let i = 0; i < N; i++) expect(run.layer.weights[i * N + i]).toBe(0);
    const hebb = scoreRecall(
      recall(hebbian(patterns, P, N, kernels), patterns, patterns, P, kernels),
    );
    expect(hebb.storedFraction).toBeLessThan(0.05);
    expect(hebb.meanCosine).toBeLessThan(0.5);
  });

  it("ends with its information mostly redundant: Π{1}{2} near H(Y), unique and synergy small", () => {
    const N = 40;
    const P = 12;
    const patterns = randomPatterns(P, N, new Rng(5));
    const run = trainInfomorphicMemory(
      patterns,
      P,
      N,
      resolveInfomorphicMemory({ maxEpochs: 300 }),
      kernels,
      new Rng(6),
      () => false,
    );
    const { atoms, hRes } = run.layer.atoms();
    let red = 0;
    let other = 0;
    let entropy = 0;
    for (let i = 0; i < N; i++) {
      const [unqE, unqI, r, syn] = atoms.subarray(4 * i, 4 * i + 4);
      red += r / N;
      other += (Math.abs(unqE) + Math.abs(unqI) + Math.abs(syn)) / N;
      entropy += (unqE + unqI + r + syn + hRes[i]) / N;
    }
    expect(red).toBeGreaterThan(0.9 * entropy);
    expect(other).toBeLessThan(0.05);
    expect(run.goal).toBeCloseTo(red, 2);
  });
});
