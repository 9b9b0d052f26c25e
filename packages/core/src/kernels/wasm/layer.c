/*
 * The elementwise loops of an infomorphic layer's training step, built into the same module
 * as matmul.c (wasm32 + SIMD128, freestanding):
 *
 *   layer_activate_modulated     a = F·[c0 + Σ_j α_j·σ(β_j·F·s_j)] (multi-source, modulatory)
 *   layer_activate_kay_phillips  a = r·[k1 + (1−k1)·e^(k2·r·c)]
 *   layer_activate_identity      a = F
 *     each with ∂A/∂s_j, θ = σ(a) and ±1 samples drawn from a xoshiro128** stream
 *   layer_draw, layer_activate   the same in two steps for threads: the stream, then ranges
 *
 * (δ and the transpose are layer_delta.c; the vector types and macros layer_simd.h.)
 *
 * Arrays are [sample × neuron] row-major float32 ("cells" elements, any alignment), except the
 * estimator's neuron-major float64 arrays. Pointers are byte addresses in linear memory.
 *
 * Numbers. The modulated and identity activations run in float32 SIMD: each exponential is
 * e^x for x = −|u| ≤ 0 (Cody–Waite reduction and the Cephes expf polynomial, ≤ 2 ulp; results
 * below the smallest subnormal are 0), so nothing overflows for any |u|; the error against the
 * float64 formulas of kernels/ts/activation.ts is a few float32 ulp plus the rounding of the
 * exponent argument u to float32, which costs |u|·2⁻²⁴ relative in e^(−|u|). Kay–Phillips
 * grows like e^u, which overflows float32 long before float64, so it runs in float64 SIMD
 * (degree-11 Taylor exponential, ~1e-13 relative) and rounds once to float32, as the TS does.
 * θ = σ(a) is float32 from the float32 a: 1/(1 + e^(−a)) for a ≥ 0, e^a/(1 + e^a) below, so
 * σ(±large) saturates to 1 or 0 and NaN stays NaN.
 *
 * Sampling reproduces Rng.uniform() of random/rng.ts exactly: per element in order, two
 * xoshiro128** words (hi >> 5, lo >> 6) make u = (hi·2²⁶ + lo)/2⁵³, a double, and the
 * sample is +1 if u < (double)θ, else −1. The four state words are read from and written
 * back to `rng`, so the caller's generator continues the same stream.
 *
 * Speed: 8 elements per step (two interleaved 4-lane chains), the scalar xoshiro recurrence
 * one step ahead inside the same loop, its output function and the comparison in SIMD. About
 * 10× the TS loop for the three-source activation (≈11 ns per element on a loaded 2-core
 * EPYC; the TS loop ≈120 ns).
 *
 * Thread safety: no static or global mutable data, only the stack and the caller's arrays.
 */
#include "layer_simd.h"

/* ---- exponentials ---------------------------------------------------------------------- */

/* x < c ? c : x per lane, keeping a NaN x (f32x4.pmax: one maxps; max's NaN rules cost more). */
INLINE f32x8 floor_at(f32x8 x, float c) {
  return JOIN((f32x4)wasm_f32x4_pmax((v128_t)LO(x), wasm_f32x4_splat(c)),
              (f32x4)wasm_f32x4_pmax((v128_t)HI(x), wasm_f32x4_splat(c)));
}

/*
 * e^x for x ≤ 0 (or NaN → NaN), float32, ≤ 2 ulp for normal results. x is clamped at −110,
 * where e^x is already below half the smallest subnormal, so the result rounds to 0. The
 * scale 2^n is applied in two halves so subnormal results round once, correctly.
 */
