/** The standard normal distribution in log space (Φ, log Φ and its inverse) and the truncated normal built on it: the log-density and inverse-CDF sampling that TPE's Parzen estimators need, accurate far into the tails. */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT1_2 = Math.SQRT1_2;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The complementary error function erfc(z) = 1 − erf(z), float64, relative error ≲ 1e-14.
 * |z| < 1.5: 1 − erf(z), erf by its all-positive series erf(z) = 2z/√π · e^{−z²} ·
 * Σ (2z²)^k / (1·3·…·(2k+1)) (no cancellation inside; 1 − erf loses under 1.5 digits here).
 * 1.5 ≤ z < 6: e^{−z²}·erfcx(z), erfcx = e^{z²}·erfc by a Taylor series around the nearest
 * of the nodes 1.5 + i/32 (its derivatives follow from erfcx' = 2z·erfcx − 2/√π), the node
 * values from the continued fraction once at load. z ≥ 6: Laplace's continued fraction,
 * evaluated by the modified Lentz method. erfc(−z) = 2 − erfc(z). 0 beyond z = 27.
 *
 * @example erfc(1) // 0.15729920705028513
 */
export function erfc(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z < 0) return 2 - erfc(-z);
  if (z < ERFCX_FROM) return 1 - erfSeries(z);
  if (z > 27) return 0;
  if (z >= ERFCX_TO) return erfcContinuedFraction(z);
  const i = Math.round((z - ERFCX_FROM) * ERFCX_STEPS);
  const z0 = ERFCX_FROM + i / ERFCX_STEPS;
  const h = z - z0;
  // Taylor terms t_n = erfcx⁽ⁿ⁾(z0)·hⁿ/n!, with t_{n+1} = (2·z0·h·t_n + 2h²·t_{n−1})/(n+1).
  let previous = ERFCX_NODES[i];
  let term = (2 * z0 * previous - TWO_OVER_SQRT_PI) * h;
  let sum = previous + term;
  for (let n = 1; n < 30; n++) {
    const next = (2 * z0 * h * term + 2 * h * h * previous) / (n + 1);
    previous = term;
    term = next;
    sum += term;
    if (Math.abs(term) < 1e-17 * sum) break;
  }
  return Math.exp(-z * z) * sum;
}

/** erfc(z) for z ≥ 1.5 by its continued fraction: e^{−z²}/√π / (z + (1/2)/(z + 1/(z + (3/2)/(z + …)))). */
function erfcContinuedFraction(z: number): number {
  let f = z;
  let c = z;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = z + a * d;
    c = z + a / c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * f);
}

const ERFCX_FROM = 1.5;
const ERFCX_TO = 6;
const ERFCX_STEPS = 32;
/** erfcx(1.5 + i/32) = e^{z²}·erfc(z) for i = 0…144 (6 + ½ step), computed once. */
const ERFCX_NODES = Float64Array.from(
  { length: (ERFCX_TO - ERFCX_FROM) * ERFCX_STEPS + 1 },
  (_, i) => {
    const z = ERFCX_FROM + i / ERFCX_STEPS;
    // e^{z²}·(e^{−z²}/(√π·f)) without the round trip through e^{−z²}
    return Math.exp(z * z) * erfcContinuedFraction(z);
  },
);

/** erf(z), accurate to ~1 ulp for small |z| (the series), and via erfc beyond 1.5. */
function erf(z: number): number {
  if (z < 0) return -erf(-z);
  return z < 1.5 ? erfSeries(z) : 1 - erfc(z);
}

