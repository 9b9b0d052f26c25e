import { describe, expect, it } from "vitest";
import { InfomorphError } from "../errors.js";
import { Rng } from "../random/rng.js";
import { type Binning, type BinningInput, binIndex, binLayer, resolveBinning } from "./binning.js";

describe("binIndex", () => {
  it("puts K = 20 over [−20, 20] by hand: 0 in bin 10, edges up, v = max in the last bin", () => {
    const cases: [number, number][] = [
      [0, 10], // (0 + 20)/40·20 = 10
      [-20, 0],
      [-18.0001, 0],
      [-18, 1], // an interior edge belongs to the bin above
      [-0.5, 9],
      [1.99, 10],
      [2, 11],
      [19.99, 19],
      [20, 19], // v = max clamps to K − 1
      [25, 19], // clamped
      [-1e9, 0], // clamped
    ];
    for (const [v, want] of cases) expect(binIndex(v, -20, 20, 20), `v = ${v}`).toBe(want);
  });

  it("handles an odd K and an asymmetric range", () => {
    // K = 3 over [0, 3]: [0,1) → 0, [1,2) → 1, [2,3] → 2
    expect([0, 0.999, 1, 1.5, 2, 3, 4, -1].map((v) => binIndex(v, 0, 3, 3))).toEqual([
      0, 0, 1, 1, 2, 2, 2, 0,
    ]);
  });
});

describe("binLayer", () => {
  it("lays out out as [neuron][sample][source] (hand example, fixed)", () => {
    // batch 2, neurons 3, 2 sources; K = 4 over [0, 4]: bin = floor(v), clamped to 0..3
    // sources[j][i*3 + k]: sample i, neuron k
    const s0 = Float32Array.of(0, 1, 2, /* sample 1 */ 3, 9, -5);
    const s1 = Float32Array.of(3.5, 2.5, 1.5, /* sample 1 */ 0.5, 1, 2);
    const out = new Uint8Array(12);
    binLayer({ kind: "fixed", bins: 4, min: 0, max: 4 }, [s0, s1], 2, 3, out);
    // element (k*2 + i)*2 + j
    expect(Array.from(out)).toEqual([
      // neuron 0: sample 0 (s0, s1), sample 1 (s0, s1)
      0, 3, 3, 0,
      // neuron 1
      1, 2, 3, 1,
      // neuron 2
      2, 1, 0, 2,
    ]);
  });

  it("adaptive divides by each neuron's batch max |v| per source and uses the full range", () => {
    // batch 4, neurons 2, 1 source, K = 4 over [−1, 1] after normalising
    // neuron 0: values −2, −1, 0, 1 → max|v| 2 → −1, −0.5, 0, 0.5 → bins 0, 1, 2, 3
    // neuron 1: values 10, 5, −10, 0 → max|v| 10 → 1, 0.5, −1, 0 → bins 3, 3, 0, 2
    const s = Float32Array.of(-2, 10, -1, 5, 0, -10, 1, 0);
    const out = new Uint8Array(8);
    binLayer({ kind: "adaptive", bins: 4 }, [s], 4, 2, out);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 3, 3, 0, 2]);
  });

  it("adaptive puts the largest |v| of every neuron and source in an end bin (random data)", () => {
    const rng = new Rng(2);
    const batch = 33;
    const neurons = 7;
    const K = 20;
    const sources = [0.01, 1, 300].map((scale) =>
      Float32Array.from({ length: batch * neurons }, () => scale * rng.normal()),
    );
    const out = new Uint8Array(batch * neurons * 3);
    binLayer({ kind: "adaptive", bins: K }, sources, batch, neurons, out);
    for (let k = 0; k < neurons; k++) {
      for (let j = 0; j < 3; j++) {
        const bins: number[] = [];
        let peak = 0;
        for (let i = 0; i < batch; i++) {
          bins.push(out[(k * batch + i) * 3 + j]);
          peak = Math.max(peak, Math.abs(sources[j][i * neurons + k]));
        }
        // the sample with the largest |v| sits in an end bin: 0 or K − 1
        const extreme = bins.filter((b) => b === 0 || b === K - 1).length;
        expect(extreme, `neuron ${k} source ${j}`).toBeGreaterThanOrEqual(1);
        // and agrees with binIndex on v / peak
        for (let i = 0; i < batch; i++) {
          const v = sources[j][i * neurons + k];
          expect(bins[i]).toBe(binIndex(v / peak, -1, 1, K));
        }
      }
    }
  });

  it("adaptive with an all-zero neuron puts every sample in the bin containing 0", () => {
    const s = Float32Array.of(0, 3, 0, -3, 0, 1);
    const out20 = new Uint8Array(6);
    binLayer({ kind: "adaptive", bins: 20 }, [s], 3, 2, out20);
    expect(Array.from(out20)).toEqual([10, 10, 10, 19, 0, 13]);
    const out3 = new Uint8Array(6);
    binLayer({ kind: "adaptive", bins: 3 }, [s], 3, 2, out3);
    expect(Array.from(out3.filter((_, e) => e < 3))).toEqual([1, 1, 1]);
  });

  it("rejects wrong shapes and non-finite values with the exact message", () => {
    const fixed: Binning = { kind: "fixed", bins: 20, min: -20, max: 20 };
    expect(() => binLayer(fixed, [new Float32Array(5)], 2, 3, new Uint8Array(6))).toThrow(
      "sources[0] has length 5, expected batch × neurons = 2 × 3 = 6. " +
        "Pass one [batch × neurons] Float32Array per source.",
    );
    expect(() => binLayer(fixed, [new Float32Array(6)], 2, 3, new Uint8Array(5))).toThrow(
      "out has length 5, expected neurons × batch × sources = 3 × 2 × 1 = 6. " +
        "Allocate a Uint8Array(6).",
    );
    for (const binning of [fixed, { kind: "adaptive", bins: 20 } as const]) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
        const s = new Float32Array(6);
        s[4] = bad; // sample 1, neuron 1
        expect(() => binLayer(binning, [new Float32Array(6), s], 2, 3, new Uint8Array(12))).toThrow(
          `source 1 of neuron 1 is ${bad} at sample 1; binning needs finite values. ` +
            "The layer has likely diverged: lower the learning rate.",
        );
      }
    }
  });
});

