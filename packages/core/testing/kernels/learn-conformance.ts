/** The test suite of the learning-step kernels (binning, Adam) every Kernels implementation passes: the same bins and the same bits as the naive formulas (testing/naive-kernels.ts) on seeded random, extreme and edge inputs. */

import { type Binning, InfomorphError, type Kernels, Rng, adam, binLayer } from "@infomorph/core";
import type { AdamStep } from "@infomorph/core/kernels";
import { describe, expect, it } from "vitest";
import { naiveAdam, naiveAdamStep, naiveBinLayer } from "../naive-kernels.js";
import { type Placement, copyInto, suiteKernels } from "./suite.js";

/** batch × neurons × sources: every SIMD tail (neurons mod 4), tile edges (32 × 64), a 100-neuron layer of 1024 samples, empty shapes. */
const BIN_SHAPES: readonly [number, number, number][] = [
  [1, 1, 1],
  [1, 3, 2],
  [3, 5, 3],
  [7, 4, 1],
  [2, 6, 2],
  [33, 67, 3],
  [64, 64, 2],
  [65, 129, 3],
  [1024, 100, 3],
  [100, 1003, 2],
  [0, 5, 2],
  [4, 0, 3],
];

const BINNINGS: readonly Binning[] = [
  { kind: "fixed", bins: 20, min: -20, max: 20 },
  { kind: "fixed", bins: 4, min: -3, max: 3 },
  { kind: "fixed", bins: 2, min: 0.1, max: 0.7 },
  { kind: "fixed", bins: 255, min: -3.3, max: 7.1 },
  { kind: "fixed", bins: 7, min: -1e300, max: 1e300 },
  // max − min overflows to Infinity: every bin is NaN, stored as 0, in both
  { kind: "fixed", bins: 3, min: -1.7e308, max: 1.7e308 },
  { kind: "adaptive", bins: 20 },
  { kind: "adaptive", bins: 2 },
  { kind: "adaptive", bins: 3 },
  { kind: "adaptive", bins: 255 },
];

/** typical: |s| up to ~24; extreme: zeros, ±0, subnormals, ±float32 max, log-uniform 1e-30..1e30, all-zero neurons; edges: bin edges and their float32 neighbours. */
type BinInputs = "typical" | "extreme" | "edges";

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** Adam settings as adam() takes them. */
type AdamSettings = Parameters<typeof adam>[1];

const ADAM_SETTINGS: readonly AdamSettings[] = [
  { lr: 1e-3 },
  { lr: 0.1, weightDecay: 0.01 },
  { lr: 3e-2, beta1: 0, beta2: 0 },
  { lr: 1e-2, beta1: 0.5, beta2: 0.9, eps: 1e-3, weightDecay: 1 },
];

/** Parameter counts: every tail of the 16-element step, and the 784 → 100 layer (78 400) plus 3. */
const ADAM_SIZES = [1, 3, 4, 5, 15, 16, 17, 33, 100, 1000, 78400 + 3];

/** Masks by density of connections (nonzero bytes); null: no mask. */
const MASK_DENSITIES = [null, 0, 0.05, 0.5, 1] as const;

/**
 * Registers the learning-step kernel tests for one implementation; `make` is called once.
 *
 * @example runLearnKernelSuite("wasm-simd", () => createWasmKernels());
 */