function erfSeries(z: number): number {
  const x2 = z * z;
  let term = z;
  let sum = z;
  for (let k = 1; k < 200; k++) {
    term *= (2 * x2) / (2 * k + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * Φ(x), the standard normal CDF, with full relative precision in the left tail
 * (Φ(−30) ≈ 4.9e-198 is exact to ~1e-15); for x > 0 it is 1 − Φ(−x).
 */
export function ndtr(x: number): number {
  return x < 0 ? 0.5 * erfc(-x * SQRT1_2) : 1 - 0.5 * erfc(x * SQRT1_2);
}

/**
 * log Φ(x) for any x: log1p(−Φ(−x)) for x > 0 (Φ(−x) keeps its precision), log Φ(x)
 * down to x = −20, and the asymptotic series log[φ(x)/(−x)] + log Σ (−1)^k (2k−1)!!/x^{2k} below
 * x = −20, where Φ itself underflows.
 *
 * @example logNdtr(-40) // -804.6084420137538
 */
export function logNdtr(x: number): number {
  if (x > 0) return Math.log1p(-ndtr(-x));
  if (x > -20) return Math.log(ndtr(x));
  const logLeft = -0.5 * x * x - Math.log(-x) - LOG_SQRT_2PI;
  const inverseSquare = 1 / (x * x);
  let series = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= -(2 * k - 1) * inverseSquare;
    const next = series + term;
    if (next === series) break;
    series = next;
  }
  return logLeft + Math.log(series);
}

/**
 * The x with log Φ(x) = y, for y ≤ 0 (the inverse of {@link logNdtr}): Newton's method on
 * log Φ from Acklam's approximation of Φ⁻¹ (the tail asymptote below y = −700); for y near 0, the mirror
 * image −x with log Φ(−x) = log(1 − e^y) is solved instead, which keeps the precision.
 * Relative error ≲ 1e-13. Returns −∞ for y = −∞ and +∞ for y = 0.
 */
export function ndtriExp(y: number): number {
  if (y === 0) return Number.POSITIVE_INFINITY;
  if (y === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  const flipped = y > -1e-2;
  const z = flipped ? Math.log(-Math.expm1(y)) : y;
  // Start within 1.2e-9 (Acklam) where Φ = e^z is representable, else from the tail asymptote.
  let x = z > -700 ? acklamInverse(Math.exp(z)) : -Math.sqrt(-2 * (z + LOG_SQRT_2PI));
  for (let i = 0; i < 100; i++) {
    const logPhi = logNdtr(x);
    // d log Φ / dx = φ(x)/Φ(x): the step is (log Φ(x) − z)·Φ(x)/φ(x).
    const step = (logPhi - z) * Math.exp(logPhi + 0.5 * x * x + LOG_SQRT_2PI);
    x -= step;
    if (Math.abs(step) <= 1e-14 * Math.max(1, Math.abs(x))) break;
  }
  return flipped ? -x : x;
}

// P. J. Acklam's rational approximation of Φ⁻¹ (2003), relative error < 1.2e-9 (checked
// against scipy.special.ndtri): only a starting point for Newton's method above.
const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
];
const ACKLAM_B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
];
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function acklamInverse(p: number): number {
  const horner = (c: readonly number[], x: number) => c.reduce((acc, ci) => acc * x + ci, 0);
  if (p < 0.02425 || p > 0.97575) {
    const q = Math.sqrt(-2 * Math.log(p < 0.5 ? p : 1 - p));
    const x = horner(ACKLAM_C, q) / (horner(ACKLAM_D, q) * q + 1);
    return p < 0.5 ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(ACKLAM_A, r) * q) / (horner(ACKLAM_B, r) * r + 1);
}

/**
 * log(Φ(b) − Φ(a)) for a < b, the log of the standard normal's mass on [a, b], without
 * cancellation: both ends in the left tail are subtracted in log space, the right tail is
 * mirrored to the left, and an interval around 0 uses whichever of the mass inside and
 * the mass outside is small enough to be exact.
 */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  // Around 0: with the mass outside, s = Φ(a) + Φ(−b), small, log1p(−s) is exact; with s
  // large the mass inside, (erf(−a/√2) + erf(b/√2))/2, is the accurate one (e.g. [0, 1e-9]).
  const outside = 0.5 * (erfc(-a * SQRT1_2) + erfc(b * SQRT1_2));
  if (outside < 0.5) return Math.log1p(-outside);
  return Math.log(0.5 * (erf(-a * SQRT1_2) + erf(b * SQRT1_2)));
}

/**
 * Log-density of the normal N(μ, σ²) truncated to [low, high], at x:
 *
 *   log p(x) = −z²/2 − log √(2π) − log σ − log(Φ(β) − Φ(α)),  z = (x − μ)/σ,
 *   α = (low − μ)/σ, β = (high − μ)/σ;   −∞ outside [low, high].
 *
 * `logNormaliser` is log σ + log(Φ(β) − Φ(α)) from {@link truncatedNormalLogNormaliser}
 * (pass it when evaluating one component at many points).
 */
export function truncatedNormalLogPdf(
  x: number,
  mu: number,
  sigma: number,
  low: number,
  high: number,
  logNormaliser = truncatedNormalLogNormaliser(mu, sigma, low, high),
): number {
  if (x < low || x > high) return Number.NEGATIVE_INFINITY;
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - logNormaliser;
}

/** log σ + log(Φ(β) − Φ(α)): the part of the truncated normal's log-density that does not depend on x. */
export function truncatedNormalLogNormaliser(
  mu: number,
  sigma: number,
  low: number,
  high: number,
): number {
  return Math.log(sigma) + logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of N(μ, σ²) truncated to [low, high]: x with
 * Φ(z) = Φ(α) + q·(Φ(β) − Φ(α)), solved in log space on the side of the tail that keeps the
 * precision (Optuna's TPE samples its Parzen components this way). A uniform q gives a
 * sample. The result is clipped to [low, high] against rounding.
 */
export function truncatedNormalQuantile(
  q: number,
  mu: number,
  sigma: number,
  low: number,
  high: number,
): number {
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  if (q <= 0) return low;
  if (q >= 1) return high;
  const logMass = logGaussMass(a, b);
  const z =
    a < 0
      ? ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logMass))
      : -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + logMass));
  return Math.min(high, Math.max(low, mu + sigma * z));
}

/** log(e^p − e^q) for p ≥ q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** log(e^p + e^q). */
export function logAddExp(p: number, q: number): number {
  if (p === Number.NEGATIVE_INFINITY) return q;
  if (q === Number.NEGATIVE_INFINITY) return p;
  return p > q ? p + Math.log1p(Math.exp(q - p)) : q + Math.log1p(Math.exp(p - q));
}
