import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { lattice } from "./lattice.js";
import { type EstimatorConfig, PidEstimator, estimatorOutput } from "./samples.js";
import { pidOfTable } from "./table.js";

interface Case {
  label: string;
  sources: number;
  bins: number;
  batch: number;
  neurons: number;
  seed: number;
}

/** Random bins (concentrated on few cells when `bins` is small, i.e. dense tables) and θ in (0.02, 0.98). */
function randomBatch({ sources, bins, batch, neurons, seed }: Case) {
  const rng = new Rng(seed);
  const binIndex = Uint8Array.from({ length: neurons * batch * sources }, () => rng.int(bins));
  const theta = Float64Array.from({ length: neurons * batch }, () => 0.02 + 0.96 * rng.uniform());
  const size = lattice(sources).size;
  const gamma = Float64Array.from({ length: size + 1 }, () => 2 * rng.uniform() - 1);
  return { binIndex, theta, gamma };
}

/** The soft histogram of one neuron as a dense table [bins…, t] with t = 0 ↔ Y = −1, t = 1 ↔ Y = +1. */
function softTable(
  c: Case,
  binIndex: Uint8Array,
  theta: Float64Array,
  neuron: number,
): Float64Array {
  const { sources: n, bins: K, batch: B } = c;
  const table = new Float64Array(K ** n * 2);
  for (let i = 0; i < B; i++) {
    let key = 0;
    for (let s = 0; s < n; s++) key = key * K + binIndex[(neuron * B + i) * n + s];
    table[key * 2 + 1] += theta[neuron * B + i] / B;
    table[key * 2] += (1 - theta[neuron * B + i]) / B;
  }
  return table;
}

const cases: Case[] = [
  {
    label: "n=2 sparse (20 bins, 64 samples)",
    sources: 2,
    bins: 20,
    batch: 64,
    neurons: 3,
    seed: 1,
  },
  {
    label: "n=2 dense (3 bins, 200 samples)",
    sources: 2,
    bins: 3,
    batch: 200,
    neurons: 2,
    seed: 2,
  },
  {
    label: "n=3 sparse (20 bins, 128 samples)",
    sources: 3,
    bins: 20,
    batch: 128,
    neurons: 2,
    seed: 3,
  },
  {
    label: "n=3 dense (2 bins, 100 samples)",
    sources: 3,
    bins: 2,
    batch: 100,
    neurons: 2,
    seed: 4,
  },
  { label: "n=4 sparse (6 bins, 60 samples)", sources: 4, bins: 6, batch: 60, neurons: 2, seed: 5 },
  { label: "n=4 dense (2 bins, 90 samples)", sources: 4, bins: 2, batch: 90, neurons: 1, seed: 6 },
  { label: "n=1 (5 bins, 40 samples)", sources: 1, bins: 5, batch: 40, neurons: 2, seed: 7 },
];

function estimate(c: Case, binIndex: Uint8Array, theta: Float64Array, gamma: Float64Array) {
  const config: EstimatorConfig = { sources: c.sources, bins: c.bins, batch: c.batch, gamma };
  const estimator = new PidEstimator(config);
  const out = estimatorOutput(config, c.neurons);
  estimator.run({ neurons: c.neurons, binIndex, theta }, out);
  return out;
}

