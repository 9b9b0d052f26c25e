/*
 * The fast base-2 logarithm of pid/log2.ts, scalar and over buffers of f64x2, bit for bit.
 * Part of pid.c, which includes it once (the kernel is one translation unit, so clang inlines
 * across its parts as in one file); not a header to include elsewhere.
 */

/* ---- log2.ts, exactly ---- */

typedef union {
  double d;
  uint64_t u;
} bits64;

static inline double fast_log2(const Ctx *x, double v) {
  bits64 b = {v};
  uint32_t high = (uint32_t)(b.u >> 32);
  uint32_t exponent = (high >> 20) & 0x7ff;
  if (exponent == 0 || exponent == 0x7ff || (high >> 31) != 0) return js_log2(v);
  uint32_t i = (high >> 10) & (LOG_TABLE - 1);
  /* v·2^−(e−1023): the mantissa in [1, 2), exactly (log2.ts multiplies by SCALE[e]). */
  bits64 m = {.u = (b.u & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull};
  double z = m.d * x->recip[i] - 1;
  double z2 = z * z;
  double series = z + z2 * (-0.5 + z * (1.0 / 3)) + z2 * z2 * (-0.25 + z * (1.0 / 5));
  return (double)((int32_t)exponent - 1023) + x->log2left[i] + series * x->constants[0];
}

/*
 * What fast_log2 computes itself: normal, positive and finite ⟺ DBL_MIN ≤ v ≤ DBL_MAX as
 * float64 (NaN fails both). Float compares, not integer ones on the bits: clang turns the
 * integer range test into an unsigned i64x2 compare, which wasm lacks, and scalarises it.
 */
static inline v128_t log2_ok(v128_t v) {
  return wasm_v128_and(wasm_f64x2_ge(v, wasm_f64x2_splat(0x1p-1022)),
                       wasm_f64x2_le(v, wasm_f64x2_splat(0x1.fffffffffffffp+1023)));
}

/*
 * fast_log2 on both lanes of v (log2_ok), given the high words h0, h1 of its lanes (loaded as
 * scalars where possible: extracting them from the vector costs V8 a shuffle with a
 * rematerialised mask). tab: the interleaved (1/c_i, log2 c_i) table.
 */
static inline v128_t log2x2_at(const double *tab, v128_t v, uint32_t h0, uint32_t h1, v128_t invLn2) {
  const v128_t t0 = wasm_v128_load(tab + 2 * ((h0 >> 10) & (LOG_TABLE - 1)));
  const v128_t t1 = wasm_v128_load(tab + 2 * ((h1 >> 10) & (LOG_TABLE - 1)));
  const v128_t recip = wasm_i64x2_shuffle(t0, t1, 0, 2);
  const v128_t left = wasm_i64x2_shuffle(t0, t1, 1, 3);
  const v128_t m = wasm_v128_or(wasm_v128_and(v, wasm_i64x2_splat(0x000FFFFFFFFFFFFFll)),
                                wasm_i64x2_splat(0x3FF0000000000000ll));
  const v128_t z = wasm_f64x2_sub(wasm_f64x2_mul(m, recip), wasm_f64x2_splat(1));
  const v128_t z2 = wasm_f64x2_mul(z, z);
  const v128_t a = wasm_f64x2_add(wasm_f64x2_splat(-0.5), wasm_f64x2_mul(z, wasm_f64x2_splat(1.0 / 3)));
  const v128_t c = wasm_f64x2_add(wasm_f64x2_splat(-0.25), wasm_f64x2_mul(z, wasm_f64x2_splat(1.0 / 5)));
  const v128_t series = wasm_f64x2_add(wasm_f64x2_add(z, wasm_f64x2_mul(z2, a)),
                                       wasm_f64x2_mul(wasm_f64x2_mul(z2, z2), c));
  /* (e − 1023) as float64, exactly: the bits 2^52 + e as a double, minus 2^52 + 1023. */
  const v128_t ef = wasm_f64x2_sub(
      wasm_v128_or(wasm_u64x2_shr(v, 52), wasm_i64x2_splat(0x4330000000000000ll)),
      wasm_f64x2_splat(4503599627371519.0)); /* 2^52 + 1023 */
  return wasm_f64x2_add(wasm_f64x2_add(ef, left), wasm_f64x2_mul(series, invLn2));
}

/*
 * Whether every value seen by a running lane-wise i32x4 min (lo) and max (hi) is log2_ok: its
 * high word (odd lanes) within [0x00100000, 0x7FEFFFFF] as int32 ⟺ sign 0, exponent 1…0x7FE.
 */
static inline int all_log2_ok(v128_t lo, v128_t hi) {
  return wasm_i32x4_extract_lane(lo, 1) >= 0x00100000 && wasm_i32x4_extract_lane(lo, 3) >= 0x00100000 &&
         wasm_i32x4_extract_lane(hi, 1) <= 0x7FEFFFFF && wasm_i32x4_extract_lane(hi, 3) <= 0x7FEFFFFF;
}

/* 32-bit words that may alias a v128_t. */
typedef uint32_t __attribute__((__may_alias__)) word32;

/* log2x2_at on the vector at p, in place (log2_ok). */
static inline void log2x2_inplace(const double *tab, v128_t *p, v128_t invLn2) {
  const word32 *w = (const word32 *)p;
  const uint32_t h0 = w[1], h1 = w[3];
  *p = log2x2_at(tab, wasm_v128_load(p), h0, h1, invLn2);
}

/* fast_log2 on both lanes, whatever the values. */
static inline v128_t log2x2(const Ctx *x, v128_t v) {
  if (!wasm_i64x2_all_true(log2_ok(v))) {
    return wasm_f64x2_make(fast_log2(x, wasm_f64x2_extract_lane(v, 0)),
                           fast_log2(x, wasm_f64x2_extract_lane(v, 1)));
  }
  return log2x2_at(x->logtab, v, (uint32_t)wasm_i32x4_extract_lane(v, 1),
                   (uint32_t)wasm_i32x4_extract_lane(v, 3), wasm_f64x2_splat(x->constants[0]));
}

/* The minimum and maximum that all_log2_ok starts from. */
#define LOG2_LO wasm_i32x4_splat(0x7FFFFFFF)
#define LOG2_HI wasm_i32x4_splat((int32_t)0x80000000)

/* fast_log2 of both lanes of v[0…count−1] in place; lo, hi: their running min and max (all_log2_ok). */
static inline void log2_buffer(const Ctx *x, v128_t *v, int count, v128_t lo, v128_t hi) {
  if (all_log2_ok(lo, hi)) {
    const double *tab = x->logtab;
    const v128_t invLn2 = wasm_f64x2_splat(x->constants[0]);
    for (int i = 0; i < count; i++) log2x2_inplace(tab, v + i, invLn2);
  } else {
    for (int i = 0; i < count; i++) v[i] = log2x2(x, v[i]);
  }
}
