import { describe, expect, it } from "vitest";
import { InfomorphError } from "../errors.js";
import { Rng } from "../random/rng.js";
import {
  type Activation,
  activationFromConfig,
  heaviside,
  identity,
  kayPhillips,
  modulatory,
  multiSource,
  sigmoid,
  trivariate,
} from "./activation.js";

/** Every activation under test, with the input scales at which its formulas stay finite. */
const cases: { name: string; act: Activation; scales: number[] }[] = [
  // Kay–Phillips grows like exp(k2·r·c): keep |k2·r·c| moderate so A stays finite.
  { name: "kay-phillips default", act: kayPhillips(), scales: [0.3, 1, 2.5] },
  { name: "kay-phillips k1=0.2 k2=-1.5", act: kayPhillips({ k1: 0.2, k2: -1.5 }), scales: [1, 2] },
  { name: "modulatory default", act: modulatory(), scales: [0.3, 1, 5, 40, 200] },
  { name: "modulatory k1=0.3 k2=3", act: modulatory({ k1: 0.3, k2: 3 }), scales: [1, 5, 200] },
  { name: "modulatory k1=1", act: modulatory({ k1: 1 }), scales: [1, 200] },
  { name: "trivariate default", act: trivariate(), scales: [0.3, 1, 5, 40, 200] },
  {
    name: "multi-source 4 sources",
    act: multiSource({ alpha: [0.2, 0.05, 0.3], beta: [1.5, -2, 0.7] }),
    scales: [0.3, 1, 5, 40, 200],
  },
  { name: "identity", act: identity(), scales: [1, 200] },
];

/** Seeded sample points: normal deviates times each scale, plus points near u = 0. */
function points(act: Activation, scales: number[], seed: number): number[][] {
  const rng = new Rng(seed);
  const out: number[][] = [];
  for (const scale of scales) {
    for (let t = 0; t < 40; t++) {
      out.push(Array.from({ length: act.sources }, () => scale * rng.normal()));
    }
    // large F with small context: the sigmoid's transition region at large |s|
    for (let t = 0; t < 10; t++) {
      out.push(
        Array.from({ length: act.sources }, (_, j) =>
          j === 0 ? scale * rng.normal() : (rng.normal() * 0.5) / (scale * scale),
        ),
      );
    }
  }
  return out;
}

describe("partials", () => {
  it.each(cases)("$name: every ∂A/∂s_j matches central finite differences", ({ act, scales }) => {
    // Central differences, relative step 1e-6·max(1, |s_j|); the divisor is the exact distance
    // between the two evaluated points. Tolerance: 1e-6 relative (absolute below 1).
    const out = new Float64Array(act.sources);
    for (const s of points(act, scales, 11)) {
      const a = act.partials(s, out);
      expect(a, `A at ${s}`).toBe(act.value(s));
      for (let j = 0; j < act.sources; j++) {
        const h = 1e-6 * Math.max(1, Math.abs(s[j]));
        const up = [...s];
        const down = [...s];
        up[j] = s[j] + h;
        down[j] = s[j] - h;
        const fd = (act.value(up) - act.value(down)) / (up[j] - down[j]);
        const tol = 1e-6 * Math.max(1, Math.abs(out[j]));
        expect(
          Math.abs(fd - out[j]),
          `∂A/∂s_${j} at s = [${s}]: fd ${fd}, got ${out[j]}`,
        ).toBeLessThanOrEqual(tol);
      }
    }
  });

  it("stay finite far beyond exp's range for the sigmoid forms", () => {
    for (const act of [modulatory(), trivariate(), modulatory({ k1: 1 })]) {
      const out = new Float64Array(act.sources);
      for (const v of [1e3, -1e3, 1e150, -1e150]) {
        const s = Array.from({ length: act.sources }, (_, j) => (j % 2 === 0 ? v : -v));
        const a = act.partials(s, out);
        expect([a, ...out].every(Number.isFinite), `${act.kind} at ${v}: ${[a, ...out]}`).toBe(
          true,
        );
      }
    }
  });

  it("modulatory at r·c = 0 has ∂A/∂r = 1 and ∂A/∂c = 0.1·r² (k1 = 0.9, k2 = 2)", () => {
    const out = new Float64Array(2);
    modulatory().partials([3, 0], out);
    // ∂A/∂r = k1 + 2(1−k1)(½ + 0) = 1; ∂A/∂c = 2(1−k1)·k2·r²·¼ = 0.1·9 = 0.9
    expect(out[0]).toBeCloseTo(1, 14);
    expect(out[1]).toBeCloseTo(0.9, 14);
  });
});