INLINE f32x8 exp_nonpositive(f32x8 x) {
  x = floor_at(x, -110.0f);
  /* n = round(x·log2 e) by adding 1.5·2^23 (ties to even, as f32x4.nearest); the integer n
     is the difference of the bit patterns, exact for |n| < 2^22 */
  f32x8 t = x * F8(1.44269504088896341f) + F8(MAGIC);
  f32x8 n = t - F8(MAGIC);
  i32x8 ni = (i32x8)t - (i32x8)F8(MAGIC); /* in [−159, 0] */
  /* Cody–Waite: 0.693359375 has 9 significant bits, so n·C1 is exact for |n| < 2^15. */
  f32x8 r = x - n * F8(0.693359375f) - n * F8(-2.12194440e-4f);
  /* Cephes expf: e^r = 1 + r + r²·P(r) on |r| ≤ ln2/2 */
  f32x8 y = F8(1.9875691500e-4f);
  y = y * r + F8(1.3981999507e-3f);
  y = y * r + F8(8.3334519073e-3f);
  y = y * r + F8(4.1665795894e-2f);
  y = y * r + F8(1.6666665459e-1f);
  y = y * r + F8(5.0000001201e-1f);
  y = y * (r * r) + r + F8(1.0f);
  i32x8 n1 = ni >> 1;
  i32x8 n2 = ni - n1;
  f32x8 scale1 = (f32x8)((n1 + 127) << 23);
  f32x8 scale2 = (f32x8)((n2 + 127) << 23);
  return y * scale1 * scale2;
}

/*
 * e^x in float64 for any x (NaN → NaN): overflows to +Infinity above ≈709.78 and underflows
 * to 0 below ≈−745, like Math.exp. Degree-11 Taylor polynomial on |r| ≤ ln2/2: relative
 * error ~1e-13, far below the float32 rounding of everything it feeds.
 */
INLINE f64x2 exp_f64(f64x2 x) {
  x = (f64x2)wasm_f64x2_max((v128_t)x, wasm_f64x2_splat(-746.0));
  x = (f64x2)wasm_f64x2_min((v128_t)x, wasm_f64x2_splat(710.0));
  f64x2 n = (f64x2)wasm_f64x2_nearest((v128_t)(x * D2(1.4426950408889634)));
  /* fdlibm's split of ln 2: the high part has 32 significant bits, so n·hi is exact. */
  f64x2 r = x - n * D2(6.93147180369123816490e-01) - n * D2(1.90821492927058770002e-10);
  f64x2 y = D2(1.0 / 39916800.0);
  y = y * r + D2(1.0 / 3628800.0);
  y = y * r + D2(1.0 / 362880.0);
  y = y * r + D2(1.0 / 40320.0);
  y = y * r + D2(1.0 / 5040.0);
  y = y * r + D2(1.0 / 720.0);
  y = y * r + D2(1.0 / 120.0);
  y = y * r + D2(1.0 / 24.0);
  y = y * r + D2(1.0 / 6.0);
  y = y * r + D2(0.5);
  y = y * r + D2(1.0);
  y = y * r + D2(1.0);
  /* n in [−1076, 1024]; each half fits a float64 exponent. NaN → 0. */
  i64x2 ni = (i64x2)wasm_i64x2_extend_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero((v128_t)n));
  i64x2 n1 = ni >> 1;
  i64x2 n2 = ni - n1;
  f64x2 scale1 = (f64x2)((n1 + 1023) << 52);
  f64x2 scale2 = (f64x2)((n2 + 1023) << 52);
  return y * scale1 * scale2;
}

/* −|x|: the sign bit set (one or; abs and neg would each rebuild a mask constant in V8). */
INLINE f32x8 minus_abs(f32x8 x) { return (f32x8)((i32x8)x | (i32x8)F8(-0.0f)); }

/* σ(u) and σ'(u) = σ(u)·σ(−u), as neuron/activation.ts: e = e^(−|u|), d = 1 + e. */
typedef struct {
  f32x8 sig, slope;
} logistic;

INLINE logistic logistic_of(f32x8 u) {
  f32x8 e = exp_nonpositive(minus_abs(u));
  f32x8 inv = F8(1.0f) / (F8(1.0f) + e); /* one division for both */
  logistic out;
  out.sig = SELECT8(u >= F8(0.0f), F8(1.0f), e) * inv;
  out.slope = e * inv * inv;
  return out;
}

/* θ = σ(a) in float32. */
INLINE f32x8 sigmoid(f32x8 a) {
  f32x8 e = exp_nonpositive(minus_abs(a));
  return SELECT8(a >= F8(0.0f), F8(1.0f), e) / (F8(1.0f) + e);
}

/* ---- xoshiro128** (random/rng.ts) ------------------------------------------------------- */

typedef struct {
  unsigned s0, s1, s2, s3;
} xoshiro;

