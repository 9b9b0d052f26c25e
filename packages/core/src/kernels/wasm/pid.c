/*
 * The PID training estimator (pid/samples.ts, SCIENCE.md §4–§5) for n = 2 and 3 sources,
 * built freestanding for wasm32 + SIMD128.
 *
 * Bit-identical to the TypeScript estimator by construction: every float64 operation of
 * samples.ts, trivariate.ts and log2.ts is done here in the same order (IEEE arithmetic,
 * no FMA in wasm, no -ffast-math, so clang cannot reassociate), the log2 tables are
 * computed in JavaScript and copied in, and Math.log2 is imported for what the fast
 * log2 leaves to it (p(t), zeros, subnormals). Only the data layout differs: loops over
 * cells (and marginal cells) take two at a time as f64x2 lanes, whose lane-wise arithmetic
 * is the scalar one, and sums over cells stay sequential (lane 0, then lane 1). Verified
 * with exact equality by pid/wasm.test.ts.
 *
 * Memory: the JS wrapper (pid/wasm.ts) calls pid_setup once, which lays out the context,
 * tables and scratch above __heap_base (growing memory once), then writes the tables and
 * inputs through the pointers in the context, and calls pid_run per chunk of neurons.
 * Rebuild with scripts/build-kernels.sh.
 */
#include <stdint.h>
#include <wasm_simd128.h>

/* Math.log2, imported from JavaScript (bit-identical fallbacks). */
__attribute__((import_module("env"), import_name("log2"))) double js_log2(double x);

extern unsigned char __heap_base;

#define LOG_TABLE 1024
#define DENSE_LIMIT (1 << 22)

/* Fields are int32 (pointers are byte addresses), read by pid/wasm.ts in this order. */
typedef struct {
  int32_t n, K, B, chunk;   /* sources, bins, batch capacity, neurons per pid_run */
  int32_t size, multiCount; /* antichains, multi-collection antichains */
  int32_t termCount, top;
  /* Tables written by JS. */
  double *recip, *log2left;   /* LOG_TABLE each */
  double *c;                  /* redundancy weights, size */
  int32_t *singleOf;          /* slot → antichain {M} */
  int32_t *multiAntichain;    /* multiCount */
  int32_t *multiStart;        /* multiCount + 1 */
  int32_t *multiSlot;         /* termCount */
  double *multiCoef;          /* termCount */
  double *multiWeighted;      /* termCount */
  double *multiWeights;       /* multiCount */
  double *constants;          /* [INV_LN2, gammaRes] */
  /* Inputs and outputs of one chunk, written / read by JS. */
  uint8_t *bins;     /* [neuron][sample][source] */
  double *theta;     /* [neuron][sample] */
  double *red;       /* [neuron][antichain] redundancies */
  double *entropy;   /* [neuron] H(Y) */
  double *gradient;  /* [neuron][sample] ∂G/∂θ */
  int32_t error[4];  /* kind (1 bad bin, 2 bad theta), neuron, sample, source */
  /* Scratch. */
  int32_t *cellIdOfKey, *cellKeys, *sampleCell;
  double *cellTheta, *cellCount;
  uint8_t *cellBins;
  int32_t *marginalIdOfKey[7];
  int32_t marginalCount[7];
  int32_t *marginalId, *marginalKeys;
  double *p1, *p0, *u1, *u0, *direct, *cellGradient;
  double *q1, *q0, *g1, *g0, *v1, *v0;
  double *P1, *P0, *w1, *w0, *info;
  double *ratio; /* 2 per cell (generic path) */
  double *logtab; /* (1/c_i, log2 c_i) pairs */
  v128_t *tri;    /* trivariate: per pair of cells, 22 ratios then 22 reciprocals */
  int32_t R;      /* row stride of per-subset rows: B + 1 or more, even (a padding lane for pairs) */
} Ctx;

static uintptr_t heap_top;

static void *bump(uintptr_t bytes) {
  uintptr_t at = (heap_top + 63) & ~(uintptr_t)63;
  heap_top = at + bytes;
  return (void *)at;
}

static int ipow(int b, int e) {
  int r = 1;
  while (e-- > 0) r *= b;
  return r;
}