export function runLearnKernelSuite(name: string, make: () => Promise<Kernels>): void {
  describe(`${name} learning-step kernels`, () => {
    const get = suiteKernels(make);

    describe("binLayer", () => {
      for (const binning of BINNINGS) {
        for (const inputs of ["typical", "extreme", "edges"] as const) {
          const label = `${binning.kind} K=${binning.bins}${binning.kind === "fixed" ? ` [${binning.min}, ${binning.max}]` : ""}`;
          it(`${label}, ${inputs} values: the formula's bin for every value`, async () => {
            const kernels = await get();
            for (const [batch, neurons, count] of BIN_SHAPES) {
              const seed = batch * 7919 + neurons * 31 + count + binning.bins;
              const s = binSources(new Rng(seed), binning, batch, neurons, count, inputs);
              const want = new Uint8Array(batch * neurons * count).fill(0xee);
              naiveBinLayer(binning, s, batch, neurons, want);
              const placement = (["alloc", "plain", "mixed"] as const)[seed % 3];
              const got = runBin(kernels, binning, s, batch, neurons, placement);
              expectSameBins(got, want, `${name} ${label} ${inputs} ${batch}×${neurons}×${count}`);
            }
          });
        }
      }

      it("gives the same bins with arrays in or outside kernel memory", async () => {
        const kernels = await get();
        for (const binning of [BINNINGS[0], BINNINGS[6]]) {
          const s = binSources(new Rng(5), binning, 37, 67, 3, "extreme");
          const want = runBin(kernels, binning, s, 37, 67, "alloc");
          for (const placement of ["plain", "mixed"] as const) {
            expectSameBins(runBin(kernels, binning, s, 37, 67, placement), want, placement);
          }
        }
      });

      it("computes the documented values: the example, v = max, the all-zero neuron", async () => {
        const kernels = await get();
        const out = new Uint8Array(2);
        kernels.binLayer(
          { kind: "fixed", bins: 4, min: -1, max: 1 },
          [Float32Array.of(-1, 0.6)],
          2,
          1,
          out,
        );
        expect(Array.from(out)).toEqual([0, 3]);
        kernels.binLayer(
          { kind: "fixed", bins: 20, min: -20, max: 20 },
          [Float32Array.of(20, 0)],
          2,
          1,
          out,
        );
        expect(Array.from(out)).toEqual([19, 10]);
        // adaptive: neuron 0 all (±)0 → bin ⌊K/2⌋; neuron 1 spans [−1, 1] after normalising
        const bins = new Uint8Array(4);
        const s = Float32Array.of(0, -4, -0, 4);
        kernels.binLayer({ kind: "adaptive", bins: 5 }, [s], 2, 2, bins);
        expect(Array.from(bins)).toEqual([2, 2, 0, 4]);
      });

      it("throws the documented error for the first value that is not finite, in the documented order", async () => {
        const kernels = await get();
        const [batch, neurons] = [37, 67];
        const cases: { label: string; binning: Binning; bad: [number, number, number][] }[] = [
          // [source, element, value]
          {
            label: "fixed NaN in a tail neuron",
            binning: BINNINGS[0],
            bad: [[1, 5 * 67 + 66, Number.NaN]],
          },
          {
            label: "fixed: source 0's Infinity before source 1's earlier NaN",
            binning: BINNINGS[1],
            bad: [
              [1, 2, Number.NaN],
              [0, 900, Number.POSITIVE_INFINITY],
            ],
          },
          {
            label: "fixed: the first of two in one source",
            binning: BINNINGS[0],
            bad: [
              [2, 1500, Number.NEGATIVE_INFINITY],
              [2, 700, Number.NaN],
            ],
          },
          {
            label: "adaptive: a later NaN before an earlier Infinity (maxima pass first)",
            binning: BINNINGS[6],
            bad: [
              [0, 1, Number.POSITIVE_INFINITY],
              [0, 9 * 67 + 3, Number.NaN],
            ],
          },
          {
            label: "adaptive −Infinity alone",
            binning: BINNINGS[7],
            bad: [[2, 36 * 67 + 65, Number.NEGATIVE_INFINITY]],
          },
          {
            label: "adaptive: source 1's NaN after a finite source 0",
            binning: BINNINGS[6],
            bad: [
              [1, 123, Number.NaN],
              [2, 0, Number.NaN],
            ],
          },
        ];
        for (const c of cases) {
          for (const placement of ["alloc", "plain"] as const) {
            const s = binSources(new Rng(3), c.binning, batch, neurons, 3, "typical");
            for (const [j, e, v] of c.bad) s[j][e] = v;
            const want = catchError(() =>
              naiveBinLayer(c.binning, s, batch, neurons, new Uint8Array(batch * neurons * 3)),
            );
            const got = catchError(() => runBin(kernels, c.binning, s, batch, neurons, placement));
            expect(want, c.label).toBeInstanceOf(InfomorphError);
            expect(got, `${name} ${c.label} ${placement}`).toBeInstanceOf(InfomorphError);
            const [g, w] = [got as InfomorphError, want as InfomorphError];
            expect([g.code, g.path, g.message], `${name} ${c.label} ${placement}`).toEqual([
              w.code,
              w.path,
              w.message,
            ]);
          }
        }
      });

      it("rejects bad shapes with the TS words", async () => {
        const kernels = await get();
        const binning = BINNINGS[0];
        const s = [new Float32Array(6), new Float32Array(5)];
        const call = () => kernels.binLayer(binning, s, 2, 3, new Uint8Array(12));
        expect(call).toThrow(
          catchError(() => binLayer(binning, s, 2, 3, new Uint8Array(12))) as Error,
        );
        expect(call).toThrow("sources[1] has length 5, expected batch × neurons = 2 × 3 = 6.");
        expect(() =>
          kernels.binLayer(binning, [new Float32Array(6)], 2, 3, new Uint8Array(7)),
        ).toThrow("out has length 7, expected neurons × batch × sources = 3 × 2 × 1 = 6.");
      });
    });

    describe("adamStep", () => {
      for (const settings of ADAM_SETTINGS) {
        it(`adam(${JSON.stringify(settings)}) on the kernels: the formula's bits, step by step, masks included`, async () => {
          const kernels = await get();
          for (const size of ADAM_SIZES) {
            for (const density of MASK_DENSITIES) {
              const rng = new Rng(size * 13 + (density === null ? 7 : density * 100));
              const mask = density === null ? null : maskOf(rng, size, density);
              const naive = naiveAdam(size, settings);
              const fast = adam(size, settings, kernels);
              const w = randomFloats(rng, size, 0.5);
              if (mask) for (let e = 0; e < size; e++) if (mask[e] === 0) w[e] = 0;
              const wTs = w.slice();
              const wFast = size % 2 === 0 ? copyInto(kernels, w) : w.slice();
              const grad = new Float32Array(size);
              for (let t = 1; t <= 4; t++) {
                grad.set(randomFloats(rng, size, 10 ** (2 * rng.uniform() - 3)));
                naive.step(wTs, grad, mask);
                fast.step(wFast, grad, mask);
                const where = `${name} size ${size} mask ${density} step ${t}`;
                expectSameBits(wFast, wTs, `${where} w`);
                const [m, v] = fast.state().moments;
                const [mTs, vTs] = naive.moments;
                expectSameBits(m, mTs, `${where} m`);
                expectSameBits(v, vTs, `${where} v`);
              }
            }
          }
        });
      }

      it("gives the formula's bits on extreme values at a late step, in or outside kernel memory", async () => {
        const kernels = await get();
        const size = 1000 + 7;
        const rng = new Rng(99);
        const pick = (): number => {
          const special = [0, -0, 1e-45, -1e-45, 1e-38, 3.4e38, -3.4e38, 1e30, -1e-30];
          return rng.uniform() < 0.3
            ? special[rng.int(special.length)]
            : (rng.uniform() - 0.5) * 10 ** (12 * rng.uniform() - 8);
        };
        const w = Float32Array.from({ length: size }, pick);
        const grad = Float32Array.from({ length: size }, pick);
        const m = Float32Array.from({ length: size }, pick);
        const v = Float32Array.from({ length: size }, () => Math.abs(pick()));
        grad[3] = Number.NaN;
        grad[17] = Number.POSITIVE_INFINITY;
        w[40] = Number.NEGATIVE_INFINITY;
        const mask = maskOf(rng, size, 0.5);
        for (const step of [
          adamScalars({ lr: 1e-3, weightDecay: 0.1 }, 1000),
          adamScalars({ lr: 0.5, beta1: 0.99, beta2: 0.5, eps: 1e-12 }, 3),
        ]) {
          for (const m0 of [null, mask]) {
            const want = [w, grad, m, v].map((x) => x.slice());
            naiveAdamStep(want[0], want[1], want[2], want[3], m0, size, step);
            for (const placement of ["alloc", "plain", "mixed"] as const) {
              const place = (x: Float32Array, k: number): Float32Array =>
                placement === "alloc" || (placement === "mixed" && k % 2 === 0)
                  ? copyInto(kernels, x)
                  : x.slice();
              const got = [w, grad, m, v].map(place);
              const maskCopy = m0 && placement === "alloc" ? copyInto(kernels, m0) : m0;
              kernels.adamStep(got[0], got[1], got[2], got[3], maskCopy, size, step);
              const where = `${name} extreme ${placement} mask ${m0 !== null}`;
              ["w", "grad", "m", "v"].forEach((label, k) => {
                expectSameBits(got[k], want[k], `${where} ${label}`);
              });
            }
          }
        }
      });

      it("sets masked weights to +0 and leaves their moments, and touches only `size` elements", async () => {
        const kernels = await get();
        const size = 37;
        const w = new Float32Array(size + 3).fill(2);
        const m = new Float32Array(size + 3).fill(0.25);
        const v = new Float32Array(size + 3).fill(0.5);
        const grad = new Float32Array(size + 3).fill(1);
        const mask = new Uint8Array(size + 3).fill(1);
        for (const e of [0, 5, 16, 17, 36]) mask[e] = 0;
        w[5] = -3;
        kernels.adamStep(w, grad, m, v, mask, size, adamScalars({ lr: 0.1 }, 1));
        for (const e of [0, 5, 16, 17, 36]) {
          expect(Object.is(w[e], 0), `w[${e}]`).toBe(true);
          expect([m[e], v[e]]).toEqual([0.25, 0.5]);
        }
        expect(m[1]).toBe(Math.fround(0.9 * 0.25 + (1 - 0.9) * 1));
        expect(Array.from(w.subarray(size))).toEqual([2, 2, 2]);
        expect(Array.from(m.subarray(size))).toEqual([0.25, 0.25, 0.25]);
      });

      it("restores a state saved with or without kernels to the same next step", async () => {
        const kernels = await get();
        const size = 203;
        const settings = { lr: 1e-2, weightDecay: 1e-3 };
        const rng = new Rng(8);
        const grads = [0, 1, 2, 3].map(() => randomFloats(rng, size, 1));
        const w0 = randomFloats(rng, size, 1);
        const saver = adam(size, settings);
        const w = w0.slice();
        for (const g of grads.slice(0, 3)) saver.step(w, g);
        const saved = saver.state();
        const want = w.slice();
        saver.step(want, grads[3]);
        for (const into of [adam(size, settings, kernels), adam(size, settings)]) {
          into.step(w0.slice(), grads[0]); // state to be overwritten
          into.restore(saved);
          const got = w.slice();
          into.step(got, grads[3]);
          expectSameBits(got, want, `${name} restored`);
          // and its state() round-trips through the TS optimizer
          const back = adam(size, settings);
          back.restore(into.state());
          expect(back.state()).toEqual(into.state());
        }
      });

      it("rejects bad shapes", async () => {
        const kernels = await get();
        const f = () => new Float32Array(4);
        const step = adamScalars({ lr: 1e-3 }, 1);
        expect(() => kernels.adamStep(f(), new Float32Array(3), f(), f(), null, 4, step)).toThrow(
          "adamStep: grad has 3 elements but size = 4 are needed.",
        );
        expect(() => kernels.adamStep(f(), f(), f(), f(), new Uint8Array(2), 4, step)).toThrow(
          "adamStep: mask has 2 elements but size = 4 are needed.",
        );
      });
    });
  });
}