/*
 * Advances the generator by `steps` words, recording s1 before each step: a word's output,
 * rotl(s1·5, 7)·9, depends on that s1 alone, so the scalar part is just the linear
 * recurrence and the output function runs in SIMD in sample8().
 */
INLINE void advance(xoshiro *g, unsigned *s1s, int steps) {
  unsigned s0 = g->s0, s1 = g->s1, s2 = g->s2, s3 = g->s3;
  for (int i = 0; i < steps; i++) {
    s1s[i] = s1;
    unsigned t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >> 21);
  }
  g->s0 = s0;
  g->s1 = s1;
  g->s2 = s2;
  g->s3 = s3;
}

/*
 * ±1 samples of 8 elements from θ and the recorded s1 of their 16 words (hi, lo per element):
 * u = hi·2^-27 + lo·2^-53 with hi = word >> 5, lo = word >> 6 is Rng.uniform() exactly (53
 * bits), and the sample is +1 iff u < (double)θ, as float64 compares (θ = NaN gives −1).
 */
INLINE f32x8 sample8(f32x8 theta, const unsigned *s1s) {
  u32x8 w0 = *(const u32x8 *)s1s;
  u32x8 w1 = *(const u32x8 *)(s1s + 8);
  u32x8 words[2] = {__builtin_shufflevector(w0, w1, 0, 2, 4, 6, 8, 10, 12, 14),
                    __builtin_shufflevector(w0, w1, 1, 3, 5, 7, 9, 11, 13, 15)};
  for (int q = 0; q < 2; q++) {
    u32x8 x = words[q] * 5u; /* the output function rotl(s1·5, 7)·9, mod 2^32 */
    x = (x << 7) | (x >> 25);
    words[q] = x * 9u;
  }
  i32x8 hi = (i32x8)(words[0] >> 5); /* < 2^27: converts as signed */
  i32x8 lo = (i32x8)(words[1] >> 6);
  i32x4 fires[4];
  for (int h = 0; h < 4; h++) {
    i32x4 hh = h < 2 ? LO(hi) : HI(hi);
    i32x4 lh = h < 2 ? LO(lo) : HI(lo);
    f32x4 th = h < 2 ? LO(theta) : HI(theta);
    if (h & 1) {
      hh = __builtin_shufflevector(hh, hh, 2, 3, 2, 3);
      lh = __builtin_shufflevector(lh, lh, 2, 3, 2, 3);
      th = __builtin_shufflevector(th, th, 2, 3, 2, 3);
    }
    f64x2 u = (f64x2)wasm_f64x2_convert_low_i32x4((v128_t)hh) * D2(0x1p-27) +
              (f64x2)wasm_f64x2_convert_low_i32x4((v128_t)lh) * D2(0x1p-53);
    fires[h] = (i32x4)(u < (f64x2)wasm_f64x2_promote_low_f32x4((v128_t)th));
  }
  /* the 64-bit masks, narrowed to 32-bit lanes */
  i32x8 mask = JOIN(__builtin_shufflevector(fires[0], fires[1], 0, 2, 4, 6),
                    __builtin_shufflevector(fires[2], fires[3], 0, 2, 4, 6));
  return SELECT8(mask, F8(1.0f), F8(-1.0f));
}

/* ---- activations ----------------------------------------------------------------------- */

enum kind { MODULATED, KAY_PHILLIPS, IDENTITY };

/* Parameters of one activation (only those of its kind are read). */
typedef struct {
  float c0;                  /* modulated: the constant part of the factor */
  float alpha[3], beta[3];   /* modulated: per context source */
  float alpha_beta[3];       /* α_j·β_j */
  double k1, k2, gain;       /* Kay–Phillips; gain = 1 − k1 */
} params;

/* Where the 8 lanes of one step live: inputs s_j, outputs a, ∂A/∂s_j, θ and the samples. */
typedef struct {
  const float *s[4];
  float *a;
  float *da[4];
  float *theta;
  float *samples;
} lanes;