static int popcount(int x) { return __builtin_popcount((unsigned)x); }

/* Lay out context, tables and scratch; returns the context's address, or 0 if memory cannot grow. */
Ctx *pid_setup(int n, int K, int B, int chunk, int size, int multiCount, int termCount, int top) {
  heap_top = (uintptr_t)&__heap_base;
  Ctx *x = bump(sizeof(Ctx));
  for (unsigned i = 0; i < sizeof(Ctx); i++) ((char *)x)[i] = 0;
  x->n = n;
  x->K = K;
  x->B = B;
  x->chunk = chunk;
  x->size = size;
  x->multiCount = multiCount;
  x->termCount = termCount;
  x->top = top;
  int S = (1 << n) - 1;
  const int R = (B + 2) & ~1;
  x->R = R;
  x->recip = bump(LOG_TABLE * 8);
  x->log2left = bump(LOG_TABLE * 8);
  x->c = bump(size * 8);
  x->singleOf = bump(S * 4);
  x->multiAntichain = bump(multiCount * 4);
  x->multiStart = bump((multiCount + 1) * 4);
  x->multiSlot = bump(termCount * 4);
  x->multiCoef = bump(termCount * 8);
  x->multiWeighted = bump(termCount * 8);
  x->multiWeights = bump(multiCount * 8);
  x->constants = bump(4 * 8);
  x->bins = bump((uintptr_t)chunk * B * n);
  x->theta = bump((uintptr_t)chunk * B * 8);
  x->red = bump((uintptr_t)chunk * size * 8);
  x->entropy = bump((uintptr_t)chunk * 8);
  x->gradient = bump((uintptr_t)chunk * B * 8);
  x->cellIdOfKey = bump((uintptr_t)ipow(K, n) * 4);
  x->cellKeys = bump(B * 4);
  x->sampleCell = bump(B * 4);
  x->cellTheta = bump(B * 8);
  x->cellCount = bump(B * 8);
  x->cellBins = bump(B * n);
  for (int s = 0; s < S; s++) {
    int members = popcount(s + 1);
    x->marginalIdOfKey[s] = members < n ? bump(ipow(K, members) * 4) : 0;
  }
  int perSlot = S * R;
  x->marginalId = bump(perSlot * 4);
  x->marginalKeys = bump(perSlot * 4);
  x->p1 = bump(perSlot * 8);
  x->p0 = bump(perSlot * 8);
  x->u1 = bump(perSlot * 8);
  x->u0 = bump(perSlot * 8);
  x->direct = bump(perSlot * 8);
  x->cellGradient = bump(R * 8);
  x->q1 = bump(R * 8);
  x->q0 = bump(R * 8);
  int gathered = perSlot;
  x->g1 = bump(gathered * 8);
  x->g0 = bump(gathered * 8);
  x->v1 = bump(gathered * 8);
  x->v0 = bump(gathered * 8);
  x->P1 = bump(B * 8);
  x->P0 = bump(B * 8);
  x->w1 = bump(B * 8);
  x->w0 = bump(B * 8);
  x->info = bump(64 * 8);
  x->ratio = bump(2 * B * 8);
  x->logtab = bump(2 * LOG_TABLE * 8);
  x->tri = bump((uintptr_t)(R / 2) * 44 * 16);
  uintptr_t need = (heap_top + 65535) / 65536;
  uintptr_t have = __builtin_wasm_memory_size(0);
  if (need > have && __builtin_wasm_memory_grow(0, need - have) == (uintptr_t)-1) return 0;
  int cells = ipow(K, n);
  for (int i = 0; i < cells; i++) x->cellIdOfKey[i] = -1;
  for (int s = 0; s < S; s++) {
    if (!x->marginalIdOfKey[s]) continue;
    int m = ipow(K, popcount(s + 1));
    for (int i = 0; i < m; i++) x->marginalIdOfKey[s][i] = -1;
  }
  return x;
}

/* Called by JS once the tables are written. */
void pid_ready(Ctx *x) {
  for (int i = 0; i < LOG_TABLE; i++) x->logtab[2 * i] = x->recip[i], x->logtab[2 * i + 1] = x->log2left[i];
}

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

