import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import {
  erfc,
  logGaussMass,
  logNdtr,
  ndtriExp,
  truncatedNormalLogPdf,
  truncatedNormalQuantile,
} from "./truncated-normal.js";

// Reference values: mpmath 1.3.0 at 400 digits (erfc, log(ncdf), bisection for the inverses),
// rounded to float64.
const close = (got: number, want: number, rel: number, what: string) =>
  expect(Math.abs(got - want), `${what}: got ${got}, want ${want}`).toBeLessThanOrEqual(
    rel * Math.max(Math.abs(want), 1e-300),
  );

describe("erfc", () => {
  it("matches high-precision values across the series / continued-fraction switch and the tails", () => {
    const cases: [number, number][] = [
      [-3, 1.9999779095030015],
      [-0.5, 1.5204998778130465],
      [0, 1],
      [0.001, 0.9988716212090307],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [1.9, 0.0072095707647425325],
      [2, 0.004677734981047266],
      [2.1, 0.002979466656332984],
      [5, 1.537459794428035e-12],
      [10, 2.088487583762545e-45],
      [26, 5.663192408856143e-296],
    ];
    for (const [z, want] of cases) close(erfc(z), want, 2e-14, `erfc(${z})`);
  });
});

describe("logNdtr and its inverse", () => {
  it("gives log Φ(x) to full precision from x = −40 (Φ underflows) to x = 40", () => {
    const cases: [number, number][] = [
      [-40, -804.6084420137538],
      [-20.5, -214.0667289632638],
      [-19.9, -201.9171677073326],
      [-8, -35.01343715991455],
      [-1, -1.8410216450092636],
      [0, -Math.LN2],
      [1, -0.17275377902344988],
      [5.9, -1.817507864751096e-9],
      [6.1, -5.303423264355157e-10],
      [10, -7.619853024160525e-24],
    ];
    for (const [x, want] of cases) close(logNdtr(x), want, 1e-13, `logNdtr(${x})`);
    expect(logNdtr(40)).toBe(-0);
  });

  it("inverts log Φ, also near 0 and deep in the left tail", () => {
    const cases: [number, number][] = [
      [-800, -39.88469483825668],
      [-50, -9.674825283612357],
      [-3, -1.6469217205277147],
      [-0.01, 2.328221737537176],
      [-1e-5, 4.264891910308923],
      [-1e-12, 7.034483825301201],
    ];
    for (const [y, want] of cases) close(ndtriExp(y), want, 1e-11, `ndtriExp(${y})`);
    expect(Math.abs(ndtriExp(Math.log(0.5)))).toBeLessThan(1e-15);
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) {
      const x = (rng.uniform() - 0.5) * 70;
      close(ndtriExp(logNdtr(x)), x, x > 8 ? 1e-6 : 1e-11, `round trip at ${x}`);
    }
  });
});

describe("logGaussMass", () => {
  it("is log(Φ(b) − Φ(a)) without cancellation, in either tail and around 0", () => {
    const cases: [number, number, number][] = [
      [-1, 1, -0.38171514630212605],
      [-50, -30, -454.3212439563432],
      [30, 50, -454.3212439563432],
      [-0.1, 0.001, -3.2132223486498614],
      [5, 6, -15.068446096529453],
      [-6, -5, -15.068446096529453],
      [0, 1e-9, -21.642204370151084],
    ];
    for (const [a, b, want] of cases) close(logGaussMass(a, b), want, 1e-12, `[${a}, ${b}]`);
    expect(Math.abs(logGaussMass(-100, 100))).toBe(0);
  });
});

describe("the truncated normal", () => {
  it("has the exact log-density inside its bounds and −∞ outside", () => {
    const cases: [number, number, number, number][] = [
      [0.5, 0.2, 0.1, -3.093340530881662],
      [0.99, 1, 0.01, 3.879378833343363],
      [0.1, -2, 0.05, -75.3147642458969],
      [0, 0.5, 1, -0.08402219950905042],
    ];
    for (const [x, mu, sigma, want] of cases) {
      close(truncatedNormalLogPdf(x, mu, sigma, 0, 1), want, 1e-12, `pdf(${x}; ${mu}, ${sigma})`);
    }
    expect(truncatedNormalLogPdf(1.01, 0.5, 1, 0, 1)).toBe(Number.NEGATIVE_INFINITY);
  });

  it("has the exact quantiles, even with its mean 40 σ outside the bounds", () => {
    const cases: [number, number, number, number][] = [
      [0.3, 0.2, 0.1, 0.15208756735979084],
      [0.999, 1, 0.01, 0.9999874668553457],
      [0.01, 0, 0.01, 0.00012533469508069263],
      [0.7, -2, 0.05, 0.0015034627637305628],
      [0.5, 3, 0.1, 0.9965458323485978],
      [0.25, 0.5, 0.001, 0.4993255102498039],
    ];
    for (const [q, mu, sigma, want] of cases) {
      close(truncatedNormalQuantile(q, mu, sigma, 0, 1), want, 1e-10, `q${q}(${mu}, ${sigma})`);
    }
    expect(Math.abs(truncatedNormalQuantile(0.5, 0, 1, -1, 1))).toBeLessThan(1e-15);
    expect(truncatedNormalQuantile(0, 0.5, 1, 0, 1)).toBe(0);
    expect(truncatedNormalQuantile(1, 0.5, 1, 0, 1)).toBe(1);
  });

  it("samples with the right mean: the quantile of uniform draws (seeded, 20000 draws)", () => {
    const rng = new Rng(5);
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) sum += truncatedNormalQuantile(rng.uniform(), 0.9, 0.3, 0, 1);
    // E[X] for N(0.9, 0.3²) on [0, 1]: μ + σ(φ(α) − φ(β))/(Φ(β) − Φ(α)) = 0.72218 (mpmath);
    // its sd is < 0.25, so the mean of 20000 draws has a standard error < 0.0018.
    expect(Math.abs(sum / n - 0.72218)).toBeLessThan(0.007);
  });
});