/* Kay–Phillips for 4 elements at e, in float64 (its e^u overflows float32 long before). */
INLINE f32x4 kay_phillips4(const params *p, const lanes *v, int e) {
  f32x4 r4 = LOAD(v->s[0] + e);
  f32x4 c4 = LOAD(v->s[1] + e);
  f32x4 half[3][2];
  for (int h = 0; h < 2; h++) {
    f32x4 rh = h == 0 ? r4 : __builtin_shufflevector(r4, r4, 2, 3, 2, 3);
    f32x4 ch = h == 0 ? c4 : __builtin_shufflevector(c4, c4, 2, 3, 2, 3);
    f64x2 r = (f64x2)wasm_f64x2_promote_low_f32x4((v128_t)rh);
    f64x2 c = (f64x2)wasm_f64x2_promote_low_f32x4((v128_t)ch);
    f64x2 u = D2(p->k2) * r * c;
    /* gain·e^u, and exactly 0 for k1 = 1 even where e^u overflows (activation.ts grow()) */
    f64x2 g = p->gain == 0.0 ? D2(0.0) : D2(p->gain) * exp_f64(u);
    __typeof__(u == u) zero = g == D2(0.0);
    f64x2 av = r * (D2(p->k1) + g);
    f64x2 d0 = SELECT2(zero, D2(p->k1), D2(p->k1) + g * (D2(1.0) + u));
    f64x2 d1 = SELECT2(zero, D2(0.0), g * D2(p->k2) * r * r);
    half[0][h] = (f32x4)wasm_f32x4_demote_f64x2_zero((v128_t)av);
    half[1][h] = (f32x4)wasm_f32x4_demote_f64x2_zero((v128_t)d0);
    half[2][h] = (f32x4)wasm_f32x4_demote_f64x2_zero((v128_t)d1);
  }
  STORE(v->da[0] + e, __builtin_shufflevector(half[1][0], half[1][1], 0, 1, 4, 5));
  STORE(v->da[1] + e, __builtin_shufflevector(half[2][0], half[2][1], 0, 1, 4, 5));
  return __builtin_shufflevector(half[0][0], half[0][1], 0, 1, 4, 5);
}

/*
 * a, dA, θ and the samples of the 8 elements at offset e, drawing from the recorded words
 * s1s[0..15]. `kind` and `contexts` are constants after inlining.
 */
INLINE void activate8(enum kind kind, int contexts, const params *p, const lanes *v, int e,
                      const unsigned *s1s) {
  f32x8 a;
  if (kind == IDENTITY) {
    a = LOAD8(v->s[0] + e);
    STORE8(v->da[0] + e, F8(1.0f));
  } else if (kind == MODULATED) {
    f32x8 f = LOAD8(v->s[0] + e);
    f32x8 factor = F8(p->c0);
    f32x8 dF = F8(p->c0);
    for (int j = 0; j < contexts; j++) {
      f32x8 u = F8(p->beta[j]) * f * LOAD8(v->s[j + 1] + e);
      logistic l = logistic_of(u);
      factor += F8(p->alpha[j]) * l.sig;
      /* the TS guard `slope === 0 ? 0 : u·slope` (u may be ±Infinity where slope is 0) */
      f32x8 us = SELECT8(l.slope == F8(0.0f), F8(0.0f), u * l.slope);
      dF += F8(p->alpha[j]) * (l.sig + us);
      /* slope first, so an underflowed slope gives 0 even where f² would overflow float32 */
      STORE8(v->da[j + 1] + e, F8(p->alpha_beta[j]) * l.slope * f * f);
    }
    a = f * factor;
    STORE8(v->da[0] + e, dF);
  } else {
    a = JOIN(kay_phillips4(p, v, e), kay_phillips4(p, v, e + 4));
  }
  f32x8 theta = sigmoid(a);
  STORE8(v->a + e, a);
  STORE8(v->theta + e, theta);
  STORE8(v->samples + e, sample8(theta, s1s));
}

/*
 * The last `left` < 8 elements from `whole` on, through 8-lane copies on the stack, drawing
 * from the recorded words s1s[0..2·left−1].
 */
