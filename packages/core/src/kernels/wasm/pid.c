/*
 * The PID training estimator (pid/samples.ts, SCIENCE.md §4–§5) for n = 2 and 3 sources,
 * built freestanding for wasm32 + SIMD128.
 *
 * Bit-identical to the TypeScript estimator by construction: every float64 operation of
 * samples.ts, trivariate.ts and log2.ts is done here in the same order (IEEE arithmetic,
 * no FMA in wasm, no -ffast-math, so clang cannot reassociate), the log2 tables are
 * computed in JavaScript and copied in, and Math.log2 is imported for what the fast
 * log2 leaves to it (p(t), zeros, subnormals). Only the data layout and the order of
 * independent work differ: loops over cells (and marginal cells) take two at a time as
 * f64x2 lanes, whose lane-wise arithmetic is the scalar one; sums over cells stay
 * sequential (lane 0, then lane 1); and where samples.ts initialises a sum to 0 and adds,
 * this adds to a zeroed sum, or adds +0 for an empty padding lane (the same bits, as the
 * sums start at +0 and so are never −0). Verified with exact equality by pid/wasm.test.ts.
 *
 * What keeps it fast (3 sources, 20 bins, 1024 samples, value + gradient: about 10 ms per
 * 100 neurons on one thread, a quarter of it in the 22 + ~4 logarithms per cell; V8
 * compiles wasm nearly instruction for instruction, so code shape matters):
 *  - the logarithms run in tight loops over buffers, with no per-value range test: one
 *    running i32x4 min/max of the values' high words (two instructions per vector) says
 *    whether all of them are normal, positive and finite, else the checked loop runs;
 *  - the table index comes from scalar loads of the high words (extracting lanes from a
 *    vector costs V8 a shuffle with a rematerialised constant);
 *  - each phase is its own function, so V8's register allocator sees small live ranges;
 *  - grouping and marginal numbering are branch-free (select, not a mispredicted branch),
 *    with the checks of samples.ts hoisted into one vectorised pass over the inputs;
 *  - single-source marginals are numbered through the pair marginals (fewer items);
 *  - the three-source kernel reads the marginals through their ids (no gathered copy) and
 *    adds its adjoints straight into the marginal sums U.
 *
 * Memory: the JS wrapper (pid-kernel.ts) calls pid_setup once, which lays out the context,
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

/* An occupied joint cell: Σθ, the number of its samples (exact as int32), its bins (a byte per source). */
typedef struct {
  double theta;
  int32_t n;
  uint32_t bins;
} Cell;

/* Fields are int32 (pointers are byte addresses), read by pid-kernel.ts in this order. */
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
  int32_t *cellIdOfKey, *sampleCell;
  Cell *cells;
  int32_t *marginalIdOfKey[7];
  int32_t marginalCount[7];
  int32_t *marginalId, *marginalKeys;
  double *p1, *p0, *u1, *u0, *direct, *cellGradient;
  double *q1, *q0, *g1, *g0, *v1, *v0;
  double *P1, *P0, *w1, *w0, *info;
  double *logtab; /* (1/c_i, log2 c_i) pairs */
  v128_t *tri;    /* ratios and reciprocals of pairs of (marginal) cells: see singles, trivariate_cells */
  int32_t *firstCell; /* [slot][marginal cell] → its first cell */
  int32_t *idOfPair;  /* scratch of index_single_via */
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
  x->sampleCell = bump(B * 4);
  x->cells = bump(B * sizeof(Cell));
  for (int s = 0; s < S; s++) {
    int members = popcount(s + 1);
    x->marginalIdOfKey[s] = members < n ? bump(ipow(K, members) * 4) : 0;
  }
  int perSlot = S * R;
  x->marginalId = bump(perSlot * 4);
  x->marginalKeys = bump(perSlot * 4);
  x->firstCell = bump(perSlot * 4);
  x->idOfPair = bump(R * 4);
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

#define NOINLINE __attribute__((noinline))
#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul
#define DIV wasm_f64x2_div
#define AND wasm_v128_and
#define SEL wasm_v128_bitselect

/* ---- samples.ts steps 1 and 2: groupSamples, indexMarginal ---- */

/*
 * Whether neuron k's bins are all < K and its θ all in [0, 1]: one vectorised pass, so that
 * group_samples can skip the checks (and, when this fails, find the first bad input as
 * samples.ts does, with the checked loop).
 */