describe("apply", () => {
  it.each(cases)("$name agrees with value() and partials() to float32 rounding", ({ act }) => {
    const rng = new Rng(5);
    for (const n of [1, 3, 37]) {
      const s = Array.from({ length: act.sources }, () =>
        Float32Array.from({ length: n }, () => 2 * rng.normal()),
      );
      s[0][0] = 0; // r = 0 somewhere
      const a = new Float32Array(n);
      const dA = Array.from({ length: act.sources }, () => new Float32Array(n));
      act.apply(s, a, dA);
      const onlyA = new Float32Array(n);
      act.apply(s, onlyA, null);
      const out = new Float64Array(act.sources);
      for (let e = 0; e < n; e++) {
        const sample = s.map((x) => x[e]);
        const want = act.partials(sample, out);
        // one float32 rounding of the same float64 value: within half an ulp
        expect(Math.abs(a[e] - want), `A[${e}]`).toBeLessThanOrEqual(2 ** -24 * Math.abs(want));
        expect(onlyA[e], `A[${e}] without dA`).toBe(a[e]);
        for (let j = 0; j < act.sources; j++) {
          expect(Math.abs(dA[j][e] - out[j]), `dA[${j}][${e}]`).toBeLessThanOrEqual(
            2 ** -24 * Math.abs(out[j]),
          );
        }
      }
    }
  });

  it("rejects arrays of the wrong count or length with the exact message", () => {
    const act = modulatory();
    const a = new Float32Array(4);
    expect(() => act.apply([new Float32Array(4)], a, null)).toThrow(
      "modulatory expects 2 source arrays with F first (got 1). Pass one Float32Array per source.",
    );
    expect(() => act.apply([new Float32Array(4), new Float32Array(3)], a, null)).toThrow(
      "source array 1 has length 3 but the output has 4. " +
        "Give every source and output array the same length.",
    );
    expect(() =>
      act.apply([new Float32Array(4), new Float32Array(4)], a, [new Float32Array(4)]),
    ).toThrow(
      "modulatory writes 2 partial arrays, but dA holds 1. " +
        "Pass one Float32Array per source, or null.",
    );
    expect(() => trivariate().value([1, 2])).toThrow(
      "multi-source (3 sources) expects 3 source values with F first (got 2). " +
        "Pass one value per source.",
    );
    expect(() => modulatory().partials([1, 2], new Float64Array(3))).toThrow(
      "modulatory writes 2 partials, but out has length 3. Pass a Float64Array(2).",
    );
  });
});

