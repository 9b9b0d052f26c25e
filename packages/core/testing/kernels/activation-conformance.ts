/** The activation part of the layer-kernel suite: activateLayer (A(s), ∂A/∂s_j, θ and the ±1 samples with the caller's rng) against the naive formulas (../naive-kernels.ts) on seeded random and extreme inputs, for every activation form. */

import {
  type Activation,
  InfomorphError,
  type Kernels,
  Rng,
  heaviside,
  identity,
  kayPhillips,
  modulatory,
  multiSource,
  trivariate,
} from "@infomorph/core";
import { describe, expect, it } from "vitest";
import { naiveActivateLayer } from "../naive-kernels.js";
import type { Placement } from "./suite.js";

/** One float32 rounding, 2⁻²⁴. */
const EPS = 2 ** -24;
/** The smallest float32 subnormal, 2⁻¹⁴⁹: the absolute accuracy of results that underflow. */
const TINY = 2 ** -149;
/**
 * Float32 roundings allowed per result (in units of EPS). The float32 SIMD path rounds each
 * of ~10 operations once and its exponential is good to ≤ 2 ulp; the worst cases observed
 * on these inputs are about 5 EPS (∂A/∂s_j) and 6–7 EPS (θ), so 16 leaves a margin of two.
 * Further error terms are stated at the checks: rounding the exponent argument u = β·F·s_j
 * to float32 costs |u|·EPS relative in σ'(u), a's error reaches θ = σ(a) scaled by
 * |a|·θ(1 − θ), and subnormal results are good to TINY only.
 */
export const LAYER_ULPS = 16;

/** A case of the activation tests; `exact`: the implementation must give the oracle's bits (kinds that every implementation computes in float64 and rounds once: wasm falls back to ts/ for them). */
interface ActivationCase {
  readonly label: string;
  readonly activation: Activation;
  readonly exact?: boolean;
}

const ACTIVATIONS: readonly ActivationCase[] = [
  { label: "trivariate (ICLR)", activation: trivariate() },
  { label: "multi-source 2", activation: multiSource({ alpha: [0.3], beta: [1.5] }) },
  {
    label: "multi-source 4",
    activation: multiSource({ alpha: [0.1, 0.25, 0.05], beta: [2, -1, 3.5] }),
  },
  { label: "modulatory", activation: modulatory() },
  { label: "modulatory k1=0", activation: modulatory({ k1: 0, k2: -3 }) },
  { label: "modulatory k1=1", activation: modulatory({ k1: 1 }) },
  { label: "kay-phillips", activation: kayPhillips() },
  { label: "kay-phillips k1=1", activation: kayPhillips({ k1: 1, k2: 0.5 }) },
  { label: "identity", activation: identity() },
  { label: "heaviside (fallback)", activation: heaviside(), exact: true },
  {
    label: "multi-source 5 (fallback)",
    activation: multiSource({ alpha: [0.1, 0.1, 0.1, 0.1], beta: [2, 2, 2, 2] }),
    exact: true,
  },
];

/** Element counts: every SIMD tail, the wasm sampling chunk (64) and its edges, a layer of 100 × 1024. */
const CELLS = [1, 2, 3, 4, 5, 7, 33, 64, 65, 129, 1000, 1024 * 100, 1024 * 100 + 3];

/** typical: |s| up to ~6; extreme: zeros, ±1e4, tiny and log-uniform magnitudes over 1e-6..1e4. */
type Inputs = "typical" | "extreme";