static inline int inputs_ok(const Ctx *x, int k, int count, const int n) {
  const uint8_t *bins = x->bins + k * count * n;
  const double *theta = x->theta + k * count;
  const int bytes = count * n;
  v128_t most = wasm_i8x16_splat(0);
  int i = 0;
  for (; i + 16 <= bytes; i += 16) most = wasm_u8x16_max(most, wasm_v128_load(bins + i));
  int top = 0;
  for (int l = 0; l < 16; l++) {
    /* (Lanes are constants after unrolling.) */
    const uint8_t v = ((const uint8_t *)&most)[l];
    top = v > top ? v : top;
  }
  for (; i < bytes; i++) top = bins[i] > top ? bins[i] : top;
  if (top >= x->K) return 0;
  v128_t ok = wasm_i64x2_splat(-1);
  const v128_t zero = wasm_f64x2_splat(0), one = wasm_f64x2_splat(1);
  i = 0;
  for (; i + 2 <= count; i += 2) {
    const v128_t t = wasm_v128_load(theta + i);
    ok = wasm_v128_and(ok, wasm_v128_and(wasm_f64x2_ge(t, zero), wasm_f64x2_le(t, one)));
  }
  if (!wasm_i64x2_all_true(ok)) return 0;
  return i == count || (theta[i] >= 0 && theta[i] <= 1);
}

/* Bins of a cell, packed, and its key in the dense cell table. */
static inline uint32_t pack_bins(const uint8_t *b, const int n) {
  const uint32_t low = (uint32_t)b[0] | (uint32_t)b[1] << 8;
  return n == 3 ? low | (uint32_t)b[2] << 16 : low;
}
static inline int cell_key(uint32_t bins, int K, const int n) {
  const int b0 = bins & 255, b1 = (bins >> 8) & 255, b2 = bins >> 16;
  return n == 3 ? (b2 * K + b1) * K + b0 : b1 * K + b0;
}

/*
 * Joint cells of neuron k's samples, numbered in order of first appearance, into x->cells.
 * Σθ and the count of every cell are zero on entry (neuron() zeroes the cells it read, the
 * error path here those it touched), so a new cell needs no initialisation: 0 + θ, as in
 * samples.ts. One array of cell records rather than one per field: fewer pointers live in
 * the loop, which V8 otherwise spills.
 */
__attribute__((always_inline)) static inline int group_samples(Ctx *x, int k, int count,
                                                               const int n) {
  const int K = x->K;
  int cellCount = 0;
  const uint8_t *bins = x->bins + k * count * n;
  const double *theta = x->theta + k * count;
  int32_t *dense = x->cellIdOfKey, *sampleCell = x->sampleCell;
  Cell *cells = x->cells;
  if (inputs_ok(x, k, count, n)) {
    /* Branch-free: every sample writes its bins at slot cellCount, kept if its cell is new. */
    for (int i = 0; i < count; i++) {
      const uint32_t packed = pack_bins(bins + i * n, n);
      const int key = cell_key(packed, K, n);
      int cell = dense[key];
      const int fresh = cell < 0;
      cell = fresh ? cellCount : cell;
      dense[key] = cell;
      cells[cellCount].bins = packed;
      cellCount += fresh;
      sampleCell[i] = cell;
      cells[cell].theta += theta[i];
      cells[cell].n += 1;
    }
    for (int j = 0; j < cellCount; j++) dense[cell_key(cells[j].bins, K, n)] = -1;
    return cellCount;
  }
  /* The checks of samples.ts, in its order, for the first bad input. */
  for (int i = 0; i < count; i++) {
    for (int s = n - 1; s >= 0; s--) {
      if (bins[i * n + s] >= K) {
        x->error[0] = 1, x->error[1] = k, x->error[2] = i, x->error[3] = s;
        goto fail;
      }
    }
    const uint32_t packed = pack_bins(bins + i * n, n);
    const int key = cell_key(packed, K, n);
    int cell = dense[key];
    if (cell < 0) {
      cell = cellCount++;
      dense[key] = cell;
      cells[cell].bins = packed;
    }
    sampleCell[i] = cell;
    const double th = theta[i];
    if (!(th >= 0 && th <= 1)) {
      x->error[0] = 2, x->error[1] = k, x->error[2] = i, x->error[3] = 0;
      goto fail;
    }
    cells[cell].theta += th;
    cells[cell].n += 1;
  }
  for (int j = 0; j < cellCount; j++) dense[cell_key(cells[j].bins, K, n)] = -1;
  return cellCount;
fail:
  for (int j = 0; j < cellCount; j++) {
    dense[cell_key(cells[j].bins, K, n)] = -1;
    cells[j].theta = 0, cells[j].n = 0;
  }
  return -1;
}