INLINE void activate_tail(enum kind kind, int contexts, const params *p, const lanes *v,
                          int whole, int left, const unsigned *s1s) {
  int sources = kind == IDENTITY ? 1 : kind == KAY_PHILLIPS ? 2 : contexts + 1;
  float in[4][8];
  float out[7][8];
  for (int j = 0; j < 4; j++)
    for (int q = 0; q < 8; q++) in[j][q] = 0.0f;
  lanes t;
  for (int j = 0; j < 4; j++) {
    t.s[j] = in[j];
    t.da[j] = out[3 + (j < sources ? j : 0)];
  }
  t.a = out[0];
  t.theta = out[1];
  t.samples = out[2];
  for (int j = 0; j < sources; j++)
    for (int q = 0; q < left; q++) in[j][q] = v->s[j][whole + q];
  activate8(kind, contexts, p, &t, 0, s1s);
  for (int q = 0; q < left; q++) {
    v->a[whole + q] = out[0][q];
    v->theta[whole + q] = out[1][q];
    v->samples[whole + q] = out[2][q];
    for (int j = 0; j < sources; j++) v->da[j][whole + q] = out[3 + j][q];
  }
}

/*
 * The whole activation step: whole groups of 8, then the last cells % 8 elements through
 * 8-lane copies on the stack. The scalar xoshiro recurrence for the next group runs inside
 * the loop, one group ahead, so the CPU overlaps its latency chain with the SIMD work.
 */
INLINE void activate_all(enum kind kind, int contexts, const params *p, const lanes *v,
                         int cells, unsigned *rng) {
  xoshiro g = {rng[0], rng[1], rng[2], rng[3]};
  unsigned ring[2][16] __attribute__((aligned(32)));
  int whole = cells & ~7;
  if (whole > 0) advance(&g, ring[0], 16);
  for (int e = 0, slot = 0; e < whole; e += 8, slot ^= 1) {
    if (e + 8 < whole) advance(&g, ring[slot ^ 1], 16);
    activate8(kind, contexts, p, v, e, ring[slot]);
  }
  int left = cells - whole;
  if (left > 0) {
    unsigned *s1s = ring[0];
    for (int q = 0; q < 16; q++) s1s[q] = 0;
    advance(&g, s1s, 2 * left);
    activate_tail(kind, contexts, p, v, whole, left, s1s);
  }
  rng[0] = g.s0;
  rng[1] = g.s1;
  rng[2] = g.s2;
  rng[3] = g.s3;
}

/*
 * A = F·[c0 + Σ_j α_j·σ(β_j·F·s_j)] over `contexts` = 1..3 context sources (s1..s3; unused
 * pointers are ignored), with dA_0 = c0 + Σ_j α_j·(σ + u_j·σ') and dA_j = α_j·β_j·F²·σ'(u_j),
 * u_j = β_j·F·s_j. multi-source: c0 = 1 − Σα; modulatory: c0 = k1, α = 2(1 − k1), β = k2.
 * Also θ = σ(a) and the ±1 samples (see the top of the file). Float32.
 */
EXPORT("layer_activate_modulated")
void layer_activate_modulated(int contexts, float c0, float alpha1, float alpha2, float alpha3,
                              float beta1, float beta2, float beta3, const float *s0,
                              const float *s1, const float *s2, const float *s3, float *a,
                              float *da0, float *da1, float *da2, float *da3, float *theta,
                              float *samples, int cells, unsigned *rng) {
  params p = {c0,
              {alpha1, alpha2, alpha3},
              {beta1, beta2, beta3},
              {alpha1 * beta1, alpha2 * beta2, alpha3 * beta3},
              0.0,
              0.0,
              0.0};
  lanes v = {{s0, s1, s2, s3}, a, {da0, da1, da2, da3}, theta, samples};
  switch (contexts) {
    case 1:
      activate_all(MODULATED, 1, &p, &v, cells, rng);
      break;
    case 2:
      activate_all(MODULATED, 2, &p, &v, cells, rng);
      break;
    case 3:
      activate_all(MODULATED, 3, &p, &v, cells, rng);
      break;
    default:
      break; /* the JS wrapper sends other counts to the TS path */
  }
}

/*
 * Kay–Phillips, A = r·[k1 + g], g = (1 − k1)·e^u, u = k2·r·c; dA_0 = k1 + g·(1 + u),
 * dA_1 = g·k2·r² (k1 and 0 where g = 0). Float64, rounded once to float32; then θ and samples.
 */