/** Registers the activateLayer tests of one implementation (inside runLayerKernelSuite's describe). */
export function activationTests(name: string, get: () => Promise<Kernels>): void {
  describe("activateLayer", () => {
    for (const c of ACTIVATIONS) {
      for (const inputs of ["typical", "extreme"] as const) {
        it(`${c.label}, ${inputs} inputs, matches the naive formulas over odd sizes`, async () => {
          const kernels = await get();
          let mismatches = 0;
          let total = 0;
          for (const cells of CELLS) {
            const seed = cells * 31 + c.label.length * 7 + (inputs === "extreme" ? 1 : 0);
            const s = sources(new Rng(seed), c.activation.sources, cells, inputs);
            const start = new Rng(seed + 1).state();
            const want = runActivation(oracleKernels, c.activation, s, cells, start, "plain");
            const got = runActivation(kernels, c.activation, s, cells, start, "alloc");
            const where = `${name} ${c.label} ${inputs} cells=${cells}`;
            expect(got.rng, `${where}: rng state`).toEqual(want.rng);
            if (c.exact) {
              expectSameBits(got, want, where);
            } else {
              mismatches += expectClose(c.activation, s, got, want, start, where);
            }
            total += cells;
          }
          // a sample may flip only where u lies between the two θ: about |Δθ| ≈ 1e-7 of them
          expect(mismatches, `${name} ${c.label}: samples that differ`).toBeLessThanOrEqual(
            2 + total * 1e-5,
          );
        });
      }
    }

    it("gives the same bits for arrays in or outside kernel memory, at odd offsets", async () => {
      const kernels = await get();
      for (const c of ACTIVATIONS) {
        for (const cells of [5, 67, 1003]) {
          const s = sources(new Rng(cells), c.activation.sources, cells, "extreme");
          const start = new Rng(cells + 1).state();
          const inPlace = runActivation(kernels, c.activation, s, cells, start, "alloc");
          for (const placement of ["plain", "mixed"] as const) {
            const other = runActivation(kernels, c.activation, s, cells, start, placement);
            expectSameBits(other, inPlace, `${name} ${c.label} ${placement} cells=${cells}`);
          }
        }
      }
    });

    it("writes only the first `cells` elements and continues the caller's rng stream", async () => {
      const kernels = await get();
      const activation = trivariate();
      const cells = 37;
      const s = sources(new Rng(3), 3, cells + 8, "typical");
      const a = new Float32Array(cells + 8).fill(7);
      const dA = [0, 1, 2].map(() => new Float32Array(cells + 8).fill(7));
      const theta = new Float32Array(cells + 8).fill(7);
      const samples = new Float32Array(cells + 8).fill(7);
      const rng = new Rng(11);
      const twin = new Rng(11);
      kernels.activateLayer(activation.spec, s, a, dA, theta, samples, cells, rng);
      for (const v of [a, ...dA, theta, samples]) {
        expect(Array.from(v.subarray(cells))).toEqual(new Array(8).fill(7));
        expect(v.subarray(0, cells).every(Number.isFinite)).toBe(true);
      }
      for (let e = 0; e < cells; e++) twin.uniform();
      expect(rng.uniform()).toBe(twin.uniform());
      // cells = 0 draws nothing
      kernels.activateLayer(activation.spec, s, a, dA, theta, samples, 0, rng);
      expect(rng.uniform()).toBe(twin.uniform());
    });

    it("computes the documented values: θ(0) = ½, saturation without NaN", async () => {
      const kernels = await get();
      const activation = trivariate();
      const f = Float32Array.of(0, 1e4, -1e4, 2, -0);
      const zero = new Float32Array(5);
      const a = new Float32Array(5);
      const dA = [0, 1, 2].map(() => new Float32Array(5));
      const theta = new Float32Array(5);
      const samples = new Float32Array(5);
      kernels.activateLayer(activation.spec, [f, zero, zero], a, dA, theta, samples, 5, new Rng(1));
      expect(Array.from(theta.subarray(0, 3))).toEqual([0.5, 1, 0]);
      expect(a[3]).toBeCloseTo(1.8, 6); // 2 × the neutral factor 0.9
      expect(Array.from(a).every(Number.isFinite)).toBe(true);
      expect(dA[0][0]).toBeCloseTo(0.9, 6);
      expect(Array.from(samples).every((x) => x === 1 || x === -1)).toBe(true);
      expect(samples[1]).toBe(1);
      expect(samples[2]).toBe(-1);
    });

    it("rejects bad shapes with the fix in the message", async () => {
      const kernels = await get();
      const v = () => new Float32Array(4);
      const call = () =>
        kernels.activateLayer(
          trivariate().spec,
          [v(), v()],
          v(),
          [v(), v(), v()],
          v(),
          v(),
          4,
          new Rng(1),
        );
      expect(call).toThrow(InfomorphError);
      expect(call).toThrow(
        "activateLayer: s holds 2 arrays but the modulated activation takes 3 sources. Pass one Float32Array per source, F first.",
      );
      expect(() =>
        kernels.activateLayer(
          identity().spec,
          [v()],
          v(),
          [v()],
          new Float32Array(3),
          v(),
          4,
          new Rng(1),
        ),
      ).toThrow("activateLayer: theta has 3 elements but cells = 4 are needed.");
    });
  });
}

