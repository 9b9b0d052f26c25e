/*
 * The PID training estimator (pid/samples.ts, SCIENCE.md §4–§5) for n = 2 and 3 sources,
 * built freestanding for wasm32 + SIMD128.
 *
 * Bit-identical to the TypeScript estimator by construction: every float64 operation of
 * samples.ts, trivariate.ts and log2.ts is done here in the same order (IEEE arithmetic,
 * no FMA in wasm, no -ffast-math, so clang cannot reassociate), the log2 tables are
 * computed in JavaScript and copied in, and Math.log2 is imported for what the fast
 * log2 leaves to it (p(t), zeros, subnormals). Only the memory traffic differs: the
 * ratios are not buffered, logs are taken in place, and the trivariate loop works on
 * (t = 1, t = 0) pairs as f64x2 lanes, whose lane-wise arithmetic is the scalar one.
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
#define STRIDE 8 /* cell-major trivariate gathers: 7 subsets padded to 8 */
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
  int perSlot = S * B;
  x->marginalId = bump(perSlot * 4);
  x->marginalKeys = bump(perSlot * 4);
  x->p1 = bump(perSlot * 8);
  x->p0 = bump(perSlot * 8);
  x->u1 = bump(perSlot * 8);
  x->u0 = bump(perSlot * 8);
  x->direct = bump(perSlot * 8);
  x->cellGradient = bump(B * 8);
  x->q1 = bump(B * 8);
  x->q0 = bump(B * 8);
  int gathered = B * (S > STRIDE ? S : STRIDE);
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

/* The same on both lanes of a (t = 1, t = 0) pair. */
static inline v128_t fast_log2x2(const Ctx *x, v128_t v) {
  v128_t high = wasm_u64x2_shr(v, 32);
  v128_t exponent = wasm_v128_and(wasm_u64x2_shr(v, 52), wasm_i64x2_splat(0x7ff));
  /* exponent 0 or 0x7ff, or sign set: the whole pair takes the scalar path. */
  v128_t bad = wasm_v128_or(
      wasm_v128_or(wasm_i64x2_eq(exponent, wasm_i64x2_splat(0)),
                   wasm_i64x2_eq(exponent, wasm_i64x2_splat(0x7ff))),
      wasm_i64x2_lt(v, wasm_i64x2_splat(0)));
  if (wasm_v128_any_true(bad)) {
    return wasm_f64x2_make(fast_log2(x, wasm_f64x2_extract_lane(v, 0)),
                           fast_log2(x, wasm_f64x2_extract_lane(v, 1)));
  }
  v128_t index = wasm_v128_and(wasm_u64x2_shr(high, 10), wasm_i64x2_splat(LOG_TABLE - 1));
  uint32_t i0 = (uint32_t)wasm_i64x2_extract_lane(index, 0);
  uint32_t i1 = (uint32_t)wasm_i64x2_extract_lane(index, 1);
  v128_t m = wasm_v128_or(wasm_v128_and(v, wasm_i64x2_splat(0x000FFFFFFFFFFFFFll)),
                          wasm_i64x2_splat(0x3FF0000000000000ll));
  v128_t recip = wasm_f64x2_make(x->recip[i0], x->recip[i1]);
  v128_t left = wasm_f64x2_make(x->log2left[i0], x->log2left[i1]);
  v128_t one = wasm_f64x2_splat(1);
  v128_t z = wasm_f64x2_sub(wasm_f64x2_mul(m, recip), one);
  v128_t z2 = wasm_f64x2_mul(z, z);
  v128_t a = wasm_f64x2_add(wasm_f64x2_splat(-0.5), wasm_f64x2_mul(z, wasm_f64x2_splat(1.0 / 3)));
  v128_t c = wasm_f64x2_add(wasm_f64x2_splat(-0.25), wasm_f64x2_mul(z, wasm_f64x2_splat(1.0 / 5)));
  v128_t series = wasm_f64x2_add(wasm_f64x2_add(z, wasm_f64x2_mul(z2, a)),
                                 wasm_f64x2_mul(wasm_f64x2_mul(z2, z2), c));
  /* (e − 1023) as float64: exact via i32 lanes (e ≤ 2046). */
  v128_t e32 = wasm_i32x4_shuffle(exponent, exponent, 0, 2, 0, 2);
  v128_t ef = wasm_f64x2_convert_low_i32x4(wasm_i32x4_sub(e32, wasm_i32x4_splat(1023)));
  return wasm_f64x2_add(wasm_f64x2_add(ef, left),
                        wasm_f64x2_mul(series, wasm_f64x2_splat(x->constants[0])));
}

/* ---- samples.ts groupSamples / indexMarginal ---- */