/*
 * samples.ts indexMarginal for one subset (sources sA and, if ≥ 0, sB): numbers the distinct
 * keys of `items` items in order of first appearance (the same ids as samples.ts, whatever
 * the key, as long as it is one-to-one) into idOf[item], and records the first item of each
 * id in first[id]. Item i is cell at[i], or cell i when at is null. Branch-free: every item
 * writes its key and item at slot `count`, kept if the key is new. Returns the count.
 */
__attribute__((always_inline)) static inline int number_keys(const Ctx *x, int32_t *table, int32_t *keys,
                                                             int32_t *idOf, int32_t *first, const int32_t *at,
                                                             int items, const int sA, const int sB) {
  const int K = x->K;
  const Cell *cells = x->cells;
  int count = 0;
  for (int i = 0; i < items; i++) {
    const int cell = at ? at[i] : i;
    const uint32_t bins = cells[cell].bins;
    const int a = (bins >> (8 * sA)) & 255;
    const int key = sB >= 0 ? a + K * (int)((bins >> (8 * sB)) & 255) : a;
    const int old = table[key];
    const int fresh = old < 0;
    const int id = fresh ? count : old;
    table[key] = id;
    keys[count] = key;
    first[count] = cell;
    count += fresh;
    idOf[i] = id;
  }
  for (int m = 0; m < count; m++) table[keys[m]] = -1;
  return count;
}

/*
 * p(x_M, t) of one subset slot from its ids: q summed in cell order into zeroed sums (0 + q,
 * as samples.ts). A separate pass, so the addresses are known early (not behind a table
 * lookup). Also zeroes the slot's U (step 5 adds to it), and gives the padding lane of an odd
 * count id `count`, where p = 0 (see singles).
 */
static inline void sum_marginal(Ctx *x, int slot, int cellCount, int count) {
  const int R = x->R;
  const double *q1 = x->q1, *q0 = x->q0;
  int32_t *ids = x->marginalId + slot * R;
  double *p1 = x->p1 + slot * R, *p0 = x->p0 + slot * R;
  double *u1 = x->u1 + slot * R, *u0 = x->u0 + slot * R;
  for (int m = 0; m < count; m++) p1[m] = 0, p0[m] = 0, u1[m] = 0, u0[m] = 0;
  for (int j = 0; j < cellCount; j++) {
    const int id = ids[j];
    p1[id] += q1[j];
    p0[id] += q0[j];
  }
  ids[cellCount] = count;
  x->marginalCount[slot] = count;
}

/* Marginal cells of subset slot `slot` straight from the cells. */
__attribute__((always_inline)) static inline void index_marginal(Ctx *x, int slot, int cellCount,
                                                                 const int sA, const int sB) {
  const int R = x->R;
  const int count = number_keys(x, x->marginalIdOfKey[slot], x->marginalKeys + slot * R,
                                x->marginalId + slot * R, x->firstCell + slot * R, 0, cellCount, sA, sB);
  sum_marginal(x, slot, cellCount, count);
}

/*
 * Marginal cells of single-source slot `slot` (source s) through those of pair slot `from`
 * (which holds s): numbering the pair's marginal cells, in their order, gives the same order
 * of first appearance as numbering the cells (a value's first cell is the first cell of its
 * first pair), on fewer items.
 */
__attribute__((always_inline)) static inline void index_single_via(Ctx *x, int slot, int from, int s,
                                                                   int cellCount) {
  const int R = x->R;
  int32_t *idOfPair = x->idOfPair, *ids = x->marginalId + slot * R;
  const int32_t *pairIds = x->marginalId + from * R;
  const int count = number_keys(x, x->marginalIdOfKey[slot], x->marginalKeys + slot * R, idOfPair,
                                x->firstCell + slot * R, x->firstCell + from * R, x->marginalCount[from],
                                s, -1);
  for (int j = 0; j < cellCount; j++) ids[j] = idOfPair[pairIds[j]];
  sum_marginal(x, slot, cellCount, count);
}

