import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { ParzenEstimator, type ParzenOptions } from "./parzen.js";
import { optunaWeights } from "./tpe.js";

// Reference: the components (μ, σ, weights) of Optuna 3.1.0's _ParzenEstimator (Debian
// python3-optuna; FloatDistribution(−1, 1) per parameter, default_weights, prior_weight 1, or 2
// for "three"), their log-density at the points below computed with scipy 1.17's
// truncnorm.logpdf: Optuna 3.1's own truncnorm.logpdf omits the −log σ term, which
// Optuna 2.10 and 4.x include. Univariate is the sum of one estimator per parameter, as
// TPESampler(multivariate=False) uses them. These are densities over [−1, 1]^D: ours on
// [0, 1]^D minus D·log 2.
const REFERENCE: Record<string, number[]> = {
  "mv=false,clip=true,ends=false": [
    -3.9697586576646815, -3.435029402800607, -3.6692685739524267, -4.103610711668859,
    -1.6408989954204452, -1.682441671721816, -3.593186922614797, -2.534831960724843,
  ],
  "mv=false,clip=true,ends=true": [
    -3.96975865766468, -3.4198043340302515, -3.6692685458508905, -3.029175761255127,
    -1.6168574195851417, -1.682441671676203, -3.579268565435088, -2.5347605516751797,
  ],
  "mv=false,clip=false,ends=false": [
    -4.159774625919004, -4.16138027761874, -4.053260962331707, -4.084133705233417,
    -1.4970308081482742, -1.986434864126999, -3.877207469818917, -2.8245164912781346,
  ],
  "mv=false,clip=false,ends=true": [
    -4.159774625919003, -4.128611845011336, -4.053260937633827, -2.697130777437077,
    -1.4704378113603227, -1.9864348640542697, -3.821070314054696, -2.8244316999085424,
  ],
  "mv=true,clip=true,ends=false": [
    -5.35930236924869, -5.398382327370943, -5.0787690190702905, -5.3788842649881285,
    -5.366102187457598, -5.303235034100278, -5.428988872441652, -5.049617591984679,
  ],
};

const frac = (x: number) => x - Math.floor(x);
/** 30 observations in [−1, 1]³: one at the bound −1, a tie at 0.3, the rest irregular. */
const OBSERVATIONS = Array.from({ length: 30 }, (_, k) =>
  [0, 1, 2].map((d) =>
    k === 0 ? -1 : k === 5 || k === 6 ? 0.3 : -1 + 2 * frac(k * 0.7548776662 + d * 0.56984029),
  ),
);
const POINTS = Array.from({ length: 8 }, (_, i) =>
  [0, 1, 2].map((d) => -0.95 + (1.9 * ((i * 5 + d * 2) % 8)) / 7),
);
const toUnit = (x: number[]) => x.map((v) => (v + 1) / 2);

function options(multivariate: boolean, clip: boolean, ends: boolean): ParzenOptions {
  return {
    priorWeight: 1,
    considerMagicClip: clip,
    considerEndpoints: ends,
    multivariate,
    weights: optunaWeights,
  };
}

describe("ParzenEstimator", () => {
  it.each(Object.keys(REFERENCE))("matches Optuna's log-density (%s)", (key) => {
    const [mv, clip, ends] = key.split(",").map((kv) => kv.endsWith("true"));
    const opts = options(mv, clip, ends);
    const unitObs = OBSERVATIONS.map(toUnit);
    const unitPts = POINTS.map(toUnit);
    let got: number[];
    if (mv) {
      got = [...new ParzenEstimator(unitObs, 3, opts).logPdf(unitPts)];
    } else {
      got = POINTS.map(() => 0);
      for (let d = 0; d < 3; d++) {
        const est = new ParzenEstimator(
          unitObs.map((o) => [o[d]]),
          1,
          opts,
        );
        est.logPdf(unitPts.map((p) => [p[d]])).forEach((v, i) => {
          got[i] += v;
        });
      }
    }
    const dims = 3;
    got.forEach((v, i) => {
      expect(v - dims * Math.log(2), `${key} point ${i}`).toBeCloseTo(REFERENCE[key][i], 10);
    });
  });

  it("matches Optuna with ties, a prior weight of 2, and with no observation (the prior alone)", () => {
    const opts = { ...options(false, true, false), priorWeight: 2 };
    const three = new ParzenEstimator([[0.6], [0.6], [0.25]], 1, opts);
    const want = [
      -1.1918850760113162, -0.733267990433849, -0.3748097749753936, -0.37803937237570095,
      -1.4216443981810136,
    ];
    const got = three.logPdf([[0], [0.25], [0.6], [0.605], [1]]);
    got.forEach((v, i) => expect(v - Math.log(2), `point ${i}`).toBeCloseTo(want[i], 12));
    const none = new ParzenEstimator([], 1, opts).logPdf([[0], [0.5], [0.85]]);
    [-0.7771693800689957, -0.6521693800689957, -0.7134193800689957].forEach((w, i) =>
      expect(none[i] - Math.log(2)).toBeCloseTo(w, 12),
    );
  });

  it("samples from its own density: a histogram of draws matches p(x) (1-D, 40000 draws)", () => {
    const est = new ParzenEstimator([[0.1], [0.15], [0.8]], 1, options(false, true, false));
    const rng = new Rng(2);
    const bins = new Float64Array(10);
    const n = 40000;
    for (const [x] of est.sample(rng, n)) bins[Math.min(9, Math.floor(x * 10))] += 1 / n;
    for (let b = 0; b < 10; b++) {
      // the bin's probability by the midpoint rule on 100 sub-intervals
      let mass = 0;
      for (let s = 0; s < 100; s++) {
        mass += Math.exp(est.logPdf([[(b + (s + 0.5) / 100) / 10]])[0]) / 1000;
      }
      // binomial standard error ≤ √(0.25/40000) = 0.0025; allow 4 of them
      expect(Math.abs(bins[b] - mass), `bin ${b}`).toBeLessThan(0.01);
    }
  });

  it("rejects bad weights and prior weights with the fix", () => {
    const bad = { ...options(true, true, false), weights: () => [1, -1] };
    expect(() => new ParzenEstimator([[0.1], [0.2]], 1, bad)).toThrow(
      "the weights function must return 2 finite weights ≥ 0, not all 0, for 2 trials (got [1, -1]).",
    );
    expect(
      () => new ParzenEstimator([], 1, { ...options(true, true, false), priorWeight: -1 }),
    ).toThrow("priorWeight must be a finite number ≥ 0 (got -1); Optuna's default is 1.");
  });
});
