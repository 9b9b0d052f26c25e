import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { atomTrajectories, neuronTrajectory, quantileOfSorted } from "./trajectories.js";

/** Brute force: the type-7 quantile as the piecewise-linear curve through (k/(N−1), x₍k₎), found by scanning. */
function bruteQuantile(values: number[], q: number): number {
  const x = values.slice().sort((a, b) => a - b);
  const n = x.length;
  if (n === 1) return x[0];
  for (let k = 0; k < n - 1; k++) {
    const left = k / (n - 1);
    const right = (k + 1) / (n - 1);
    if (q >= left && q <= right) return x[k] + ((q - left) / (right - left)) * (x[k + 1] - x[k]);
  }
  throw new Error(`q ${q} outside [0, 1]`);
}

describe("quantileOfSorted", () => {
  it("matches hand-computed type-7 quantiles", () => {
    const x = [1, 2, 3, 4];
    expect(quantileOfSorted(x, 4, 0)).toBe(1);
    expect(quantileOfSorted(x, 4, 1)).toBe(4);
    expect(quantileOfSorted(x, 4, 0.5)).toBe(2.5); // h = 1.5
    expect(quantileOfSorted(x, 4, 0.1)).toBeCloseTo(1.3, 14); // h = 0.3
    expect(quantileOfSorted(x, 4, 0.9)).toBeCloseTo(3.7, 14); // h = 2.7
    expect(quantileOfSorted([7], 1, 0.1)).toBe(7);
    // 11 values 0..10: the deciles fall on the values themselves
    const ten = Array.from({ length: 11 }, (_, i) => i);
    expect(quantileOfSorted(ten, 11, 0.1)).toBeCloseTo(1, 14);
    expect(quantileOfSorted(ten, 11, 0.9)).toBeCloseTo(9, 14);
  });

  it("reads only the first `length` entries", () => {
    expect(quantileOfSorted([1, 3, 1000], 2, 1)).toBe(3);
  });
});

describe("atomTrajectories", () => {
  it("gives the hand-computed band of the documented example", () => {
    const t = atomTrajectories([Float64Array.of(1, 0, 2, 0, 4, 3)], { values: 2 });
    expect(t.neurons).toBe(3);
    expect(Array.from(t.median)).toEqual([2, 0]);
    expect(t.q10[0]).toBeCloseTo(1.2, 14);
    expect(t.q10[1]).toBe(0);
    expect(t.q90[0]).toBeCloseTo(3.6, 14);
    expect(t.q90[1]).toBeCloseTo(2.4, 14);
    expect(t.mean[0]).toBeCloseTo(7 / 3, 14);
    expect(t.mean[1]).toBe(1);
  });

  it("does not depend on neuron order and reads float32 input", () => {
    // value 0 over 4 neurons: 4, 1, 3, 2 (unsorted); epoch 1 doubles it
    const e0 = Float32Array.of(4, 0, 1, 0, 3, 0, 2, 0);
    const e1 = e0.map((v) => 2 * v);
    const t = atomTrajectories([e0, e1], { values: 2 });
    expect(t.epochs).toBe(2);
    expect(t.median[0]).toBe(2.5);
    expect(t.median[2]).toBe(5);
    expect(t.q10[2]).toBeCloseTo(2.6, 12); // 2 · 1.3
    expect(t.mean[2]).toBe(5);
  });

  it("agrees with a brute-force implementation on seeded random data", () => {
    const rng = new Rng(7);
    for (const [neurons, values, epochs] of [
      [1, 3, 2],
      [2, 5, 3],
      [7, 19, 4],
      [33, 19, 3],
      [200, 5, 2],
    ]) {
      const data = Array.from({ length: epochs }, () =>
        Float64Array.from({ length: neurons * values }, () =>
          // ties on purpose: some values repeat
          rng.uniform() < 0.2 ? 0.5 : rng.normal(),
        ),
      );
      const t = atomTrajectories(data, { values });
      for (let e = 0; e < epochs; e++) {
        for (let v = 0; v < values; v++) {
          const col = Array.from({ length: neurons }, (_, i) => data[e][i * values + v]);
          const at = e * values + v;
          const where = `N=${neurons} e=${e} v=${v}`;
          expect(t.median[at], `median ${where}`).toBeCloseTo(bruteQuantile(col, 0.5), 12);
          expect(t.q10[at], `q10 ${where}`).toBeCloseTo(bruteQuantile(col, 0.1), 12);
          expect(t.q90[at], `q90 ${where}`).toBeCloseTo(bruteQuantile(col, 0.9), 12);
          const mean = col.reduce((a, b) => a + b, 0) / neurons;
          expect(t.mean[at], `mean ${where}`).toBeCloseTo(mean, 12);
        }
      }
    }
  });

  it("handles the documented size: 2000 neurons × 19 values × 100 epochs", () => {
    const rng = new Rng(3);
    const data = Array.from({ length: 100 }, () =>
      Float32Array.from({ length: 2000 * 19 }, () => rng.uniform()),
    );
    const t = atomTrajectories(data, { values: 19 });
    expect(t.median.length).toBe(1900);
    const col = Array.from({ length: 2000 }, (_, i) => data[99][i * 19 + 18]);
    expect(t.q90[99 * 19 + 18]).toBeCloseTo(bruteQuantile(col, 0.9), 12);
  });

  it("rejects bad input with messages that name the fix", () => {
    expect(() => atomTrajectories([], { values: 19 })).toThrow(
      "no epochs given; pass one [neuron × values] array per epoch.",
    );
    expect(() => atomTrajectories([new Float64Array(10)], { values: 19 })).toThrow(
      "epoch 0 has 10 entries, not a positive multiple of 19 values per neuron. Check the values option (atoms + 1 for H_res).",
    );
    expect(() => atomTrajectories([new Float64Array(4)], { values: 0 })).toThrow(
      "values (entries per neuron) must be a positive integer (got 0); for n sources use lattice(n).size + 1, e.g. 19 for n = 3.",
    );
    expect(() =>
      atomTrajectories([new Float64Array(4), new Float64Array(6)], { values: 2 }),
    ).toThrow("epoch 1 has 6 entries but epoch 0 has 4; every epoch must hold the same neurons.");
    expect(() => atomTrajectories([Float64Array.of(0, 0, 0, Number.NaN)], { values: 2 })).toThrow(
      "epoch 0, neuron 1, value 1 is NaN; atoms must be finite numbers. Look for a diverged run or an unwritten epoch.",
    );
  });
});

describe("neuronTrajectory", () => {
  it("extracts one neuron's values epoch by epoch", () => {
    const epochs = [Float64Array.of(1, 0, 2, 0), Float32Array.of(5, 6, 7, 8)];
    expect(Array.from(neuronTrajectory(epochs, 1, { values: 2 }))).toEqual([2, 0, 7, 8]);
    expect(Array.from(neuronTrajectory(epochs, 0, { values: 2 }))).toEqual([1, 0, 5, 6]);
  });

  it("rejects a neuron out of range", () => {
    expect(() => neuronTrajectory([new Float64Array(4)], 2, { values: 2 })).toThrow(
      "neuron must be an integer from 0 to 1 (got 2).",
    );
  });
});