describe("properties (docs/SCIENCE.md §1)", () => {
  const rng = new Rng(21);
  const sample = (n: number, scale: number): number[] =>
    Array.from({ length: n }, () => scale * rng.normal());

  it.each(cases)("$name: sign(A) = sign(F), and F = 0 gives A = 0", ({ act, scales }) => {
    for (const s of points(act, scales, 3)) {
      expect(Math.sign(act.value(s)), `at [${s}]`).toBe(Math.sign(s[0]));
      const zero = [0, ...s.slice(1)];
      expect(act.value(zero), `at [${zero}]`).toBe(0);
    }
  });

  it("the Graetz factor lies in (k1, 2−k1) and is 1 when r·c = 0", () => {
    for (const k1 of [0, 0.3, 0.9]) {
      const act = modulatory({ k1 });
      for (let t = 0; t < 500; t++) {
        const [r, c] = sample(2, 1);
        const factor = act.value([r, c]) / r;
        expect(factor > k1 && factor < 2 - k1, `k1 ${k1}, r ${r}, c ${c}: ${factor}`).toBe(true);
        expect(act.value([r, 0]) / r).toBeCloseTo(1, 14);
      }
      // saturated: the closed interval, reached only in floating point
      expect(act.value([30, 30]) / 30).toBeCloseTo(2 - k1, 14);
      expect(act.value([30, -30]) / 30).toBeCloseTo(k1, 14);
    }
    expect(modulatory({ k1: 1 }).value([-3.5, 7])).toBe(-3.5);
  });

  it("the three-source factor lies in (0.8, 1) with neutral value 0.9 when C = L = 0", () => {
    const act = trivariate();
    for (let t = 0; t < 500; t++) {
      const s = sample(3, 1);
      const factor = act.value(s) / s[0];
      expect(factor > 0.8 && factor < 1, `at [${s}]: ${factor}`).toBe(true);
      expect(act.value([s[0], 0, 0]) / s[0]).toBeCloseTo(0.9, 14);
    }
    // C and L push in opposite directions: factor 0.8 + 0.1·σ(2·1·5) + 0.1·σ(−2·1·5)
    expect(act.value([1, 5, -5])).toBeCloseTo(0.9, 14);
  });

  it("matches hand-worked values", () => {
    // modulatory: r = 1, c = 1, u = 2: 1·[0.9 + 0.2·σ(2)], σ(2) = 0.8807970779778823
    expect(modulatory().value([1, 1])).toBeCloseTo(0.9 + 0.2 * 0.8807970779778823, 15);
    // Kay–Phillips: r = 1, c = 0.5, u = 1: 0.5 + 0.5·e
    expect(kayPhillips().value([1, 0.5])).toBeCloseTo(0.5 + 0.5 * Math.E, 14);
    // trivariate: F = 2, C = 1, L = 0: 2·[0.8 + 0.1·σ(4) + 0.05], σ(4) = 0.9820137900379085
    expect(trivariate().value([2, 1, 0])).toBeCloseTo(2 * (0.85 + 0.09820137900379085), 14);
    expect(identity().value([-1.5])).toBe(-1.5);
  });
});

describe("sigmoid", () => {
  it("is stable and accurate over the whole line", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(-710)).toBeGreaterThan(0);
    // σ(−40) = e^−40/(1 + e^−40): full relative precision in the tail
    const e = Math.exp(-40);
    expect(Math.abs(sigmoid(-40) / (e / (1 + e)) - 1)).toBeLessThan(1e-15);
    for (const x of [0.1, 1, 3, 17]) expect(sigmoid(x) + sigmoid(-x)).toBeCloseTo(1, 15);
  });
});