/* Normal, positive and finite ⟺ 2^52 ≤ bits < 0x7ff·2^52 as signed integers; the others go to the scalar path. */
static inline v128_t log2_bad(v128_t v) {
  return wasm_v128_or(wasm_i64x2_lt(v, wasm_i64x2_splat(0x0010000000000000ll)),
                      wasm_i64x2_ge(v, wasm_i64x2_splat(0x7FF0000000000000ll)));
}

/* fast_log2 on both lanes, for values that are not log2_bad. */
static inline v128_t log2x2_normal(const Ctx *x, v128_t v) {
  const uint32_t i0 = (uint32_t)(wasm_i64x2_extract_lane(v, 0) >> 42) & (LOG_TABLE - 1);
  const uint32_t i1 = (uint32_t)(wasm_i64x2_extract_lane(v, 1) >> 42) & (LOG_TABLE - 1);
  const v128_t t0 = wasm_v128_load(x->logtab + 2 * i0), t1 = wasm_v128_load(x->logtab + 2 * i1);
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
  return wasm_f64x2_add(wasm_f64x2_add(ef, left),
                        wasm_f64x2_mul(series, wasm_f64x2_splat(x->constants[0])));
}

/* fast_log2 on both lanes. */
static inline v128_t log2x2(const Ctx *x, v128_t v) {
  if (__builtin_expect(wasm_v128_any_true(log2_bad(v)), 0)) {
    return wasm_f64x2_make(fast_log2(x, wasm_f64x2_extract_lane(v, 0)),
                           fast_log2(x, wasm_f64x2_extract_lane(v, 1)));
  }
  return log2x2_normal(x, v);
}

/* ---- samples.ts groupSamples / indexMarginal ---- */

__attribute__((always_inline)) static inline int group_samples(Ctx *x, int k, int count,
                                                               const int n) {
  const int K = x->K;
  int cellCount = 0;
  const uint8_t *bins = x->bins;
  const double *theta = x->theta;
  int32_t *dense = x->cellIdOfKey;
  int status = 0;
  for (int i = 0; i < count; i++) {
    int offset = (k * count + i) * n;
    int key = 0;
    for (int s = n - 1; s >= 0; s--) {
      int b = bins[offset + s];
      if (b >= K) {
        x->error[0] = 1, x->error[1] = k, x->error[2] = i, x->error[3] = s;
        status = -1;
        goto clear;
      }
      key = key * K + b;
    }
    int cell = dense[key];
    if (cell < 0) {
      cell = cellCount++;
      dense[key] = cell;
      x->cellKeys[cell] = key;
      x->cellTheta[cell] = 0;
      x->cellCount[cell] = 0;
      for (int s = 0; s < n; s++) x->cellBins[cell * n + s] = bins[offset + s];
    }
    x->sampleCell[i] = cell;
    double th = theta[k * count + i];
    if (!(th >= 0 && th <= 1)) {
      x->error[0] = 2, x->error[1] = k, x->error[2] = i, x->error[3] = 0;
      status = -1;
      goto clear;
    }
    x->cellTheta[cell] += th;
    x->cellCount[cell] += 1;
  }
  status = cellCount;
clear:
  for (int j = 0; j < cellCount; j++) dense[x->cellKeys[j]] = -1;
  return status;
}

/*
 * samples.ts step 2 (indexMarginal and the sums p(x_M, t)), fused: one pass over the cells
 * numbers every subset's marginal cells in order of first appearance (the same ids as
 * samples.ts, whatever the key, as long as it is one-to-one) and sums q into them in the
 * same order. 0 + q is written as q: q is never −0, so the bits are the same.
 */
