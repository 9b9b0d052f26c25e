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
 * Files: this one (the context, setup and the per-neuron driver, step 5) includes its parts
 * pid_log2.h, pid_cells.h and pid_antichains.h, so the kernel stays one translation unit.
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

/* The estimator's phases, each its own part of this one translation unit. */
#define NOINLINE __attribute__((noinline))
#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul
#define DIV wasm_f64x2_div
#define AND wasm_v128_and
#define SEL wasm_v128_bitselect

#include "pid_log2.h"       /* log2.ts, exactly */
#include "pid_cells.h"      /* steps 1 and 2: grouping, marginals */
#include "pid_antichains.h" /* steps 3 and 4: single- and multi-collection antichains */

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