/** The AdamStep of adam(settings) at step t, as the optimizer computes it. */
function adamScalars(settings: AdamSettings, t: number): AdamStep {
  const beta1 = settings.beta1 ?? 0.9;
  const beta2 = settings.beta2 ?? 0.999;
  return {
    beta1,
    beta2,
    eps: settings.eps ?? 1e-8,
    weightDecay: settings.weightDecay ?? 0,
    stepSize: settings.lr / (1 - beta1 ** t),
    sqrtBc2: Math.sqrt(1 - beta2 ** t),
  };
}

/** binLayer on the kernels with the arrays placed as asked; returns the bins. */
function runBin(
  kernels: Kernels,
  binning: Binning,
  s: readonly Float32Array[],
  batch: number,
  neurons: number,
  placement: Placement,
): Uint8Array {
  const length = batch * neurons * s.length;
  const inKernels = (k: number): boolean =>
    placement === "alloc" || (placement === "mixed" && k % 2 === 1);
  const sources = s.map((v, j) => (inKernels(j) ? copyInto(kernels, v) : v.slice()));
  const out = inKernels(s.length) ? kernels.allocBytes(length) : new Uint8Array(length);
  out.fill(0xee);
  kernels.binLayer(binning, sources, batch, neurons, out);
  return out.slice();
}