__attribute__((always_inline)) static inline void marginals(Ctx *x, int cellCount, const int n) {
  const int K = x->K, R = x->R, S = (1 << n) - 1, full = S - 1;
  const double *q1 = x->q1, *q0 = x->q0;
  double *p1 = x->p1, *p0 = x->p0, *u1 = x->u1, *u0 = x->u0, *direct = x->direct;
  int32_t *marginalId = x->marginalId, *marginalKeys = x->marginalKeys;
  int32_t weight[7][3];
  int32_t count[7] = {0};
  for (int slot = 0; slot < full; slot++) {
    int w = 1;
    for (int s = 0; s < 3; s++) {
      weight[slot][s] = s < n && ((slot + 1) & (1 << s)) ? w : 0;
      if (weight[slot][s]) w *= K;
    }
    count[slot] = 0;
  }
#define MARGINAL(slot, keyExpr)                                          \
  {                                                                      \
    const int key = (keyExpr);                                           \
    int32_t *table = tables[slot];                                       \
    const int base = (slot) * R;                                         \
    int id = table[key];                                                 \
    if (id < 0) {                                                        \
      id = count[slot]++;                                                \
      table[key] = id;                                                   \
      marginalKeys[base + id] = key;                                     \
      const int m = base + id;                                           \
      p1[m] = c1, p0[m] = c0, u1[m] = 0, u0[m] = 0, direct[m] = 0;       \
    } else {                                                             \
      p1[base + id] += c1;                                               \
      p0[base + id] += c0;                                               \
    }                                                                    \
    marginalId[base + j] = id;                                           \
  }
  int32_t *tables[6];
  for (int slot = 0; slot < full; slot++) tables[slot] = x->marginalIdOfKey[slot];
  if (n == 3) {
    /* Unrolled: slots {1}, {2}, {12}, {3}, {13}, {23}. */
    for (int j = 0; j < cellCount; j++) {
      const uint8_t *b = x->cellBins + j * 3;
      const int b0 = b[0], b1 = b[1], b2 = b[2];
      const double c1 = q1[j], c0 = q0[j];
      MARGINAL(0, b0)
      MARGINAL(1, b1)
      MARGINAL(2, b0 + K * b1)
      MARGINAL(3, b2)
      MARGINAL(4, b0 + K * b2)
      MARGINAL(5, b1 + K * b2)
    }
  }
  for (int j = 0; j < (n == 3 ? 0 : cellCount); j++) {
    const uint8_t *b = x->cellBins + j * n;
    const int b0 = b[0], b1 = b[1], b2 = n == 3 ? b[2] : 0;
    const double c1 = q1[j], c0 = q0[j];
    for (int slot = 0; slot < full; slot++) {
      const int key = b0 * weight[slot][0] + b1 * weight[slot][1] + b2 * weight[slot][2];
      int32_t *table = x->marginalIdOfKey[slot];
      const int base = slot * R;
      int id = table[key];
      if (id < 0) {
        id = count[slot]++;
        table[key] = id;
        marginalKeys[base + id] = key;
        const int m = base + id;
        p1[m] = c1, p0[m] = c0, u1[m] = 0, u0[m] = 0, direct[m] = 0;
      } else {
        p1[base + id] += c1;
        p0[base + id] += c0;
      }
      marginalId[base + j] = id;
    }
  }
  for (int slot = 0; slot < full; slot++) {
    int32_t *table = x->marginalIdOfKey[slot];
    for (int m = 0; m < count[slot]; m++) table[marginalKeys[slot * R + m]] = -1;
    x->marginalCount[slot] = count[slot];
  }
  const int base = full * R;
  x->marginalCount[full] = cellCount;
  for (int j = 0; j < cellCount; j++) {
    marginalId[base + j] = j;
    p1[base + j] = q1[j], p0[base + j] = q0[j];
    u1[base + j] = 0, u0[base + j] = 0, direct[base + j] = 0;
  }
}

/* ---- trivariate.ts, two cells per f64x2 (lane 1 of an odd tail is an empty cell) ---- */

#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul
#define DIV wasm_f64x2_div
#define AND wasm_v128_and
#define SEL wasm_v128_bitselect