describe("parameters", () => {
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return (e as InfomorphError).code;
    }
    return "no error";
  };

  it("records them for the run config, and activationFromConfig rebuilds the same function", () => {
    const acts = [kayPhillips({ k1: 0.3 }), modulatory(), trivariate(), identity()];
    const s = [0.7, -1.2, 0.4];
    for (const act of acts) {
      const again = activationFromConfig({ kind: act.kind, ...act.params });
      expect([again.kind, again.sources, again.params]).toEqual([
        act.kind,
        act.sources,
        act.params,
      ]);
      expect(again.value(s.slice(0, act.sources))).toBe(act.value(s.slice(0, act.sources)));
    }
    expect(modulatory().params).toEqual({ k1: 0.9, k2: 2 });
    expect(kayPhillips().params).toEqual({ k1: 0.5, k2: 2 });
    expect(trivariate().params).toEqual({ alpha: [0.1, 0.1], beta: [2, 2] });
    expect(trivariate().sources).toBe(3);
  });

  it("copies alpha and beta, so later edits to the caller's arrays change nothing", () => {
    const alpha = [0.1, 0.1];
    const act = multiSource({ alpha, beta: [2, 2] });
    alpha[0] = 0.5;
    expect(act.value([1, 0, 0])).toBeCloseTo(0.9, 15);
  });

  it.each([
    [() => modulatory({ k1: 1.5 }), "k1 must be a number in [0, 1] (got 1.5). Try k1: 0.9."],
    [() => kayPhillips({ k1: -0.1 }), "k1 must be a number in [0, 1] (got -0.1). Try k1: 0.5."],
    [() => modulatory({ k1: Number.NaN }), "k1 must be a number in [0, 1] (got NaN). Try k1: 0.9."],
    [
      () => modulatory({ k2: Number.POSITIVE_INFINITY }),
      "k2 must be a number in [-1000000, 1000000] (got Infinity). Try k2: 2.",
    ],
    [
      // finite, but k2·r·c overflows to −Infinity, and −Infinity·0 is NaN (found by the fuzz test)
      () => modulatory({ k2: -1.7976931348623155e308 }),
      "k2 must be a number in [-1000000, 1000000] (got -1.7976931348623155e+308). Try k2: 2.",
    ],
    [
      () => multiSource({ alpha: [0.1], beta: [2, 2] }),
      "alpha and beta must have the same length, one entry per context source (got 1 and 2). " +
        "Try alpha: [0.1, 0.1], beta: [2, 2].",
    ],
    [
      () => multiSource({ alpha: [], beta: [] }),
      "alpha must be a non-empty array of numbers, one per context source (got []). " +
        "Try alpha: [0.1, 0.1], beta: [2, 2].",
    ],
    [
      () => multiSource({ alpha: [0.6, 0.5], beta: [2, 2] }),
      "alpha must sum to less than 1, so the factor 1 − Σα stays positive (got sum 1.1). " +
        "Try alpha: [0.1, 0.1], beta: [2, 2].",
    ],
    [
      () => trivariate({ alpha: [0.1, -0.1] }),
      "alpha[1] must be a number in [0, 1) (got -0.1). Try 0.1.",
    ],
    [
      () => trivariate({ beta: [2, Number.NaN] }),
      "beta[1] must be a number in [-1000000, 1000000] (got NaN). Try 2.",
    ],
    [
      () => activationFromConfig({ kind: "graetz" }),
      'unknown activation kind "graetz". ' +
        'Valid kinds: "kay-phillips", "modulatory", "multi-source", "identity", "heaviside".',
    ],
    [
      () => activationFromConfig({ kind: "modulatory", k3: 1 }),
      'activation "modulatory" has no parameter "k3". Its parameters are: k1, k2.',
    ],
    [
      () => activationFromConfig({ kind: "identity", k1: 1 }),
      'activation "identity" has no parameter "k1". It takes none.',
    ],
    [
      () => activationFromConfig({ kind: "modulatory", k1: "0.9" }),
      'k1 must be a number in [0, 1] (got "0.9"). Try k1: 0.9.',
    ],
    [
      () => activationFromConfig({ kind: "multi-source", alpha: 0.1, beta: [2] }),
      "alpha must be a non-empty array of numbers, one per context source (got 0.1). " +
        "Try alpha: [0.1, 0.1], beta: [2, 2].",
    ],
  ])("rejects bad parameters with the exact message (%#)", (f, message) => {
    expect(f).toThrow(InfomorphError);
    expect(f).toThrow(message);
    try {
      f();
    } catch (e) {
      expect((e as Error).message).toBe(message);
    }
  });

  it("uses the documented codes", () => {
    expect(code(() => activationFromConfig({ kind: "x" }))).toBe("activation/unknown");
    expect(code(() => modulatory({ k1: 2 }))).toBe("activation/bad-param");
    expect(code(() => modulatory().value([1]))).toBe("activation/bad-shape");
  });
});

describe("heaviside", () => {
  it("steps at 0 and has the sigmoid slope as its surrogate derivative", () => {
    const h = heaviside();
    const out = new Float64Array(1);
    expect([h.value([-0.1]), h.value([0]), h.value([2])]).toEqual([0, 0, 1]);
    expect(h.partials([0], out)).toBe(0);
    expect(out[0]).toBe(0.25);
    h.partials([3], out);
    expect(out[0]).toBeCloseTo(sigmoid(3) * (1 - sigmoid(3)), 15);
    const a = new Float32Array(3);
    const dA = [new Float32Array(3)];
    h.apply([Float32Array.from([-1, 0.5, 0])], a, dA);
    expect(Array.from(a)).toEqual([0, 1, 0]);
    expect(dA[0][2]).toBe(0.25);
    expect(activationFromConfig({ kind: "heaviside" }).kind).toBe("heaviside");
  });
});