describe("PidEstimator", () => {
  it.each(cases)("$label: atoms, H_res and G equal the exact PID of the soft histogram", (c) => {
    const { binIndex, theta, gamma } = randomBatch(c);
    const out = estimate(c, binIndex, theta, gamma);
    const size = lattice(c.sources).size;
    for (let k = 0; k < c.neurons; k++) {
      const exact = pidOfTable(softTable(c, binIndex, theta, k), [
        ...Array(c.sources).fill(c.bins),
        2,
      ]);
      for (let a = 0; a < size; a++) {
        expect(
          Math.abs(out.atoms[k * size + a] - exact.atoms[a]),
          `neuron ${k} ${exact.lattice.names[a]}`,
        ).toBeLessThan(1e-12);
      }
      expect(out.hRes[k]).toBeCloseTo(exact.hRes, 12);
      const goal = exact.atoms.reduce((s, x, a) => s + gamma[a] * x, 0) + gamma[size] * exact.hRes;
      expect(out.goal[k]).toBeCloseTo(goal, 12);
    }
  });

  it.each(cases)("$label: closed-form ∂G/∂θ agrees with central finite differences", (c) => {
    const { binIndex, theta, gamma } = randomBatch(c);
    const out = estimate(c, binIndex, theta, gamma);
    const rng = new Rng(c.seed + 100);
    const h = 1e-6;
    for (let trial = 0; trial < 12; trial++) {
      const k = rng.int(c.neurons);
      const i = rng.int(c.batch);
      const at = (delta: number) => {
        const t = theta.slice();
        t[k * c.batch + i] += delta;
        return estimate(c, binIndex, t, gamma).goal[k];
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      const analytic = out.gradient[k * c.batch + i];
      const rel = Math.abs(fd - analytic) / Math.max(Math.abs(fd), 1e-3);
      expect(rel, `neuron ${k} sample ${i}: fd ${fd}, closed form ${analytic}`).toBeLessThan(1e-6);
    }
  });

  it("matches the reference XOR value when θ is a deterministic XOR of two binary sources", () => {
    // Four samples, one per cell; Y = x1 xor x2 exactly (θ ∈ {0, 1}): redundancy log2(2/3).
    const binIndex = Uint8Array.from([0, 0, 0, 1, 1, 0, 1, 1]);
    const theta = Float64Array.from([0, 1, 1, 0]);
    const gamma = Float64Array.from([0, 0, 1, 0, 0]);
    const c: Case = { label: "", sources: 2, bins: 2, batch: 4, neurons: 1, seed: 0 };
    const out = estimate(c, binIndex, theta, gamma);
    expect(out.goal[0]).toBeCloseTo(Math.log2(2 / 3), 14);
    expect(out.gradient.every(Number.isFinite)).toBe(true);
  });

  it.each([2, 3, 4])("stays finite and exact with saturated θ ∈ {0, 1} for n = %i", (n) => {
    const c: Case = { label: "", sources: n, bins: 3, batch: 200, neurons: 1, seed: 40 + n };
    const { binIndex, gamma } = randomBatch(c);
    const rng = new Rng(9);
    const theta = Float64Array.from({ length: c.batch }, () => [0, 1, 0.3][rng.int(3)]);
    const out = estimate(c, binIndex, theta, gamma);
    const exact = pidOfTable(softTable(c, binIndex, theta, 0), [...Array(n).fill(c.bins), 2]);
    exact.atoms.forEach((x, a) => expect(out.atoms[a]).toBeCloseTo(x, 12));
    expect(out.gradient.every(Number.isFinite)).toBe(true);
  });

  it("runs a smaller batch (an epoch's last) exactly like an estimator of that size", () => {
    const c: Case = { label: "", sources: 3, bins: 20, batch: 64, neurons: 2, seed: 11 };
    const { binIndex, theta, gamma } = randomBatch(c);
    const small = estimate(c, binIndex, theta, gamma);
    const big = new PidEstimator({ sources: 3, bins: 20, batch: 256, gamma });
    const out = estimatorOutput({ sources: 3, bins: 20, batch: 64, gamma }, 2);
    big.run({ neurons: 2, batch: 64, binIndex, theta }, out);
    expect(Array.from(out.gradient)).toEqual(Array.from(small.gradient));
    expect(Array.from(out.atoms)).toEqual(Array.from(small.atoms));
  });

  it("rejects bad input with exact messages", () => {
    const gamma = new Float64Array(5);
    expect(() => new PidEstimator({ sources: 2, bins: 1, batch: 4, gamma })).toThrow(
      "bins must be an integer from 2 to 255 (got 1). Try 20.",
    );
    expect(
      () => new PidEstimator({ sources: 2, bins: 20, batch: 4, gamma: new Float64Array(4) }),
    ).toThrow("gamma has 4 entries; 2 sources need 5 (4 atoms in canonical order, then H_res).");
    const est = new PidEstimator({ sources: 2, bins: 2, batch: 2, gamma });
    const out = estimatorOutput({ sources: 2, bins: 2, batch: 2, gamma }, 1);
    expect(() =>
      est.run(
        {
          neurons: 1,
          binIndex: Uint8Array.from([0, 2, 0, 0]),
          theta: Float64Array.from([0.5, 0.5]),
        },
        out,
      ),
    ).toThrow("bin index 2 of neuron 0, sample 0, source 2 is outside 0…1 for 2 bins.");
    expect(() =>
      est.run(
        { neurons: 1, binIndex: new Uint8Array(4), theta: Float64Array.from([0.5, Number.NaN]) },
        out,
      ),
    ).toThrow("theta of neuron 0, sample 1 is NaN; firing probabilities must lie in [0, 1].");
  });
});