/** `count` sources of batch × neurons values of the kind asked for. */
function binSources(
  rng: Rng,
  binning: Binning,
  batch: number,
  neurons: number,
  count: number,
  inputs: BinInputs,
): Float32Array[] {
  const size = batch * neurons;
  return Array.from({ length: count }, () => {
    const s = new Float32Array(size);
    if (inputs === "typical") {
      for (let e = 0; e < size; e++) s[e] = (rng.uniform() - 0.5) * 48 * rng.uniform() ** 2;
    } else if (inputs === "extreme") {
      const special = [
        0, -0, 1e-45, -1e-45, 1.2e-38, 3.4028234663852886e38, -3.4028234663852886e38,
      ];
      for (let e = 0; e < size; e++) {
        const pick = rng.uniform();
        const sign = rng.uniform() < 0.5 ? -1 : 1;
        s[e] =
          pick < 0.3 ? special[rng.int(special.length)] : sign * 10 ** (60 * rng.uniform() - 30);
      }
      // every fifth neuron all zero (adaptive: bin ⌊K/2⌋)
      for (let e = 0; e < size; e++) if ((e % neurons) % 5 === 2) s[e] = e % 2 ? 0 : -0;
    } else {
      const K = binning.bins;
      // per neuron a peak p (adaptive) or the range (fixed); values on the edges b/K and their
      // float32 neighbours; adaptive neurons get ±p somewhere so p is their maximum
      const peaks = Float32Array.from({ length: neurons }, () => 10 ** (4 * rng.uniform() - 2));
      for (let e = 0; e < size; e++) {
        const b = rng.int(K + 1);
        // (fixed: min + (max − min)·b/K, but as a weighted mean where max − min overflows)
        const range = binning.kind === "fixed" ? binning.max - binning.min : 0;
        const edge =
          binning.kind === "adaptive"
            ? peaks[e % neurons] * ((2 * b) / K - 1)
            : Number.isFinite(range)
              ? binning.min + (range * b) / K
              : binning.min * (1 - b / K) + binning.max * (b / K);
        const f = Math.fround(edge); // beyond float32's range (huge fixed ranges): its largest
        s[e] = neighbour(Number.isFinite(f) ? f : Math.sign(f) * FLOAT32_MAX, rng.int(3) - 1);
      }
      if (binning.kind === "adaptive") {
        for (let k = 0; k < neurons && batch > 0; k++) s[rng.int(batch) * neurons + k] = peaks[k];
      }
    }
    return s;
  });
}