/** The oracle as a Kernels-shaped object (only activateLayer is used): the naive formulas. */
const oracleKernels: Pick<Kernels, "activateLayer"> = { activateLayer: naiveActivateLayer };

/** `count` source arrays of `cells` float32 values. */
function sources(rng: Rng, count: number, cells: number, inputs: Inputs): Float32Array[] {
  return Array.from({ length: count }, () => {
    const v = new Float32Array(cells);
    for (let e = 0; e < cells; e++) {
      const sign = rng.uniform() < 0.5 ? -1 : 1;
      if (inputs === "typical") {
        v[e] = sign * 6 * rng.uniform() ** 2;
        continue;
      }
      const pick = rng.uniform();
      if (pick < 0.1) v[e] = sign * 0;
      else if (pick < 0.2) v[e] = sign * 1e4;
      else if (pick < 0.25) v[e] = sign * 1e-30;
      else v[e] = sign * 10 ** (10 * rng.uniform() - 6);
    }
    return v;
  });
}

interface ActivationResult {
  a: Float32Array;
  dA: Float32Array[];
  theta: Float32Array;
  samples: Float32Array;
  rng: ReturnType<Rng["state"]>;
}

/**
 * One activateLayer call on copies of `s`, with its arrays placed as asked: all from alloc(),
 * all plain, or mixed (inputs from alloc() one float past an aligned start, outputs plain).
 */
function runActivation(
  kernels: Pick<Kernels, "activateLayer"> & Partial<Kernels>,
  activation: Activation,
  s: readonly Float32Array[],
  cells: number,
  start: ReturnType<Rng["state"]>,
  placement: Placement,
): ActivationResult {
  const arena = (length: number, offset: number): Float32Array =>
    placement === "plain" || kernels.alloc === undefined
      ? new Float32Array(length)
      : kernels.alloc(length + offset).subarray(offset);
  const inOffset = placement === "mixed" ? 1 : 0;
  const outside = placement !== "alloc";
  const output = (): Float32Array =>
    (outside ? new Float32Array(cells) : arena(cells, 0)).fill(Number.NaN);
  const placed = s.map((v) => {
    const copy = arena(cells, inOffset);
    copy.set(v);
    return copy;
  });
  const a = output();
  const dA = s.map(output);
  const theta = output();
  const samples = output();
  const rng = Rng.fromState(start);
  kernels.activateLayer(activation.spec, placed, a, dA, theta, samples, cells, rng);
  return {
    a: a.slice(),
    dA: dA.map((v) => v.slice()),
    theta: theta.slice(),
    samples: samples.slice(),
    rng: rng.state(),
  };
}

function expectSameBits(got: ActivationResult, want: ActivationResult, where: string): void {
  const same = (x: Float32Array, y: Float32Array, what: string) =>
    expect(Array.from(x), `${where}: ${what}`).toEqual(Array.from(y));
  same(got.a, want.a, "a");
  got.dA.forEach((v, j) => same(v, want.dA[j], `dA[${j}]`));
  same(got.theta, want.theta, "theta");
  same(got.samples, want.samples, "samples");
}

/**
 * a, dA and θ within the tolerances of LAYER_ULPS; samples equal except near ties, whose
 * number it returns. The error scales come from the float64 formulas of neuron/activation.ts.
 */