/* fillUnions: P_α for the 11 multi-collection antichains from the 7 marginals. */
static inline void unions(const double *g, int R, int j, v128_t *P) {
  const v128_t x1 = wasm_v128_load(g + j), x2 = wasm_v128_load(g + R + j);
  const v128_t x12 = wasm_v128_load(g + 2 * R + j), x3 = wasm_v128_load(g + 3 * R + j);
  const v128_t x13 = wasm_v128_load(g + 4 * R + j), x23 = wasm_v128_load(g + 5 * R + j);
  const v128_t x123 = wasm_v128_load(g + 6 * R + j);
  P[0] = ADD(SUB(SUB(SUB(ADD(ADD(x1, x2), x3), x12), x13), x23), x123);
  P[1] = SUB(ADD(x1, x2), x12);
  P[2] = SUB(ADD(x1, x3), x13);
  P[3] = SUB(ADD(x2, x3), x23);
  P[4] = SUB(ADD(x1, x23), x123);
  P[5] = SUB(ADD(x2, x13), x123);
  P[6] = SUB(ADD(x3, x12), x123);
  P[7] = SUB(ADD(ADD(x12, x13), x23), MUL(wasm_f64x2_splat(2), x123));
  P[8] = SUB(ADD(x12, x13), x123);
  P[9] = SUB(ADD(x12, x23), x123);
  P[10] = SUB(ADD(x13, x23), x123);
}

/* scatterAdjoint: v_M = Σ_α coef_α(M)·W_α, stored at cells j, j+1 of each subset row. */
static inline void scatter(const v128_t *W, double *v, int R, int j) {
  wasm_v128_store(v + j, ADD(ADD(ADD(W[0], W[1]), W[2]), W[4]));
  wasm_v128_store(v + R + j, ADD(ADD(ADD(W[0], W[1]), W[3]), W[5]));
  wasm_v128_store(v + 2 * R + j,
                  ADD(ADD(ADD(ADD(SUB(wasm_f64x2_neg(W[0]), W[1]), W[6]), W[7]), W[8]), W[9]));
  wasm_v128_store(v + 3 * R + j, ADD(ADD(ADD(W[0], W[2]), W[3]), W[6]));
  wasm_v128_store(v + 4 * R + j,
                  ADD(ADD(ADD(ADD(SUB(wasm_f64x2_neg(W[0]), W[2]), W[5]), W[7]), W[8]), W[10]));
  wasm_v128_store(v + 5 * R + j,
                  ADD(ADD(ADD(ADD(SUB(wasm_f64x2_neg(W[0]), W[3]), W[4]), W[7]), W[9]), W[10]));
  wasm_v128_store(
      v + 6 * R + j,
      SUB(SUB(SUB(SUB(SUB(SUB(SUB(W[0], W[4]), W[5]), W[6]), MUL(wasm_f64x2_splat(2), W[7])), W[8]),
              W[9]),
          W[10]));
}

/*
 * Three passes, as trivariate.ts: (1) the unions, ratios and reciprocals of every pair of
 * cells into x->tri, (2) all logarithms in one tight loop, (3) information, gradient and
 * adjoints. Per pair of cells, x->tri holds r1[a], r0[a] (a = 0…10, interleaved: 2a, 2a+1)
 * then i1[a], i0[a] at 22 + 2a, 22 + 2a + 1.
 */
