import { describe, expect, it } from "vitest";
import { InfomorphError } from "../errors.js";
import { Rng } from "../random/rng.js";
import { adam, sgd } from "./optimizer.js";

/** |got − want| within a few float32 roundings of a value near 1. */
const F32 = 3e-7;

describe("adam", () => {
  it("matches hand-computed values for one and three steps (lr 0.1, no decay)", () => {
    const opt = adam(1, { lr: 0.1 });
    const w = Float32Array.of(1);
    // t = 1, g = 1: m = 0.1, v = 0.001, m̂ = 1, v̂ = 1: w = 1 − 0.1·1/(1 + 1e-8)
    opt.step(w, Float32Array.of(1));
    expect(Math.abs(w[0] - 0.900000001)).toBeLessThan(F32);
    // t = 2, g = −1: m = 0.09 − 0.1 = −0.01, m̂ = −0.01/0.19 = −1/19;
    // v = 0.000999 + 0.001 = 0.001999, v̂ = 0.001999/(1 − 0.998001) = 1
    opt.step(w, Float32Array.of(-1));
    expect(Math.abs(w[0] - (0.900000001 + 0.1 / 19 / (1 + 1e-8)))).toBeLessThan(F32);
    // t = 3, g = 2: m = −0.009 + 0.2 = 0.191, m̂ = 0.191/0.271 = 0.7047970479704797;
    // v = 0.001997001 + 0.004 = 0.005997001, v̂ = 0.005997001/0.002997001 = 2.0010006670001133
    opt.step(w, Float32Array.of(2));
    const want3 =
      0.9052631588421052 - (0.1 * 0.7047970479704797) / (Math.sqrt(2.0010006670001133) + 1e-8);
    expect(want3).toBeCloseTo(0.8554389447994022, 12);
    expect(Math.abs(w[0] - want3)).toBeLessThan(F32);
    const { step, moments } = opt.state();
    expect(step).toBe(3);
    expect(moments[0][0]).toBe(Math.fround(0.191));
    expect(Math.abs(moments[1][0] - 0.005997001)).toBeLessThan(1e-9);
  });

  it("adds eps after the square root of the bias-corrected second moment", () => {
    // g = 1e-8 on step 1: m̂ = 1e-8, √v̂ = 1e-8, update = lr·1e-8/(1e-8 + 1e-8) = lr/2.
    // eps inside the root would give ≈ lr·1e-4; eps before the bias correction ≈ lr·0.03.
    const opt = adam(1, { lr: 0.1 });
    const w = Float32Array.of(1);
    opt.step(w, Float32Array.of(1e-8));
    expect(Math.abs(w[0] - 0.95)).toBeLessThan(F32);
  });

  it("couples weight decay into the gradient: zero gradient still pulls toward 0", () => {
    const opt = adam(2, { lr: 0.01, weightDecay: 0.1 });
    const w = Float32Array.of(1, -2);
    // step 1: g = wd·w, update = lr·sign(w): 1 → 0.99, −2 → −1.99
    opt.step(w, new Float32Array(2));
    expect(Math.abs(w[0] - 0.99)).toBeLessThan(F32);
    expect(Math.abs(w[1] + 1.99)).toBeLessThan(2 * F32);
    let prev = Array.from(w, Math.abs);
    for (let i = 0; i < 50; i++) {
      opt.step(w, new Float32Array(2));
      const now = Array.from(w, Math.abs);
      expect(now[0]).toBeLessThan(prev[0]);
      expect(now[1]).toBeLessThan(prev[1]);
      prev = now;
    }
    expect(Math.sign(w[0])).toBe(1);
    expect(Math.sign(w[1])).toBe(-1);
  });

  it("minimises a seeded quadratic", () => {
    const rng = new Rng(4);
    const n = 33;
    const target = Float64Array.from({ length: n }, () => rng.normal());
    const curvature = Float64Array.from({ length: n }, () => 0.1 + 10 * rng.uniform());
    const w = Float32Array.from({ length: n }, () => 3 * rng.normal());
    const grad = new Float32Array(n);
    const opt = adam(n, { lr: 0.02 });
    const loss = (): number => {
      let l = 0;
      for (let e = 0; e < n; e++) l += curvature[e] * (w[e] - target[e]) ** 2;
      return l;
    };
    const start = loss();
    for (let it = 0; it < 3000; it++) {
      for (let e = 0; e < n; e++) grad[e] = 2 * curvature[e] * (w[e] - target[e]);
      opt.step(w, grad);
    }
    expect(start).toBeGreaterThan(10);
    for (let e = 0; e < n; e++) expect(Math.abs(w[e] - target[e]), `w[${e}]`).toBeLessThan(1e-3);
  });

  it("leaves masked entries exactly 0 and their moments untouched", () => {
    const opt = adam(4, { lr: 0.1, weightDecay: 0.5 });
    const w = Float32Array.of(1, 0, 0.3, 0.7);
    const mask = Uint8Array.of(1, 0, 1, 0);
    for (let i = 0; i < 5; i++) opt.step(w, Float32Array.of(1, 1, -1, 1), mask);
    expect(Object.is(w[1], 0) && Object.is(w[3], 0), `${w}`).toBe(true);
    expect(w[0]).not.toBe(1);
    const [m, v] = opt.state().moments;
    expect([m[1], m[3], v[1], v[3]]).toEqual([0, 0, 0, 0]);
    expect(m[0]).not.toBe(0);
  });

  it("resumes bit-identically from state(), and state() is a deep copy", () => {
    const rng = new Rng(9);
    const n = 7;
    const grads = Array.from({ length: 10 }, () =>
      Float32Array.from({ length: n }, () => rng.normal()),
    );
    const a = adam(n, { lr: 0.05, weightDecay: 1e-3 });
    const wa = Float32Array.from({ length: n }, () => rng.normal());
    for (let i = 0; i < 5; i++) a.step(wa, grads[i]);
    const saved = a.state();
    const wb = wa.slice();
    const snapshot = saved.moments.map((x) => x.slice());
    for (let i = 5; i < 10; i++) a.step(wa, grads[i]);
    expect(saved.moments).toEqual(snapshot); // later steps did not write into the saved copy

    const b = adam(n, { lr: 0.05, weightDecay: 1e-3 });
    b.restore(saved);
    saved.moments[0].fill(123); // nor does editing the saved copy reach b
    for (let i = 5; i < 10; i++) b.step(wb, grads[i]);
    expect(Array.from(wb)).toEqual(Array.from(wa));
    expect(b.state()).toEqual(a.state());
  });
});