function expectClose(
  activation: Activation,
  s: readonly Float32Array[],
  got: ActivationResult,
  want: ActivationResult,
  start: ReturnType<Rng["state"]>,
  where: string,
): number {
  const cells = want.a.length;
  const terms = errorTerms(activation);
  const tol = LAYER_ULPS * EPS;
  const uniforms = Rng.fromState(start);
  const x = new Float64Array(activation.sources);
  let mismatches = 0;
  for (let e = 0; e < cells; e++) {
    for (let j = 0; j < x.length; j++) x[j] = s[j][e];
    const t = terms(x);
    const check = (what: string, g: number, w: number, bound: number): void => {
      if (g === w) return;
      // infinities (Kay–Phillips overflow) must match exactly; finite values within the bound
      if (Number.isFinite(g) && Number.isFinite(w) && Math.abs(g - w) <= bound) return;
      expect.fail(
        `${where}, ${what} at ${e} (s = ${Array.from(x).join(", ")}): got ${g}, want ${w}, |Δ| = ${Math.abs(g - w)} > ${bound}`,
      );
    };
    check("a", got.a[e], want.a[e], tol * (Math.abs(want.a[e]) + t.aU) + 4 * TINY * t.aTiny);
    t.dA.forEach((d, j) => {
      const w = want.dA[j][e];
      check(
        `dA[${j}]`,
        got.dA[j][e],
        w,
        tol * (d.scale ?? Math.abs(w)) * (1 + d.u) + 4 * TINY * d.tiny,
      );
    });
    // θ = σ(a): its own float32 roundings, plus a's error carried through σ' = θ(1 − θ)
    const a = want.a[e];
    const t64 = 1 / (1 + Math.exp(-a));
    const slope = t64 * (1 - t64);
    const thetaBound = tol * (t64 + (slope === 0 ? 0 : slope * Math.abs(a))) + 4 * TINY;
    check("theta", got.theta[e], want.theta[e], thetaBound);
    const u = uniforms.uniform();
    if (got.samples[e] !== want.samples[e]) {
      // the comparisons u < θ disagree: u must lie within the two θ's tolerance of θ
      check("samples (u − θ)", u, t64, thetaBound + EPS * t64);
      mismatches++;
    }
  }
  return mismatches;
}

/**
 * Per element, the scale each result's error is measured against, in float64: `u` the exponent
 * argument whose float32 rounding is amplified (|u|·EPS relative), `scale` where a result is
 * a sum with cancellation (else |result|), `aU` what the rounding of u adds to a's scale,
 * `tiny` the factor on TINY for underflowed terms.
 */
function errorTerms(activation: Activation): (s: Float64Array) => {
  aU: number;
  aTiny: number;
  dA: { u: number; scale?: number; tiny: number }[];
} {
  const sigmoid = (u: number) => 1 / (1 + Math.exp(-u));
  const slope = (u: number) => sigmoid(u) * sigmoid(-u);
  const p = activation.params;
  if (activation.kind === "multi-source" || activation.kind === "modulatory") {
    const alpha =
      activation.kind === "modulatory" ? [2 * (1 - (p.k1 as number))] : (p.alpha as number[]);
    const beta = activation.kind === "modulatory" ? [p.k2 as number] : (p.beta as number[]);
    const c0 =
      activation.kind === "modulatory" ? (p.k1 as number) : 1 - alpha.reduce((x, y) => x + y, 0);
    return (s) => {
      const f = s[0];
      // the rounding of u moves σ(u) by σ'(u)·|u|·EPS and σ + u·σ' by σ'·|u|·(2 + |u|)·EPS:
      // visible in a and ∂A/∂F where the constant c0 does not dominate (c0 = 0: k1 = 0)
      let aU = 0;
      let scale0 = Math.abs(c0);
      const contexts = alpha.map((al, j) => {
        const u = Math.abs(beta[j] * f * s[j + 1]);
        const d = slope(u);
        aU += Math.abs(al) * u * d;
        scale0 += Math.abs(al) * (sigmoid(u) + u * d * (3 + u));
        return { u, tiny: (Math.abs(al * beta[j]) + 1) * (f * f + 1) };
      });
      const alphaSum = alpha.reduce((x, y) => x + Math.abs(y), 1);
      return {
        aU: aU * Math.abs(f),
        aTiny: alphaSum * (Math.abs(f) + 1),
        dA: [{ u: 0, scale: scale0, tiny: alphaSum }, ...contexts],
      };
    };
  }
  if (activation.kind === "kay-phillips") {
    const k1 = p.k1 as number;
    const k2 = p.k2 as number;
    return (s) => {
      // float64 inside: no exponent-argument term, one rounding to float32
      const u = k2 * s[0] * s[1];
      const g = (1 - k1) * Math.exp(u);
      return {
        aU: 0,
        aTiny: 1,
        dA: [
          { u: 0, scale: Math.abs(k1) + g * (1 + Math.abs(u)), tiny: 1 },
          { u: 0, tiny: 1 },
        ],
      };
    };
  }
  return () => ({
    aU: 0,
    aTiny: 0,
    dA: Array.from({ length: activation.sources }, () => ({ u: 0, tiny: 0 })),
  });
}