static void trivariate_cells(Ctx *x, int cellCount, double logT1, double logT0) {
  const int R = x->R;
  const double *q1 = x->q1, *q0 = x->q0;
  double *info = x->info, *cellGradient = x->cellGradient;
  v128_t *buf = x->tri;
  const v128_t zero = wasm_f64x2_splat(0), one = wasm_f64x2_splat(1);
  for (int j = 0; j < cellCount; j += 2) {
    v128_t *out = buf + (j / 2) * 44;
    v128_t P1[11], P0[11];
    unions(x->g1, R, j, P1);
    unions(x->g0, R, j, P0);
    const v128_t c1 = wasm_v128_load(q1 + j), c0 = wasm_v128_load(q0 + j);
    const v128_t m1 = wasm_f64x2_gt(c1, zero), m0 = wasm_f64x2_gt(c0, zero);
    const v128_t both = AND(m1, m0);
    if (wasm_i64x2_all_true(both)) {
      for (int a = 0; a < 11; a++) {
        const v128_t x1 = P1[a], x0 = P0[a];
        const v128_t sum = ADD(x1, x0);
        /* One division for the three quotients (see trivariate.ts). */
        const v128_t Rc = DIV(one, MUL(MUL(x1, x0), sum));
        out[2 * a] = MUL(MUL(MUL(x1, x1), x0), Rc);
        out[2 * a + 1] = MUL(MUL(MUL(x0, x1), x0), Rc);
        out[22 + 2 * a] = MUL(MUL(x0, sum), Rc);
        out[22 + 2 * a + 1] = MUL(MUL(x1, sum), Rc);
      }
    } else {
      for (int a = 0; a < 11; a++) {
        const v128_t x1 = P1[a], x0 = P0[a];
        const v128_t sum = ADD(x1, x0);
        const v128_t Rc = DIV(one, MUL(MUL(x1, x0), sum));
        out[2 * a] = SEL(MUL(MUL(MUL(x1, x1), x0), Rc), SEL(DIV(x1, sum), one, m1), both);
        out[2 * a + 1] = SEL(MUL(MUL(MUL(x0, x1), x0), Rc), SEL(DIV(x0, sum), one, m0), both);
        out[22 + 2 * a] = SEL(MUL(MUL(x0, sum), Rc), AND(DIV(one, x1), m1), both);
        out[22 + 2 * a + 1] = SEL(MUL(MUL(x1, sum), Rc), AND(DIV(one, x0), m0), both);
      }
    }
  }
  const int pairs = (cellCount + 1) / 2;
  for (int p = 0; p < pairs; p++) {
    v128_t *v = buf + p * 44;
    for (int a = 0; a < 22; a += 2) {
      /* One test for two vectors. */
      if (__builtin_expect(wasm_v128_any_true(wasm_v128_or(log2_bad(v[a]), log2_bad(v[a + 1]))), 0)) {
        v[a] = log2x2(x, v[a]);
        v[a + 1] = log2x2(x, v[a + 1]);
      } else {
        v[a] = log2x2_normal(x, v[a]);
        v[a + 1] = log2x2_normal(x, v[a + 1]);
      }
    }
  }
  /* Sums in locals (info[] would be reloaded after every store through a double*). */
  double sums[11], weights[11];
  for (int a = 0; a < 11; a++) sums[a] = 0, weights[a] = x->multiWeights[a];
  double *__restrict v1 = x->v1, *__restrict v0 = x->v0;
  const v128_t lt1 = wasm_f64x2_splat(logT1), lt0 = wasm_f64x2_splat(logT0);
  for (int j = 0; j < cellCount; j += 2) {
    const v128_t *in = buf + (j / 2) * 44;
    const int pair = j + 1 < cellCount;
    const v128_t c1 = wasm_v128_load(q1 + j), c0 = wasm_v128_load(q0 + j);
    const v128_t m1 = wasm_f64x2_gt(c1, zero), m0 = wasm_f64x2_gt(c0, zero);
    v128_t gl = zero;
    v128_t W1[11], W0[11];
    for (int a = 0; a < 11; a++) {
      const v128_t l1 = AND(SUB(in[2 * a], lt1), m1);
      const v128_t l0 = AND(SUB(in[2 * a + 1], lt0), m0);
      const v128_t t = ADD(MUL(c1, l1), MUL(c0, l0));
      sums[a] += wasm_f64x2_extract_lane(t, 0);
      if (pair) sums[a] += wasm_f64x2_extract_lane(t, 1);
      const v128_t weight = wasm_f64x2_splat(weights[a]);
      gl = ADD(gl, MUL(weight, SUB(l1, l0)));
      W1[a] = AND(MUL(MUL(weight, c1), in[22 + 2 * a]), m1);
      W0[a] = AND(MUL(MUL(weight, c0), in[22 + 2 * a + 1]), m0);
    }
    wasm_v128_store(cellGradient + j, gl);
    scatter(W1, v1, R, j);
    scatter(W0, v0, R, j);
  }
  for (int a = 0; a < 11; a++) info[a] = sums[a];
}

/* ---- samples.ts multiGeneric ---- */

