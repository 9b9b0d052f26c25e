import { describe, expect, it } from "vitest";
import { loadPidVectors } from "../../testing/vectors.js";
import { Rng } from "../random/rng.js";
import { complexityOrders, layerComplexity, representationalComplexity } from "./complexity.js";

/** Samples of n ±1 neurons for every row [bits…, label]; returns outputs and labels. */
function samplesOf(rows: number[][], coding: "pm1" | "01" = "pm1") {
  const n = rows[0].length - 1;
  const outputs = new Int8Array(rows.length * n);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, k) => {
    for (let j = 0; j < n; j++) outputs[k * n + j] = row[j] === 1 ? 1 : coding === "pm1" ? -1 : 0;
    labels[k] = row[n];
  });
  return { outputs, labels };
}

const XOR_ROWS = [
  [0, 0, 0],
  [0, 1, 1],
  [1, 0, 1],
  [1, 1, 0],
];
const LOG2_4_3 = Math.log2(4 / 3);

describe("complexityOrders", () => {
  it("gives m(α) = min |a| in canonical order", () => {
    expect(Array.from(complexityOrders(1))).toEqual([1]);
    expect(Array.from(complexityOrders(2))).toEqual([1, 1, 1, 2]);
    expect(Array.from(complexityOrders(3))).toEqual([
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3,
    ]);
    const five = complexityOrders(5);
    expect(five.length).toBe(7579);
    expect(five[0]).toBe(1); // bottom {1}{2}{3}{4}{5}
    expect(five[five.length - 1]).toBe(5); // top {12345}
  });
});