static int group_samples(Ctx *x, int k, int count) {
  const int n = x->n, K = x->K;
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

static int index_marginal(Ctx *x, int slot, int cellCount) {
  const int n = x->n, K = x->K;
  const int subset = slot + 1;
  int32_t *table = x->marginalIdOfKey[slot];
  const int base = slot * x->B;
  int count = 0;
  for (int j = 0; j < cellCount; j++) {
    int key = 0;
    for (int s = n - 1; s >= 0; s--)
      if (subset & (1 << s)) key = key * K + x->cellBins[j * n + s];
    int id = table[key];
    if (id < 0) {
      id = count++;
      table[key] = id;
      x->marginalKeys[base + id] = key;
    }
    x->marginalId[base + j] = id;
  }
  for (int m = 0; m < count; m++) table[x->marginalKeys[base + m]] = -1;
  return count;
}

/* ---- trivariate.ts, per cell, on (t = 1, t = 0) lanes ---- */

static void trivariate_cells(Ctx *x, int cellCount, double logT1, double logT0) {
  const double *q1 = x->q1, *q0 = x->q0, *g1 = x->g1, *g0 = x->g0;
  const double *weights = x->multiWeights;
  double *info = x->info, *cellGradient = x->cellGradient, *v1 = x->v1, *v0 = x->v0;
  for (int a = 0; a < 11; a++) info[a] = 0;
  const v128_t logT = wasm_f64x2_make(logT1, logT0);
  const v128_t zero = wasm_f64x2_splat(0);
  const v128_t one = wasm_f64x2_splat(1);
  for (int j = 0; j < cellCount; j++) {
    const int r = j * STRIDE;
    /* fillUnions for t = 1 (lane 0) and t = 0 (lane 1). */
    v128_t x1 = wasm_f64x2_make(g1[r], g0[r]);
    v128_t x2 = wasm_f64x2_make(g1[r + 1], g0[r + 1]);
    v128_t x12 = wasm_f64x2_make(g1[r + 2], g0[r + 2]);
    v128_t x3 = wasm_f64x2_make(g1[r + 3], g0[r + 3]);
    v128_t x13 = wasm_f64x2_make(g1[r + 4], g0[r + 4]);
    v128_t x23 = wasm_f64x2_make(g1[r + 5], g0[r + 5]);
    v128_t x123 = wasm_f64x2_make(g1[r + 6], g0[r + 6]);
#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul
    v128_t P[11];
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
    const double c1 = q1[j], c0 = q0[j];
    const v128_t c = wasm_f64x2_make(c1, c0);
    v128_t Pinv[11], ratio[11];
    if (c1 > 0 && c0 > 0) {
      for (int a = 0; a < 11; a++) {
        /* R = 1/(x1·x0·(x1+x0)); ratios x1·x1·x0·R, x0·x1·x0·R; inverses x0·sum·R, x1·sum·R. */
        double p1 = wasm_f64x2_extract_lane(P[a], 0), p0 = wasm_f64x2_extract_lane(P[a], 1);
        double sum = p1 + p0;
        double R = 1 / (p1 * p0 * sum);
        v128_t Rv = wasm_f64x2_splat(R);
        ratio[a] = MUL(MUL(MUL(P[a], wasm_f64x2_splat(p1)), wasm_f64x2_splat(p0)), Rv);
        v128_t swapped = wasm_i64x2_shuffle(P[a], P[a], 1, 0);
        Pinv[a] = MUL(MUL(swapped, wasm_f64x2_splat(sum)), Rv);
      }
    } else {
      for (int a = 0; a < 11; a++) {
        double p1 = wasm_f64x2_extract_lane(P[a], 0), p0 = wasm_f64x2_extract_lane(P[a], 1);
        double sum = p1 + p0;
        ratio[a] = wasm_f64x2_make(c1 > 0 ? p1 / sum : 1, c0 > 0 ? p0 / sum : 1);
        Pinv[a] = wasm_f64x2_make(c1 > 0 ? 1 / p1 : 0, c0 > 0 ? 1 / p0 : 0);
      }
    }
    /* l_t = q_t > 0 ? log2(ratio_t) − log2 p(t) : 0. */
    const v128_t positive = wasm_f64x2_gt(c, zero);
    double gl = 0;
    double W1[11], W0[11];
    for (int a = 0; a < 11; a++) {
      v128_t l = wasm_v128_and(SUB(fast_log2x2(x, ratio[a]), logT), positive);
      double l1 = wasm_f64x2_extract_lane(l, 0), l0 = wasm_f64x2_extract_lane(l, 1);
      v128_t cl = MUL(c, l);
      info[a] += wasm_f64x2_extract_lane(cl, 0) + wasm_f64x2_extract_lane(cl, 1);
      const double weight = weights[a];
      gl += weight * (l1 - l0);
      v128_t W = wasm_v128_and(MUL(MUL(wasm_f64x2_splat(weight), c), Pinv[a]), positive);
      W1[a] = wasm_f64x2_extract_lane(W, 0);
      W0[a] = wasm_f64x2_extract_lane(W, 1);
    }
    (void)one;
    cellGradient[j] = gl;
    /* scatterAdjoint for both t. */
    double *V[2] = {v1, v0};
    double *Ws[2] = {W1, W0};
    for (int t = 0; t < 2; t++) {
      const double *W = Ws[t];
      double *v = V[t];
      v[r] = W[0] + W[1] + W[2] + W[4];
      v[r + 1] = W[0] + W[1] + W[3] + W[5];
      v[r + 2] = -W[0] - W[1] + W[6] + W[7] + W[8] + W[9];
      v[r + 3] = W[0] + W[2] + W[3] + W[6];
      v[r + 4] = -W[0] - W[2] + W[5] + W[7] + W[8] + W[10];
      v[r + 5] = -W[0] - W[3] + W[4] + W[7] + W[9] + W[10];
      v[r + 6] = W[0] - W[4] - W[5] - W[6] - 2 * W[7] - W[8] - W[9] - W[10];
    }
  }
#undef ADD
#undef SUB
#undef MUL
}

/* ---- samples.ts multiGeneric ---- */

static void multi_generic(Ctx *x, int cellCount, double logT1, double logT0) {
  const int B = x->B, S = (1 << x->n) - 1;
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

static int neuron(Ctx *x, int k, int count) {
  const int B = x->B, n = x->n, S = (1 << n) - 1, full = S - 1;
  const double INV_LN2 = x->constants[0], gammaRes = x->constants[1];
  const double *c = x->c;
  double *red = x->red + k * x->size;
  double *p1 = x->p1, *p0 = x->p0, *u1 = x->u1, *u0 = x->u0, *direct = x->direct;
  int32_t *marginalId = x->marginalId;
  double *q1 = x->q1, *q0 = x->q0, *g1 = x->g1, *g0 = x->g0, *v1 = x->v1, *v0 = x->v0;

  const int cellCount = group_samples(x, k, count);
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

  for (int slot = 0; slot < S; slot++) {
    const int base = slot * B;
    const int mc = slot == full ? cellCount : index_marginal(x, slot, cellCount);
    x->marginalCount[slot] = mc;
    if (slot == full)
      for (int j = 0; j < cellCount; j++) marginalId[base + j] = j;
    for (int m = base; m < base + mc; m++) p1[m] = 0, p0[m] = 0, u1[m] = 0, u0[m] = 0, direct[m] = 0;
    for (int j = 0; j < cellCount; j++) {
      const int id = base + marginalId[base + j];
      p1[id] += q1[j];
      p0[id] += q0[j];
    }
  }
  const int unrolled = n == 3;
  for (int slot = 0; slot < S; slot++) {
    const int base = slot * B;
    for (int j = 0; j < cellCount; j++) {
      const int id = base + marginalId[base + j];
      const int at = unrolled ? j * STRIDE + slot : base + j;
      g1[at] = p1[id];
      g0[at] = p0[id];
    }
  }

  /* Single-collection antichains. */
  const v128_t zero = wasm_f64x2_splat(0);
  for (int slot = 0; slot < S; slot++) {
    const int base = slot * B;
    const int mc = x->marginalCount[slot];
    const int antichain = x->singleOf[slot];
    const double weight = c[antichain];
    const v128_t logT = wasm_f64x2_make(logT1, logT0);
    double info = 0;
    for (int m = base; m < base + mc; m++) {
      const double a1 = p1[m], a0 = p0[m];
      const double inv = 1 / (a1 + a0);
      v128_t pair = wasm_f64x2_make(a1, a0);
      v128_t positive = wasm_f64x2_gt(pair, zero);
      v128_t ratio = wasm_v128_bitselect(wasm_f64x2_mul(pair, wasm_f64x2_splat(inv)),
                                         wasm_f64x2_splat(1), positive);
      v128_t l = wasm_v128_and(wasm_f64x2_sub(fast_log2x2(x, ratio), logT), positive);
      const double l1 = wasm_f64x2_extract_lane(l, 0), l0 = wasm_f64x2_extract_lane(l, 1);
      const double indicator = (double)((a1 > 0 ? 1 : 0) - (a0 > 0 ? 1 : 0));
      info += a1 * l1 + a0 * l0;
      direct[m] = weight * (l1 - l0 + indicator * INV_LN2);
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
      const int at = unrolled ? j * STRIDE + slot : base + j;
      u1[id] += v1[at];
      u0[id] += v0[at];
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
  for (int k = 0; k < neurons; k++)
    if (neuron(x, k, count) < 0) return -1;
  return 0;
}