static void multi_generic(Ctx *x, int cellCount, double logT1, double logT0) {
  const int B = x->R, S = (1 << x->n) - 1; /* B: row stride */
  const double *c = x->c, *q1 = x->q1, *q0 = x->q0, *g1 = x->g1, *g0 = x->g0;
  double *v1 = x->v1, *v0 = x->v0, *P1 = x->P1, *P0 = x->P0, *w1 = x->w1, *w0 = x->w0;
  double *cellGradient = x->cellGradient;
  for (int j = 0; j < cellCount; j++) cellGradient[j] = 0;
  for (int slot = 0; slot < S; slot++)
    for (int j = 0; j < cellCount; j++) v1[slot * B + j] = 0, v0[slot * B + j] = 0;
  for (int a = 0; a < x->multiCount; a++) {
    const int from = x->multiStart[a], to = x->multiStart[a + 1];
    for (int j = 0; j < cellCount; j++) P1[j] = 0, P0[j] = 0;
    for (int t = from; t < to; t++) {
      const double coef = x->multiCoef[t];
      const int row = x->multiSlot[t] * B;
      for (int j = 0; j < cellCount; j++) {
        P1[j] += coef * g1[row + j];
        P0[j] += coef * g0[row + j];
      }
    }
    const double weight = c[x->multiAntichain[a]];
    double sum = 0;
    for (int j = 0; j < cellCount; j++) {
      const double inv = 1 / (P1[j] + P0[j]);
      const double c1 = q1[j], c0 = q0[j];
      const double l1 = c1 > 0 ? fast_log2(x, P1[j] * inv) - logT1 : 0;
      const double l0 = c0 > 0 ? fast_log2(x, P0[j] * inv) - logT0 : 0;
      sum += c1 * l1 + c0 * l0;
      cellGradient[j] += weight * (l1 - l0);
      w1[j] = c1 > 0 ? c1 / P1[j] : 0;
      w0[j] = c0 > 0 ? c0 / P0[j] : 0;
    }
    x->info[a] = sum;
    for (int t = from; t < to; t++) {
      const double weighted = x->multiWeighted[t];
      const int row = x->multiSlot[t] * B;
      for (int j = 0; j < cellCount; j++) {
        v1[row + j] += weighted * w1[j];
        v0[row + j] += weighted * w0[j];
      }
    }
  }
}

/* ---- samples.ts neuron() and the per-neuron part of run() ---- */

