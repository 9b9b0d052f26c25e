/*
 * Steps 3 and 4 of the estimator: I^sx of the single-collection antichains on marginal cells,
 * of the multi-collection ones on joint cells (unrolled for three sources, generic for two),
 * and their merged adjoints. Part of pid.c, which includes it once (one translation unit);
 * not a header to include elsewhere.
 */

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