/** The float32 `steps` ulps from x (−1, 0 or 1). */
function neighbour(x: number, steps: number): number {
  if (steps === 0 || !Number.isFinite(x)) return x;
  const f = Float32Array.of(x);
  const bits = new Int32Array(f.buffer);
  if (x === 0) return steps * 2 ** -149;
  bits[0] += (x > 0 ? 1 : -1) * steps;
  return Number.isFinite(f[0]) ? f[0] : x; // not past the largest float32
}

function expectSameBins(got: Uint8Array, want: Uint8Array, where: string): void {
  expect(got.length, where).toBe(want.length);
  for (let e = 0; e < want.length; e++) {
    if (got[e] !== want[e]) {
      expect(`${where}: out[${e}] = ${got[e]}`).toBe(`${where}: out[${e}] = ${want[e]}`);
    }
  }
}

/** The same float32 bits, except that any NaN matches any NaN. */
function expectSameBits(got: Float32Array, want: Float32Array, where: string): void {
  expect(got.length, where).toBe(want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let e = 0; e < want.length; e++) {
    if (g[e] !== w[e] && !(Number.isNaN(got[e]) && Number.isNaN(want[e]))) {
      expect(`${where}[${e}] = ${got[e]}`).toBe(`${where}[${e}] = ${want[e]}`);
    }
  }
}

/** n float32 values, uniform in ±scale with a few exact zeros. */
function randomFloats(rng: Rng, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, (_, e) =>
    e % 17 === 3 ? 0 : (2 * rng.uniform() - 1) * scale,
  );
}

/** A mask with connections (1) at the given density. */
function maskOf(rng: Rng, size: number, density: number): Uint8Array {
  return Uint8Array.from({ length: size }, () => (rng.uniform() < density ? 1 : 0));
}

function catchError(f: () => void): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return null;
}