EXPORT("layer_activate_kay_phillips")
void layer_activate_kay_phillips(double k1, double k2, const float *r, const float *c, float *a,
                                 float *da0, float *da1, float *theta, float *samples, int cells,
                                 unsigned *rng) {
  params p = {0.0f, {0}, {0}, {0}, k1, k2, 1.0 - k1};
  lanes v = {{r, c, 0, 0}, a, {da0, da1, 0, 0}, theta, samples};
  activate_all(KAY_PHILLIPS, 0, &p, &v, cells, rng);
}

/* A = F, dA_0 = 1; then θ and samples. */
EXPORT("layer_activate_identity")
void layer_activate_identity(const float *f, float *a, float *da0, float *theta, float *samples,
                             int cells, unsigned *rng) {
  params p = {0.0f, {0}, {0}, {0}, 0.0, 0.0, 0.0};
  lanes v = {{f, 0, 0, 0}, a, {da0, 0, 0, 0}, theta, samples};
  activate_all(IDENTITY, 0, &p, &v, cells, rng);
}

/*
 * The activation split in two for threads. layer_draw, on one thread: the xoshiro stream of
 * all cells elements, recorded as the s1 of each of its 2·cells words (see advance()), so the
 * stream is the one the fused pass draws. layer_activate, on element ranges: the same
 * activate8() over [first, last) (first a multiple of 8), reading element e's words at
 * words[2e], so every output has the bits of the fused pass for any split.
 */
EXPORT("layer_draw")
void layer_draw(unsigned *rng, unsigned *words, int cells) {
  xoshiro g = {rng[0], rng[1], rng[2], rng[3]};
  advance(&g, words, 2 * cells);
  rng[0] = g.s0;
  rng[1] = g.s1;
  rng[2] = g.s2;
  rng[3] = g.s3;
}

INLINE void activate_words(enum kind kind, int contexts, const params *p, const lanes *v,
                           int first, int last, const unsigned *words) {
  int whole = first + ((last - first) & ~7);
  for (int e = first; e < whole; e += 8) activate8(kind, contexts, p, v, e, words + 2 * (long)e);
  int left = last - whole;
  if (left > 0) {
    unsigned s1s[16] __attribute__((aligned(32)));
    for (int q = 0; q < 16; q++) s1s[q] = q < 2 * left ? words[2 * (long)whole + q] : 0;
    activate_tail(kind, contexts, p, v, whole, left, s1s);
  }
}

/*
 * Elements first ≤ e < last of an activation from layer_draw's words: kind 0 modulated (values:
 * c0, α1..α3, β1..β3, each rounded to float32), 1 Kay–Phillips (values: k1, k2), 2 identity;
 * as layer_activate_modulated, layer_activate_kay_phillips and layer_activate_identity.
 */
EXPORT("layer_activate")
void layer_activate(int kind, int contexts, const double *values, const float *s0,
                    const float *s1, const float *s2, const float *s3, float *a, float *da0,
                    float *da1, float *da2, float *da3, float *theta, float *samples,
                    const unsigned *words, int first, int last) {
  lanes v = {{s0, s1, s2, s3}, a, {da0, da1, da2, da3}, theta, samples};
  if (kind == MODULATED) {
    float alpha[3] = {(float)values[1], (float)values[2], (float)values[3]};
    float beta[3] = {(float)values[4], (float)values[5], (float)values[6]};
    params p = {(float)values[0],
                {alpha[0], alpha[1], alpha[2]},
                {beta[0], beta[1], beta[2]},
                {alpha[0] * beta[0], alpha[1] * beta[1], alpha[2] * beta[2]},
                0.0,
                0.0,
                0.0};
    if (contexts == 1) activate_words(MODULATED, 1, &p, &v, first, last, words);
    if (contexts == 2) activate_words(MODULATED, 2, &p, &v, first, last, words);
    if (contexts == 3) activate_words(MODULATED, 3, &p, &v, first, last, words);
  } else if (kind == KAY_PHILLIPS) {
    params p = {0.0f, {0}, {0}, {0}, values[0], values[1], 1.0 - values[0]};
    activate_words(KAY_PHILLIPS, 0, &p, &v, first, last, words);
  } else {
    params p = {0.0f, {0}, {0}, {0}, 0.0, 0.0, 0.0};
    activate_words(IDENTITY, 0, &p, &v, first, last, words);
  }
}