/* samples.ts step 2 for every subset; the full set's marginal cells are the cells themselves. */
__attribute__((always_inline)) static inline void marginals(Ctx *x, int cellCount, const int n) {
  const int R = x->R, full = (1 << n) - 2;
  if (n == 3) {
    /* Slots {1}, {2}, {12}, {3}, {13}, {23}: the pairs first, the single sources through them. */
    index_marginal(x, 2, cellCount, 0, 1);
    index_marginal(x, 4, cellCount, 0, 2);
    index_marginal(x, 5, cellCount, 1, 2);
    index_single_via(x, 0, 2, 0, cellCount);
    index_single_via(x, 1, 2, 1, cellCount);
    index_single_via(x, 3, 4, 2, cellCount);
  } else {
    index_marginal(x, 0, cellCount, 0, -1);
    index_marginal(x, 1, cellCount, 1, -1);
  }
  const double *q1 = x->q1, *q0 = x->q0;
  int32_t *ids = x->marginalId + full * R;
  double *p1 = x->p1 + full * R, *p0 = x->p0 + full * R;
  x->marginalCount[full] = cellCount;
  for (int j = 0; j < cellCount; j++) ids[j] = j, p1[j] = q1[j], p0[j] = q0[j];
}

/*
 * The phases of neuron() are separate functions (not inlined): V8 allocates registers per
 * function, and one function holding every phase spilled loop values in all of them.
 * Those that depend on n come in a copy per n, so n is a constant inside.
 */
static NOINLINE int group_samples3(Ctx *x, int k, int count) { return group_samples(x, k, count, 3); }
static NOINLINE int group_samples2(Ctx *x, int k, int count) { return group_samples(x, k, count, 2); }
static NOINLINE void marginals3(Ctx *x, int cellCount) { marginals(x, cellCount, 3); }
static NOINLINE void marginals2(Ctx *x, int cellCount) { marginals(x, cellCount, 2); }

/* ---- samples.ts step 3 ---- */

/*
 * The single-collection antichains, two marginal cells per f64x2 (lane 1
 * of an odd tail is an empty marginal cell). Three passes, as in trivariate_cells: (1) the
 * ratios p(x_M,t)/p(x_M) of every slot into x->tri (r1 then r0 per pair of marginal cells,
 * from slot·R vectors on), (2) their logarithms, (3) information and the direct terms.
 */
static NOINLINE void singles(Ctx *x, double *red, const int S, double logT1, double logT0) {
  const int R = x->R;
  const double *c = x->c;
  double *p1 = x->p1, *p0 = x->p0, *direct = x->direct;
  v128_t *ratios = x->tri;
  const v128_t zero = wasm_f64x2_splat(0), one = wasm_f64x2_splat(1);
  v128_t lo = LOG2_LO, hi = LOG2_HI;
  for (int slot = 0; slot < S; slot++) {
    const int base = slot * R, mc = x->marginalCount[slot];
    p1[base + mc] = 0;
    p0[base + mc] = 0;
    v128_t *out = ratios + base;
    for (int m = 0; m < mc; m += 2) {
      const v128_t a1 = wasm_v128_load(p1 + base + m), a0 = wasm_v128_load(p0 + base + m);
      const v128_t inv = DIV(one, ADD(a1, a0));
      const v128_t m1 = wasm_f64x2_gt(a1, zero), m0 = wasm_f64x2_gt(a0, zero);
      const v128_t r1 = SEL(MUL(a1, inv), one, m1), r0 = SEL(MUL(a0, inv), one, m0);
      out[m] = r1, out[m + 1] = r0;
      lo = wasm_i32x4_min(lo, wasm_i32x4_min(r1, r0));
      hi = wasm_i32x4_max(hi, wasm_i32x4_max(r1, r0));
    }
  }
  /* Pass 2 slot by slot: each slot's vectors (two per pair of marginal cells) start at slot·R. */
  for (int slot = 0; slot < S; slot++)
    log2_buffer(x, ratios + slot * R, (x->marginalCount[slot] + 1) & ~1, lo, hi);
  const v128_t lt1 = wasm_f64x2_splat(logT1), lt0 = wasm_f64x2_splat(logT0);
  const v128_t invLn2 = wasm_f64x2_splat(x->constants[0]);
  for (int slot = 0; slot < S; slot++) {
    const int base = slot * R, mc = x->marginalCount[slot];
    const v128_t *in = ratios + base;
    const int antichain = x->singleOf[slot];
    const v128_t weight = wasm_f64x2_splat(c[antichain]);
    double info = 0;
    for (int m = 0; m < mc; m += 2) {
      const v128_t a1 = wasm_v128_load(p1 + base + m), a0 = wasm_v128_load(p0 + base + m);
      const v128_t m1 = wasm_f64x2_gt(a1, zero), m0 = wasm_f64x2_gt(a0, zero);
      const v128_t l1 = AND(SUB(in[m], lt1), m1), l0 = AND(SUB(in[m + 1], lt0), m0);
      const v128_t indicator = SUB(AND(m1, one), AND(m0, one));
      const v128_t t = ADD(MUL(a1, l1), MUL(a0, l0));
      /* Lane 1 of an odd tail adds +0, which leaves info (never −0) unchanged. */
      info += wasm_f64x2_extract_lane(t, 0);
      info += wasm_f64x2_extract_lane(t, 1);
      wasm_v128_store(direct + base + m, MUL(weight, ADD(SUB(l1, l0), MUL(indicator, invLn2))));
    }
    red[antichain] = info;
  }
}