describe("resolveBinning", () => {
  it("fills the defaults", () => {
    expect(resolveBinning({ kind: "fixed" })).toEqual({
      kind: "fixed",
      bins: 20,
      min: -20,
      max: 20,
    });
    expect(resolveBinning({ kind: "adaptive" })).toEqual({ kind: "adaptive", bins: 20 });
    expect(resolveBinning({ kind: "fixed", bins: 8, min: 0, max: 1 })).toEqual({
      kind: "fixed",
      bins: 8,
      min: 0,
      max: 1,
    });
  });

  it.each([
    [
      { kind: "adaptive", bins: 1 },
      "binning/bad-bins",
      "bins must be an integer from 2 to 255 (got 1). Try 20.",
    ],
    [
      { kind: "fixed", bins: 256 },
      "binning/bad-bins",
      "bins must be an integer from 2 to 255 (got 256). Try 20.",
    ],
    [
      { kind: "fixed", bins: 2.5 },
      "binning/bad-bins",
      "bins must be an integer from 2 to 255 (got 2.5). Try 20.",
    ],
    [
      { kind: "adaptive", bins: "20" },
      "binning/bad-bins",
      'bins must be an integer from 2 to 255 (got "20"). Try 20.',
    ],
    [
      { kind: "fixed", min: 1, max: 1 },
      "binning/bad-range",
      "min must be less than max (got min 1, max 1). Try min: -20, max: 20.",
    ],
    [
      { kind: "fixed", min: Number.NEGATIVE_INFINITY },
      "binning/bad-range",
      "min must be a finite number (got -Infinity). Try -20.",
    ],
    [
      { kind: "fixed", max: Number.NaN },
      "binning/bad-range",
      "max must be a finite number (got NaN). Try 20.",
    ],
    [
      { kind: "equal" },
      "binning/unknown",
      'unknown binning kind "equal". Valid kinds: "fixed", "adaptive".',
    ],
    [
      { kind: "adaptive", min: -1 },
      "binning/bad-param",
      'binning "adaptive" has no field "min". Its fields are: kind, bins.',
    ],
  ])("rejects %j with the exact message", (input, code, message) => {
    let caught: unknown = null;
    try {
      resolveBinning(input as unknown as BinningInput);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InfomorphError);
    expect([(caught as InfomorphError).code, (caught as InfomorphError).message]).toEqual([
      code,
      message,
    ]);
  });
});