describe("sgd", () => {
  it("matches hand values with momentum 0.9 (lr 0.1, g = 1 three times)", () => {
    const opt = sgd(1, { lr: 0.1, momentum: 0.9 });
    const w = Float32Array.of(1);
    const want = [0.9, 0.71, 0.439]; // b = 1, 1.9, 2.71
    for (const x of want) {
      opt.step(w, Float32Array.of(1));
      expect(Math.abs(w[0] - x)).toBeLessThan(F32);
    }
    expect(opt.state().moments[0][0]).toBe(Math.fround(2.71));
  });

  it("applies coupled weight decay without momentum, and masks", () => {
    const opt = sgd(2, { lr: 0.1, weightDecay: 0.5 });
    const w = Float32Array.of(2, 5);
    opt.step(w, Float32Array.of(0, 1), Uint8Array.of(1, 0)); // g = 0.5·2 = 1: w = 2 − 0.1
    expect(w[0]).toBe(Math.fround(1.9));
    expect(Object.is(w[1], 0)).toBe(true);
    expect(opt.state()).toEqual({ kind: "sgd", step: 1, moments: [] });
  });

  it("resumes bit-identically", () => {
    const grads = [0.3, -1.2, 0.8, 2.5].map((g) => Float32Array.of(g, -g));
    const a = sgd(2, { lr: 0.07, momentum: 0.8 });
    const wa = Float32Array.of(0.1, 0.2);
    a.step(wa, grads[0]);
    a.step(wa, grads[1]);
    const b = sgd(2, { lr: 0.07, momentum: 0.8 });
    b.restore(a.state());
    const wb = wa.slice();
    for (const g of grads.slice(2)) {
      a.step(wa, g);
      b.step(wb, g);
    }
    expect(Array.from(wb)).toEqual(Array.from(wa));
  });
});

describe("bad input", () => {
  it.each([
    [() => adam(3, { lr: 0 }), "lr must be a positive finite number (got 0). Try lr: 1e-3."],
    [
      () => adam(3, { lr: Number.NaN }),
      "lr must be a positive finite number (got NaN). Try lr: 1e-3.",
    ],
    [() => adam(3, { lr: 1e-3, beta1: 1 }), "beta1 must be in [0, 1) (got 1). Try beta1: 0.9."],
    [
      () => adam(3, { lr: 1e-3, beta2: -0.1 }),
      "beta2 must be in [0, 1) (got -0.1). Try beta2: 0.999.",
    ],
    [
      () => adam(3, { lr: 1e-3, eps: 0 }),
      "eps must be a positive finite number (got 0). Try eps: 1e-8.",
    ],
    [
      () => adam(3, { lr: 1e-3, weightDecay: -1 }),
      "weightDecay must be a non-negative finite number (got -1). Try weightDecay: 0.",
    ],
    [() => sgd(3, { lr: -1 }), "lr must be a positive finite number (got -1). Try lr: 1e-2."],
    [
      () => sgd(3, { lr: 1, momentum: 1.5 }),
      "momentum must be in [0, 1) (got 1.5). Try momentum: 0.9.",
    ],
    [
      () => sgd(0, { lr: 1 }),
      "size must be a positive integer, the number of parameters (got 0). Pass params.length.",
    ],
    [
      () => adam(3, { lr: 1 }).step(new Float32Array(3), new Float32Array(2)),
      "grad has length 2 but the optimizer was made for 3 parameters. " +
        "Use one optimizer per parameter tensor.",
    ],
    [
      () => adam(3, { lr: 1 }).restore(sgd(3, { lr: 1 }).state()),
      'cannot restore a state of kind "sgd" into a "adam" optimizer. ' +
        "Create the optimizer with sgd() instead.",
    ],
    [
      () => sgd(3, { lr: 1, momentum: 0.5 }).restore(sgd(4, { lr: 1, momentum: 0.5 }).state()),
      "state holds 1 moment buffers of lengths [4], expected 1 of length 3. " +
        "Restore a state saved from an optimizer with the same size and settings.",
    ],
  ])("rejects it with the exact message (%#)", (f, message) => {
    let caught: unknown = null;
    try {
      f();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InfomorphError);
    expect((caught as Error).message).toBe(message);
  });
});
