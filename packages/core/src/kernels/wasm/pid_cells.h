/*
 * Steps 1 and 2 of the estimator: every sample grouped into its occupied joint cell, and the
 * cells of every source subset's marginal numbered. Part of pid.c, which includes it once
 * (one translation unit); not a header to include elsewhere.
 */

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