describe("representationalComplexity", () => {
  it("is 1 for a redundant code: every neuron alone identifies the label", () => {
    for (const n of [1, 2, 3, 5]) {
      const rows = [0, 1].flatMap((t) => [Array<number>(n).fill(t).concat(t)]);
      const { outputs, labels } = samplesOf(rows.concat(rows, rows));
      const neurons = Array.from({ length: n }, (_, j) => j);
      const r = representationalComplexity(outputs, labels, { classes: 2, neurons });
      expect(r.complexity, `n = ${n}`).toBeCloseTo(1, 12);
      expect(r.information, `n = ${n}`).toBeCloseTo(1, 12);
    }
  });

  it("is 1 + log2(4/3) for XOR under I^sx (unique parts cancel the negative redundancy)", () => {
    const { outputs, labels } = samplesOf(XOR_ROWS);
    const r = representationalComplexity(outputs, labels, { classes: 2, neurons: [0, 1] });
    expect(r.complexity).toBeCloseTo(1 + LOG2_4_3, 12);
    expect(r.information).toBeCloseTo(1, 12);
    // the same with 0/1 coding, Float32 outputs and the neurons swapped
    const zeroOne = samplesOf(XOR_ROWS, "01");
    const swapped = representationalComplexity(Float32Array.from(zeroOne.outputs), labels, {
      classes: 2,
      neurons: [1, 0],
    });
    expect(swapped.complexity).toBeCloseTo(1 + LOG2_4_3, 12);
  });

  it("is 1 + Π(12)/I for AND, by hand", () => {
    const rows = [
      [0, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
      [1, 1, 1],
    ];
    const { outputs, labels } = samplesOf(rows);
    const synergy = 0.75 * LOG2_4_3;
    const information = 2 - 0.75 * Math.log2(3); // H(1/4)
    const r = representationalComplexity(outputs, labels, { classes: 2, neurons: [0, 1] });
    expect(r.complexity).toBeCloseTo(1 + synergy / information, 12); // 1.3837…
    expect(r.information).toBeCloseTo(information, 12);
  });

  it("ignores neurons outside the group and labels from unused classes", () => {
    // neuron 1 is noise; neuron 0 copies the label; class 2 never occurs
    const { outputs, labels } = samplesOf([
      [0, 0, 0],
      [0, 1, 0],
      [1, 0, 1],
      [1, 1, 1],
    ]);
    const r = representationalComplexity(outputs, labels, { classes: 3, neurons: [0] });
    expect(r.complexity).toBeCloseTo(1, 12);
    expect(Array.from(r.atoms)).toHaveLength(1);
  });

  // Independent ground truth: C from the SxPID vectors' atoms, with m(α) read off each name.
  const binaryCases = loadPidVectors().filter((c) => c.shape.slice(0, -1).every((s) => s === 2));
  it.each(binaryCases.filter((c) => denominator(c.p_flat) !== null))(
    "$name: matches Σ m·Π / I from the SxPID vectors",
    (c) => {
      const d = denominator(c.p_flat)!;
      const n = c.n_sources;
      const classes = c.shape[n];
      const rows: number[][] = [];
      c.p_flat.forEach((p, i) => {
        const count = Math.round(p * d);
        const cell = Array.from(
          { length: n + 1 },
          (_, a) => Math.floor(i / stride(c.shape, a)) % c.shape[a],
        );
        for (let k = 0; k < count; k++) rows.push(cell);
      });
      const { outputs, labels } = samplesOf(rows);
      const neurons = Array.from({ length: n }, (_, j) => j);
      let weighted = 0;
      let information = 0;
      for (const [name, atom] of Object.entries(c.atoms)) {
        const m = Math.min(
          ...name
            .slice(1, -1)
            .split("}{")
            .map((a) => a.length),
        );
        weighted += m * atom;
        information += atom;
      }
      const r = representationalComplexity(outputs, labels, { classes, neurons });
      expect(r.complexity, c.name).toBeCloseTo(weighted / information, 9);
    },
  );

  it("rejects bad input with messages that name the fix", () => {
    const { outputs, labels } = samplesOf(XOR_ROWS);
    const call =
      (o: Int8Array | Float32Array, l: Uint8Array, neurons: number[], classes = 2) =>
      () =>
        representationalComplexity(o, l, { classes, neurons });
    expect(call(outputs, labels, [0, 2])).toThrow(
      "neuron 2 does not exist; outputs have 2 neurons per sample (indices 0…1).",
    );
    expect(call(outputs, labels, [1, 1])).toThrow(
      "neuron 1 is listed twice; a group lists distinct neurons.",
    );
    expect(call(outputs, labels, [])).toThrow(
      "a group needs 1 to 5 neurons for an exact PID (got 0); for more, use layerComplexity() with groupSize ≤ 5.",
    );
    expect(call(outputs, labels, [0, 1], 1)).toThrow(
      "classes must be an integer ≥ 2 (got 1), e.g. 10 for MNIST.",
    );
    expect(call(outputs, labels.subarray(0, 3), [0])).toThrow(
      "outputs has 8 entries, not a positive multiple of the 3 labels; pass outputs row-major [sample × neuron] with one label per sample.",
    );
    expect(call(Float32Array.of(1, -1, 0.7, 1), labels.subarray(0, 2), [0])).toThrow(
      "output 2 is 0.699999988079071; outputs must be binary samples, ±1 or 0/1. Pass sampled outputs, not probabilities θ.",
    );
    expect(call(Int8Array.of(1, -1, 0, 1), labels.subarray(0, 2), [0])).toThrow(
      "outputs mix −1 and 0, so the off state is ambiguous; code every output as ±1 or every output as 0/1.",
    );
    expect(call(outputs, Uint8Array.of(0, 1, 2, 0), [0])).toThrow(
      "label 2 is 2 but classes is 2; labels must lie in 0…1.",
    );
    // neuron 0 alone carries nothing about XOR
    expect(call(outputs, labels, [0])).toThrow(
      "neurons [0] carry 0 bits about the label, so C = Σ m·Π / I is undefined. Choose neurons whose outputs vary with the label.",
    );
  });
});

describe("layerComplexity", () => {
  // 4 neurons: 0 and 1 copy T; 2 is X, independent of T; 3 is X XOR T.
  // Pair {0,1}: redundant, C = 1. Every other pair is UNQ (T = S_a, S_b independent) or
  // XOR, both C = 1 + log2(4/3) under I^sx.
  const rows: number[][] = [];
  for (const t of [0, 1]) for (const x of [0, 1]) rows.push([t, t, x, x ^ t, t]);
  const { outputs, labels } = samplesOf(rows);

  it("averages C over random pairs, each matching its hand value", () => {
    const r = layerComplexity(outputs, labels, {
      classes: 2,
      groupSize: 2,
      groups: 40,
      rng: new Rng(1),
    });
    expect(r.method).toBe("subsampled groups of k neurons");
    expect([r.groups, r.groupSize, r.uninformative, r.values.length]).toEqual([40, 2, 0, 40]);
    let redundantPairs = 0;
    for (let g = 0; g < 40; g++) {
      const pair = Array.from(r.members.subarray(2 * g, 2 * g + 2)).sort();
      expect(pair[0], `group ${g} distinct`).not.toBe(pair[1]);
      const redundant = pair[0] === 0 && pair[1] === 1;
      if (redundant) redundantPairs++;
      expect(r.values[g], `group ${g} = [${pair}]`).toBeCloseTo(redundant ? 1 : 1 + LOG2_4_3, 12);
    }
    // both kinds must have been drawn for the test to mean something (1 in 6 pairs is redundant)
    expect(redundantPairs).toBeGreaterThan(0);
    expect(redundantPairs).toBeLessThan(40);
    const mean = (redundantPairs * 1 + (40 - redundantPairs) * (1 + LOG2_4_3)) / 40;
    expect(r.mean).toBeCloseTo(mean, 12);
    const variance =
      (redundantPairs * (1 - mean) ** 2 + (40 - redundantPairs) * (1 + LOG2_4_3 - mean) ** 2) / 39;
    expect(r.std).toBeCloseTo(Math.sqrt(variance), 12);
  });

  it("is reproducible from the seed and covers every neuron", () => {
    const a = layerComplexity(outputs, labels, {
      classes: 2,
      groupSize: 3,
      groups: 20,
      rng: new Rng(5),
    });
    const b = layerComplexity(outputs, labels, {
      classes: 2,
      groupSize: 3,
      groups: 20,
      rng: new Rng(5),
    });
    expect(Array.from(a.members)).toEqual(Array.from(b.members));
    expect(a.mean).toBe(b.mean);
    expect(new Set(a.members).size).toBe(4);
  });

  it("skips uninformative groups and counts them", () => {
    // neurons 2 (X) and 3 (X XOR T) alone say nothing about T; neurons 0 and 1 say 1 bit
    const r = layerComplexity(outputs, labels, {
      classes: 2,
      groupSize: 1,
      groups: 30,
      rng: new Rng(2),
    });
    const drawnX = Array.from(r.members).filter((i) => i >= 2).length;
    expect(drawnX).toBeGreaterThan(0);
    expect(r.uninformative).toBe(drawnX);
    expect(r.values.length).toBe(30 - drawnX);
    expect(r.mean).toBeCloseTo(1, 12);
  });

  it("rejects bad settings with messages that name the fix", () => {
    const rng = new Rng(1);
    expect(() =>
      layerComplexity(outputs, labels, { classes: 2, groupSize: 6, groups: 10, rng }),
    ).toThrow(
      "groupSize must be an integer from 1 to 4 (the smaller of 5 and the 4 neurons; got 6).",
    );
    expect(() =>
      layerComplexity(outputs, labels, { classes: 2, groupSize: 2, groups: 0, rng }),
    ).toThrow("groups must be a positive integer (got 0); 100 groups is a common choice.");
    const noise = samplesOf([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(() =>
      layerComplexity(noise.outputs, noise.labels, { classes: 2, groupSize: 1, groups: 3, rng }),
    ).toThrow(
      "none of the 3 groups of 1 neurons carries information about the label, so C is undefined. Check that the layer was trained and that labels match the samples.",
    );
  });
});

/** The smallest D ≤ 64 with every p·D an integer, or null. */
function denominator(p: readonly number[]): number | null {
  for (let d = 1; d <= 64; d++) {
    if (p.every((v) => Math.abs(v * d - Math.round(v * d)) < 1e-9)) return d;
  }
  return null;
}

function stride(shape: readonly number[], axis: number): number {
  return shape.slice(axis + 1).reduce((a, b) => a * b, 1);
}