/* Inlined once per n (2, 3), so n and the subset count are constants and loops over subsets unroll. */
__attribute__((always_inline)) static inline int neuron(Ctx *x, int k, int count, const int n) {
  const int B = x->R, S = (1 << n) - 1; /* B: row stride */
  const double INV_LN2 = x->constants[0], gammaRes = x->constants[1];
  const double *c = x->c;
  double *red = x->red + k * x->size;
  double *p1 = x->p1, *p0 = x->p0, *u1 = x->u1, *u0 = x->u0, *direct = x->direct;
  int32_t *marginalId = x->marginalId;
  double *q1 = x->q1, *q0 = x->q0, *g1 = x->g1, *g0 = x->g0, *v1 = x->v1, *v0 = x->v0;

  const int cellCount = group_samples(x, k, count, n);
  if (cellCount < 0) return -1;
  const double invB = 1.0 / count;
  double sumTheta = 0;
  for (int j = 0; j < cellCount; j++) {
    const double t1 = x->cellTheta[j] * invB;
    q1[j] = t1;
    q0[j] = x->cellCount[j] * invB - t1;
    sumTheta += x->cellTheta[j];
  }
  const double pT1 = sumTheta * invB;
  const double pT0 = 1 - pT1;
  const double logT1 = pT1 > 0 ? js_log2(pT1) : 0;
  const double logT0 = pT0 > 0 ? js_log2(pT0) : 0;
  x->entropy[k] = -(pT1 > 0 ? pT1 * logT1 : 0) - (pT0 > 0 ? pT0 * logT0 : 0);

  marginals(x, cellCount, n);
  const int unrolled = n == 3;
  for (int slot = 0; slot < S; slot++) {
    const int base = slot * B;
    for (int j = 0; j < cellCount; j++) {
      const int id = base + marginalId[base + j];
      g1[base + j] = p1[id];
      g0[base + j] = p0[id];
    }
    /* The padding lane of an odd count: an empty cell. */
    g1[base + cellCount] = 0;
    g0[base + cellCount] = 0;
  }
  q1[cellCount] = 0;
  q0[cellCount] = 0;

  /* Single-collection antichains, two marginal cells per f64x2 (lane 1 of an odd tail is an empty cell). */
  const v128_t zero = wasm_f64x2_splat(0);
  const v128_t one = wasm_f64x2_splat(1);
  const v128_t lt1 = wasm_f64x2_splat(logT1), lt0 = wasm_f64x2_splat(logT0);
  const v128_t invLn2 = wasm_f64x2_splat(INV_LN2);
  for (int slot = 0; slot < S; slot++) {
    const int base = slot * B;
    const int mc = x->marginalCount[slot];
    p1[base + mc] = 0;
    p0[base + mc] = 0;
    const int antichain = x->singleOf[slot];
    const v128_t weight = wasm_f64x2_splat(c[antichain]);
    double info = 0;
    for (int m = base; m < base + mc; m += 2) {
      const v128_t a1 = wasm_v128_load(p1 + m), a0 = wasm_v128_load(p0 + m);
      const v128_t inv = wasm_f64x2_div(one, wasm_f64x2_add(a1, a0));
      const v128_t m1 = wasm_f64x2_gt(a1, zero), m0 = wasm_f64x2_gt(a0, zero);
      const v128_t r1 = wasm_v128_bitselect(wasm_f64x2_mul(a1, inv), one, m1);
      const v128_t r0 = wasm_v128_bitselect(wasm_f64x2_mul(a0, inv), one, m0);
      const v128_t l1 = wasm_v128_and(wasm_f64x2_sub(log2x2(x, r1), lt1), m1);
      const v128_t l0 = wasm_v128_and(wasm_f64x2_sub(log2x2(x, r0), lt0), m0);
      const v128_t indicator = wasm_f64x2_sub(wasm_v128_and(m1, one), wasm_v128_and(m0, one));
      const v128_t t = wasm_f64x2_add(wasm_f64x2_mul(a1, l1), wasm_f64x2_mul(a0, l0));
      info += wasm_f64x2_extract_lane(t, 0);
      if (m + 1 < base + mc) info += wasm_f64x2_extract_lane(t, 1);
      wasm_v128_store(direct + m,
                      wasm_f64x2_mul(weight, wasm_f64x2_add(wasm_f64x2_sub(l1, l0),
                                                            wasm_f64x2_mul(indicator, invLn2))));
    }
    red[antichain] = info;
  }

  if (unrolled) trivariate_cells(x, cellCount, logT1, logT0);
  else multi_generic(x, cellCount, logT1, logT0);
  for (int a = 0; a < x->multiCount; a++) red[x->multiAntichain[a]] = x->info[a];

  for (int slot = 0; slot < S; slot++) {
    const int base = slot * B;
    for (int j = 0; j < cellCount; j++) {
      const int id = base + marginalId[base + j];
      u1[id] += v1[base + j];
      u0[id] += v0[base + j];
    }
  }
  for (int slot = 0; slot < S; slot++) {
    const int base = slot * B;
    for (int m = base; m < base + x->marginalCount[slot]; m++) direct[m] += (u1[m] - u0[m]) * INV_LN2;
  }
  const double entropyTerm = -gammaRes * (logT1 - logT0);
  double *cellGradient = x->cellGradient;
  for (int j = 0; j < cellCount; j++) {
    double g = cellGradient[j] + entropyTerm;
    for (int slot = 0; slot < S; slot++) g += direct[slot * B + marginalId[slot * B + j]];
    cellGradient[j] = g;
  }
  double *grad = x->gradient + k * count;
  for (int i = 0; i < count; i++) grad[i] = cellGradient[x->sampleCell[i]] / count;
  return 0;
}

/* Neurons 0…neurons−1 of the chunk in x->bins / x->theta (stride `count` samples). Returns 0, or −1 with x->error set. */
int pid_run(Ctx *x, int neurons, int count) {
  if (x->n == 3) {
    for (int k = 0; k < neurons; k++)
      if (neuron(x, k, count, 3) < 0) return -1;
  } else {
    for (int k = 0; k < neurons; k++)
      if (neuron(x, k, count, 2) < 0) return -1;
  }
  return 0;
}