/* ---- samples.ts step 4 for three sources: trivariate.ts, two cells per f64x2 ---- */

/* p(x_M, t) at cells j, j+1 of subset slot `slot`, looked up through their marginal ids. */
static inline v128_t marginal2(const double *p, const int32_t *ids, int R, int slot, int j) {
  const int32_t *id = ids + slot * R + j;
  const double *row = p + slot * R;
  return wasm_f64x2_make(row[id[0]], row[id[1]]);
}

/* fillUnions: P_α for the 11 multi-collection antichains from the 7 marginals (x123 = q). */
static inline void unions(const double *p, const double *q, const int32_t *ids, int R, int j, v128_t *P) {
  const v128_t x1 = marginal2(p, ids, R, 0, j), x2 = marginal2(p, ids, R, 1, j);
  const v128_t x12 = marginal2(p, ids, R, 2, j), x3 = marginal2(p, ids, R, 3, j);
  const v128_t x13 = marginal2(p, ids, R, 4, j), x23 = marginal2(p, ids, R, 5, j);
  const v128_t x123 = wasm_v128_load(q + j);
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

/* scatterAdjoint: v_M = Σ_α coef_α(M)·W_α for the 7 subsets (slot order). */
static inline void scatter(const v128_t *W, v128_t *v) {
  v[0] = ADD(ADD(ADD(W[0], W[1]), W[2]), W[4]);
  v[1] = ADD(ADD(ADD(W[0], W[1]), W[3]), W[5]);
  v[2] = ADD(ADD(ADD(ADD(SUB(wasm_f64x2_neg(W[0]), W[1]), W[6]), W[7]), W[8]), W[9]);
  v[3] = ADD(ADD(ADD(W[0], W[2]), W[3]), W[6]);
  v[4] = ADD(ADD(ADD(ADD(SUB(wasm_f64x2_neg(W[0]), W[2]), W[5]), W[7]), W[8]), W[10]);
  v[5] = ADD(ADD(ADD(ADD(SUB(wasm_f64x2_neg(W[0]), W[3]), W[4]), W[7]), W[9]), W[10]);
  v[6] = SUB(SUB(SUB(SUB(SUB(SUB(SUB(W[0], W[4]), W[5]), W[6]), MUL(wasm_f64x2_splat(2), W[7])), W[8]), W[9]),
             W[10]);
}

/*
 * samples.ts step 5 for cells j, j+1, straight from the merged adjoints v: U_M(x_M, t) += v_M
 * (cell j, then j+1: the order of samples.ts) for the 6 proper subsets, and for the full set,
 * whose marginal cell is the cell, direct += ((0 + v1) − (0 + v0))/ln 2 at once. An odd
 * tail's padding lane goes to the padding marginal cell (never read).
 */
static inline void add_adjoints(const v128_t *v1, const v128_t *v0, double *u1, double *u0, const int32_t *ids,
                                double *direct, int R, int j, v128_t invLn2) {
  for (int s = 0; s < 6; s++) {
    const int32_t *id = ids + s * R + j;
    double *a1 = u1 + s * R, *a0 = u0 + s * R;
    const int i0 = id[0], i1 = id[1];
    a1[i0] += wasm_f64x2_extract_lane(v1[s], 0);
    a0[i0] += wasm_f64x2_extract_lane(v0[s], 0);
    a1[i1] += wasm_f64x2_extract_lane(v1[s], 1);
    a0[i1] += wasm_f64x2_extract_lane(v0[s], 1);
  }
  const v128_t zero = wasm_f64x2_splat(0);
  double *d = direct + 6 * R + j;
  wasm_v128_store(d, ADD(wasm_v128_load(d), MUL(SUB(ADD(zero, v1[6]), ADD(zero, v0[6])), invLn2)));
}

/*
 * Pass 3 of trivariate_cells for cells j, j+1, from the logs of their ratios r and their
 * reciprocals i: information, the ℓ part of the gradient and the merged adjoints. masked = 0
 * when q > 0 in all four (cell, t), so that the masks are all ones. Lane 1 of an odd tail
 * (q = 0, ℓ masked to +0) adds +0 to the sums, which leaves them unchanged: they start at +0
 * and so are never −0.
 */
__attribute__((always_inline)) static inline void cell_pair(
    const v128_t *r, const v128_t *i, v128_t c1, v128_t c0, v128_t m1, v128_t m0, v128_t lt1, v128_t lt0,
    const double *weights, double *sums, double *cellGradient, double *u1, double *u0, const int32_t *ids,
    double *direct, v128_t invLn2, int R, int j, const int masked) {
  v128_t gl = wasm_f64x2_splat(0);
  v128_t W1[11], W0[11];
  for (int a = 0; a < 11; a++) {
    v128_t l1 = SUB(r[2 * a], lt1), l0 = SUB(r[2 * a + 1], lt0);
    if (masked) l1 = AND(l1, m1), l0 = AND(l0, m0);
    const v128_t t = ADD(MUL(c1, l1), MUL(c0, l0));
    sums[a] += wasm_f64x2_extract_lane(t, 0);
    sums[a] += wasm_f64x2_extract_lane(t, 1);
    const v128_t weight = wasm_f64x2_splat(weights[a]);
    gl = ADD(gl, MUL(weight, SUB(l1, l0)));
    W1[a] = MUL(MUL(weight, c1), i[2 * a]);
    W0[a] = MUL(MUL(weight, c0), i[2 * a + 1]);
    if (masked) W1[a] = AND(W1[a], m1), W0[a] = AND(W0[a], m0);
  }
  wasm_v128_store(cellGradient, gl);
  v128_t V1[7], V0[7];
  scatter(W1, V1);
  scatter(W0, V0);
  add_adjoints(V1, V0, u1, u0, ids, direct, R, j, invLn2);
}

/*
 * Three passes, as trivariate.ts: (1) the unions, ratios and reciprocals of every pair of
 * cells into x->tri, (2) all logarithms in one tight loop, (3) information, gradient and
 * adjoints. x->tri holds, per pair of cells p, the ratios r1[a], r0[a] (a = 0…10) at
 * 22p + 2a, 22p + 2a + 1, and after all pairs' ratios (at 22·R/2) the reciprocals i1[a],
 * i0[a] in the same layout; the ratios are contiguous so that pass 2 is one flat loop.
 */
static NOINLINE void trivariate_cells(Ctx *x, int cellCount, double logT1, double logT0) {
  const int R = x->R, pairs = (cellCount + 1) / 2;
  const double *q1 = x->q1, *q0 = x->q0;
  v128_t *ratios = x->tri, *recips = x->tri + 22 * (R / 2);
  const v128_t zero = wasm_f64x2_splat(0), one = wasm_f64x2_splat(1);
  v128_t lo = LOG2_LO, hi = LOG2_HI;
  for (int j = 0; j < cellCount; j += 2) {
    v128_t *r = ratios + 11 * j, *i = recips + 11 * j;
    v128_t P1[11], P0[11];
    unions(x->p1, q1, x->marginalId, R, j, P1);
    unions(x->p0, q0, x->marginalId, R, j, P0);
    const v128_t c1 = wasm_v128_load(q1 + j), c0 = wasm_v128_load(q0 + j);
    const v128_t m1 = wasm_f64x2_gt(c1, zero), m0 = wasm_f64x2_gt(c0, zero);
    const v128_t both = AND(m1, m0);
    if (wasm_i64x2_all_true(both)) {
      for (int a = 0; a < 11; a++) {
        const v128_t x1 = P1[a], x0 = P0[a];
        const v128_t sum = ADD(x1, x0);
        /* One division for the three quotients (see trivariate.ts). */
        const v128_t Rc = DIV(one, MUL(MUL(x1, x0), sum));
        const v128_t r1 = MUL(MUL(MUL(x1, x1), x0), Rc), r0 = MUL(MUL(MUL(x0, x1), x0), Rc);
        r[2 * a] = r1, r[2 * a + 1] = r0;
        lo = wasm_i32x4_min(lo, wasm_i32x4_min(r1, r0));
        hi = wasm_i32x4_max(hi, wasm_i32x4_max(r1, r0));
        i[2 * a] = MUL(MUL(x0, sum), Rc);
        i[2 * a + 1] = MUL(MUL(x1, sum), Rc);
      }
    } else {
      for (int a = 0; a < 11; a++) {
        const v128_t x1 = P1[a], x0 = P0[a];
        const v128_t sum = ADD(x1, x0);
        const v128_t Rc = DIV(one, MUL(MUL(x1, x0), sum));
        const v128_t r1 = SEL(MUL(MUL(MUL(x1, x1), x0), Rc), SEL(DIV(x1, sum), one, m1), both);
        const v128_t r0 = SEL(MUL(MUL(MUL(x0, x1), x0), Rc), SEL(DIV(x0, sum), one, m0), both);
        r[2 * a] = r1, r[2 * a + 1] = r0;
        lo = wasm_i32x4_min(lo, wasm_i32x4_min(r1, r0));
        hi = wasm_i32x4_max(hi, wasm_i32x4_max(r1, r0));
        i[2 * a] = SEL(MUL(MUL(x0, sum), Rc), AND(DIV(one, x1), m1), both);
        i[2 * a + 1] = SEL(MUL(MUL(x1, sum), Rc), AND(DIV(one, x0), m0), both);
      }
    }
  }
  log2_buffer(x, ratios, 22 * pairs, lo, hi);
  /* Sums in locals (info[] would be reloaded after every store through a double*). */
  double sums[11], weights[11];
  for (int a = 0; a < 11; a++) sums[a] = 0, weights[a] = x->multiWeights[a];
  double *u1 = x->u1, *u0 = x->u0, *direct = x->direct, *cellGradient = x->cellGradient;
  const int32_t *ids = x->marginalId;
  const v128_t lt1 = wasm_f64x2_splat(logT1), lt0 = wasm_f64x2_splat(logT0);
  const v128_t invLn2 = wasm_f64x2_splat(x->constants[0]);
  for (int j = 0; j < cellCount; j += 2) {
    const v128_t *r = ratios + 11 * j, *i = recips + 11 * j;
    const v128_t c1 = wasm_v128_load(q1 + j), c0 = wasm_v128_load(q0 + j);
    const v128_t m1 = wasm_f64x2_gt(c1, zero), m0 = wasm_f64x2_gt(c0, zero);
    const int masked = !wasm_i64x2_all_true(AND(m1, m0));
    /* Two copies of pass 3, with and without the masks. */
    if (masked)
      cell_pair(r, i, c1, c0, m1, m0, lt1, lt0, weights, sums, cellGradient + j, u1, u0, ids, direct,
                invLn2, R, j, 1);
    else
      cell_pair(r, i, c1, c0, m1, m0, lt1, lt0, weights, sums, cellGradient + j, u1, u0, ids, direct,
                invLn2, R, j, 0);
  }
  for (int a = 0; a < 11; a++) x->info[a] = sums[a];
}

/* ---- samples.ts step 4 for any n: multiGeneric, on gathered rows ---- */

/* g_M(x) = p(x_M, t) looked up at every cell, one row per subset, plus an empty padding cell. */
static NOINLINE void gather(Ctx *x, int cellCount, const int S) {
  const int B = x->R;
  const int32_t *marginalId = x->marginalId;
  const double *p1 = x->p1, *p0 = x->p0;
  double *g1 = x->g1, *g0 = x->g0;
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
}

static NOINLINE void multi_generic(Ctx *x, int cellCount, double logT1, double logT0) {
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

/* ---- samples.ts step 5, neuron() and the per-neuron part of run() ---- */

/* Marginalise the merged adjoints, add them to the direct terms, and sum g per cell and per sample. */
static NOINLINE void gradient(Ctx *x, int k, int count, int cellCount, const int S, double logT1,
                              double logT0) {
  const int B = x->R, full = S - 1;
  const double INV_LN2 = x->constants[0], gammaRes = x->constants[1];
  const int32_t *marginalId = x->marginalId;
  double *u1 = x->u1, *u0 = x->u0, *direct = x->direct;
  const double *v1 = x->v1, *v0 = x->v0;
  if (S == 3) {
    /* n = 2: U from the merged adjoints v (n = 3 did this in trivariate_cells). */
    for (int slot = 0; slot < full; slot++) {
      const int base = slot * B;
      for (int j = 0; j < cellCount; j++) {
        const int id = base + marginalId[base + j];
        u1[id] += v1[base + j];
        u0[id] += v0[base + j];
      }
    }
    /* The full set: marginal cell = cell, so U = 0 + v (0 + v, not v: −0 becomes +0 as in samples.ts). */
    const int base = full * B;
    for (int j = base; j < base + cellCount; j++) direct[j] += ((0.0 + v1[j]) - (0.0 + v0[j])) * INV_LN2;
  }
  for (int slot = 0; slot < full; slot++) {
    const int base = slot * B, mc = x->marginalCount[slot];
    for (int m = base; m < base + mc; m++) direct[m] += (u1[m] - u0[m]) * INV_LN2;
  }
  const double entropyTerm = -gammaRes * (logT1 - logT0);
  double *cellGradient = x->cellGradient;
  for (int j = 0; j < cellCount; j++) {
    double g = cellGradient[j] + entropyTerm;
    for (int slot = 0; slot < full; slot++) g += direct[slot * B + marginalId[slot * B + j]];
    cellGradient[j] = g + direct[full * B + j];
  }
  /* Two samples per f64x2 division (the same quotients: division is correctly rounded). */
  double *grad = x->gradient + k * count;
  const int32_t *sampleCell = x->sampleCell;
  const v128_t n = wasm_f64x2_splat(count);
  int i = 0;
  for (; i + 2 <= count; i += 2) {
    const v128_t g = wasm_f64x2_make(cellGradient[sampleCell[i]], cellGradient[sampleCell[i + 1]]);
    wasm_v128_store(grad + i, wasm_f64x2_div(g, n));
  }
  if (i < count) grad[i] = cellGradient[sampleCell[i]] / count;
}

/* samples.ts neuron() and the per-neuron part of run(), for n = 2 or 3. */
static int neuron(Ctx *x, int k, int count, const int n) {
  const int S = (1 << n) - 1;
  double *red = x->red + k * x->size;
  double *q1 = x->q1, *q0 = x->q0;

  const int cellCount = n == 3 ? group_samples3(x, k, count) : group_samples2(x, k, count);
  if (cellCount < 0) return -1;
  const double invB = 1.0 / count;
  double sumTheta = 0;
  Cell *cells = x->cells;
  for (int j = 0; j < cellCount; j++) {
    const double t1 = cells[j].theta * invB;
    q1[j] = t1;
    q0[j] = cells[j].n * invB - t1;
    sumTheta += cells[j].theta;
    cells[j].theta = 0, cells[j].n = 0; /* for the next neuron (see group_samples) */
  }
  const double pT1 = sumTheta * invB;
  const double pT0 = 1 - pT1;
  const double logT1 = pT1 > 0 ? js_log2(pT1) : 0;
  const double logT0 = pT0 > 0 ? js_log2(pT0) : 0;
  x->entropy[k] = -(pT1 > 0 ? pT1 * logT1 : 0) - (pT0 > 0 ? pT0 * logT0 : 0);

  if (n == 3) marginals3(x, cellCount);
  else marginals2(x, cellCount);
  if (n == 2) gather(x, cellCount, S);
  x->q1[cellCount] = 0;
  x->q0[cellCount] = 0;
  singles(x, red, S, logT1, logT0);
  if (n == 3) trivariate_cells(x, cellCount, logT1, logT0);
  else multi_generic(x, cellCount, logT1, logT0);
  for (int a = 0; a < x->multiCount; a++) red[x->multiAntichain[a]] = x->info[a];
  gradient(x, k, count, cellCount, S, logT1, logT0);
  return 0;
}

/*
 * Neurons 0…neurons−1 of the chunk in x->bins / x->theta (stride `count` samples). Returns 0,
 * or −1 with x->error set.
 */
int pid_run(Ctx *x, int neurons, int count) {
  const int n = x->n;
  for (int k = 0; k < neurons; k++)
    if (neuron(x, k, count, n) < 0) return -1;
  return 0;
}
