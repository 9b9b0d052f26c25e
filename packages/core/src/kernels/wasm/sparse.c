/*
 * Sparse-weight float32 products for infomorph (sparse lateral connectivity), wasm32 + SIMD128.
 *
 * W [n×k] is nonzero only on a pattern in CSR form: row r's entries are the columns
 * col_index[row_start[r] .. row_start[r+1]), ascending. The products read and write only
 * the pattern's entries, so their cost is 2·m·nnz instead of 2·m·n·k.
 *
 *   sparse_transpose: dst[c·ld + r] = src[r·cols + c]              (sample-major → neuron-major)
 *   sparse_gather:    values[e] = w[r·k + col_index[e]]             (the pattern's weights, packed)
 *   sparse_abt:       out[i·n + r] = bias[r] + Σ_e values[e]·aT[col_index[e]·ld + i]
 *   sparse_atb:       out[r·k + j] = Σ_i dT[r·ld + i]·bT[j·ld + i] on the pattern, 0 elsewhere
 *
 * Both products run over neuron-major ("transposed") operands, [column][sample] with a row
 * stride ld ≥ m, a multiple of 8, the padding zero-filled by sparse_transpose, so every pattern
 * entry costs one SIMD axpy (forward) or dot product (gradient) over contiguous samples,
 * streamed four entries at a time. The transposes are O(m·(n + k)) against O(m·nnz) work.
 * Choose ld as an odd number of 64-byte lines (the TS wrapper does), so that rows of the
 * transposed operands start in different L1 sets (ld = 1024 made an earlier forward 30 %
 * slower).
 *
 * Measured on one Zen 3 core (Node 20), m = 1024, 2000 × 2000 with 100 entries per row:
 * sparse_abt ≈ 29 ms, sparse_atb ≈ 25 ms, each transpose ≈ 1.2 ms; the dense products of
 * matmul.c take ≈ 230 ms each. Tried and slower: a forward that keeps 32 samples × 1 row in
 * 8 registers and loops over the row's entries (V8 hoists the loads of its unrolled copies
 * and spills accumulators: 45–52 ms), 8-entry groups (33 ms).
 *
 * Threads: every entry point takes a range [first, last) of rows of its output (neurons for
 * the products and the gather, columns of src for the transpose) and writes only those rows;
 * each output value depends only on its own row's work, in a fixed order, so any split into
 * ranges gives bit-identical results. There is no static or global mutable data and no
 * allocation: every buffer is passed in, except the forward's 16 KiB of partial sums on the
 * C stack (each thread has its own 64 KiB stack). The forward needs aT complete (all k rows)
 * and the gradient bT complete before any range starts; dT only needs the range's own rows.
 *
 * Numbers: float32 throughout. The forward adds the pattern's terms to bias in pattern order
 * (per sample); the gradient sums each dot product in 8 lanes, then adds the lanes in a fixed
 * order. Both differ from a float64 reference by a few float32 ulps of Σ|a·b| (conformance
 * 1e-5 relative to that). Rebuild with scripts/build-kernels.sh.
 */
#include <wasm_simd128.h>

/* Samples per forward block: four rows' partial sums (4·BLK floats, 16 KiB) live on the C stack,
   in L1. Measured as above: 1024 → 28 ms, 512 → 33 ms, 256 → 37 ms. */
#define BLK 1024

/* Transposes columns [first, last) of src [rows×cols] into rows of dst with stride ld ≥ rows:
   dst[c·ld + r] = src[r·cols + c], and dst[c·ld + r] = 0 for rows ≤ r < ld. */
__attribute__((export_name("sparse_transpose"))) void sparse_transpose(const float *src,
                                                                      float *dst, int rows,
                                                                      int cols, int ld, int first,
                                                                      int last) {
  int c = first;
  /* 4×4 blocks: four loads of four columns, a shuffle transpose, four stores. */
  for (; c + 4 <= last; c += 4) {
    float *d0 = dst + c * ld, *d1 = d0 + ld, *d2 = d1 + ld, *d3 = d2 + ld;
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      const float *s = src + r * cols + c;
      v128_t x0 = wasm_v128_load(s), x1 = wasm_v128_load(s + cols);
      v128_t x2 = wasm_v128_load(s + 2 * cols), x3 = wasm_v128_load(s + 3 * cols);
      v128_t t0 = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5);
      v128_t t1 = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5);
      v128_t t2 = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7);
      v128_t t3 = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);
      wasm_v128_store(d0 + r, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
      wasm_v128_store(d1 + r, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
      wasm_v128_store(d2 + r, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
      wasm_v128_store(d3 + r, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
    }
    for (; r < rows; r++) {
      const float *s = src + r * cols + c;
      d0[r] = s[0];
      d1[r] = s[1];
      d2[r] = s[2];
      d3[r] = s[3];
    }
    for (; r < ld; r++) d0[r] = d1[r] = d2[r] = d3[r] = 0.0f;
  }
  for (; c < last; c++) {
    float *d = dst + c * ld;
    int r = 0;
    for (; r < rows; r++) d[r] = src[r * cols + c];
    for (; r < ld; r++) d[r] = 0.0f;
  }
}

/* Packs the pattern's weights of rows [first, last): values[e] = w[r·k + col_index[e]]. */
__attribute__((export_name("sparse_gather"))) void sparse_gather(const float *w, int k,
                                                                const int *row_start,
                                                                const int *col_index,
                                                                float *values, int first,
                                                                int last) {
  for (int r = first; r < last; r++) {
    const float *row = w + r * k;
    for (int e = row_start[r]; e < row_start[r + 1]; e++) values[e] = row[col_index[e]];
  }
}

/* sum[i] = bias + Σ_e val[e]·at[idx[e]·ld + s0 + i] for i < len8 (a multiple of 8), the terms
   added in entry order. Four entries per pass over sum: 8 loads of aT, 2 of sum, 2 stores and
   16 arithmetic operations per 8 samples, all from four sequential streams. */
static void row_block(const float *at, int ld, int s0, int len8, const int *idx,
                      const float *val, int count, float bias, float *sum) {
  v128_t b = wasm_f32x4_splat(bias);
  for (int i = 0; i < len8; i += 4) wasm_v128_store(sum + i, b);
  int e = 0;
  for (; e + 4 <= count; e += 4) {
    v128_t w0 = wasm_f32x4_splat(val[e]), w1 = wasm_f32x4_splat(val[e + 1]);
    v128_t w2 = wasm_f32x4_splat(val[e + 2]), w3 = wasm_f32x4_splat(val[e + 3]);
    const float *x0 = at + idx[e] * ld + s0, *x1 = at + idx[e + 1] * ld + s0;
    const float *x2 = at + idx[e + 2] * ld + s0, *x3 = at + idx[e + 3] * ld + s0;
    for (int i = 0; i < len8; i += 8) {
      v128_t o0 = wasm_v128_load(sum + i), o1 = wasm_v128_load(sum + i + 4);
      o0 = wasm_f32x4_add(o0, wasm_f32x4_mul(w0, wasm_v128_load(x0 + i)));
      o1 = wasm_f32x4_add(o1, wasm_f32x4_mul(w0, wasm_v128_load(x0 + i + 4)));
      o0 = wasm_f32x4_add(o0, wasm_f32x4_mul(w1, wasm_v128_load(x1 + i)));
      o1 = wasm_f32x4_add(o1, wasm_f32x4_mul(w1, wasm_v128_load(x1 + i + 4)));
      o0 = wasm_f32x4_add(o0, wasm_f32x4_mul(w2, wasm_v128_load(x2 + i)));
      o1 = wasm_f32x4_add(o1, wasm_f32x4_mul(w2, wasm_v128_load(x2 + i + 4)));
      o0 = wasm_f32x4_add(o0, wasm_f32x4_mul(w3, wasm_v128_load(x3 + i)));
      o1 = wasm_f32x4_add(o1, wasm_f32x4_mul(w3, wasm_v128_load(x3 + i + 4)));
      wasm_v128_store(sum + i, o0);
      wasm_v128_store(sum + i + 4, o1);
    }
  }
  for (; e < count; e++) {
    v128_t w = wasm_f32x4_splat(val[e]);
    const float *x = at + idx[e] * ld + s0;
    for (int i = 0; i < len8; i += 4) {
      v128_t o = wasm_v128_load(sum + i);
      wasm_v128_store(sum + i, wasm_f32x4_add(o, wasm_f32x4_mul(w, wasm_v128_load(x + i))));
    }
  }
}

/* Forward for rows [first, last): out[i·n + r] = bias[r] + Σ_e values[e]·aT[col_index[e]·ld + i]
   for i < m (bias 0 = none). aT [k×ld] from sparse_transpose of a [m×k], values from
   sparse_gather. Each output is bias plus the terms in pattern order, in float32. Rows go four
   at a time through a block of samples, so the results reach out as 4×4 transposed tiles
   (one 16-byte store per sample) instead of one strided float each. */
__attribute__((export_name("sparse_abt"))) void sparse_abt(const float *at, int ld, int m,
                                                          const int *row_start,
                                                          const int *col_index,
                                                          const float *values, const float *bias,
                                                          float *out, int n, int first, int last) {
  float sums[4 * BLK] __attribute__((aligned(16)));
  for (int r0 = first; r0 < last; r0 += 4) {
    int rows = last - r0 < 4 ? last - r0 : 4;
    for (int s0 = 0; s0 < m; s0 += BLK) {
      int len = m - s0 < BLK ? m - s0 : BLK;
      int len8 = (len + 7) & ~7;
      for (int q = 0; q < rows; q++) {
        int r = r0 + q;
        row_block(at, ld, s0, len8, col_index + row_start[r], values + row_start[r],
                  row_start[r + 1] - row_start[r], bias ? bias[r] : 0.0f, sums + q * BLK);
      }
      float *o = out + s0 * n + r0;
      int l = 0;
      if (rows == 4) {
        for (; l + 4 <= len; l += 4) {
          v128_t x0 = wasm_v128_load(sums + l), x1 = wasm_v128_load(sums + BLK + l);
          v128_t x2 = wasm_v128_load(sums + 2 * BLK + l), x3 = wasm_v128_load(sums + 3 * BLK + l);
          v128_t t0 = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5);
          v128_t t1 = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5);
          v128_t t2 = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7);
          v128_t t3 = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);
          wasm_v128_store(o + l * n, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
          wasm_v128_store(o + (l + 1) * n, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
          wasm_v128_store(o + (l + 2) * n, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
          wasm_v128_store(o + (l + 3) * n, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
        }
      }
      for (; l < len; l++) {
        for (int q = 0; q < rows; q++) o[l * n + q] = sums[q * BLK + l];
      }
    }
  }
}

/* The sum of the four lanes of x, in the fixed order (0 + 2) + (1 + 3). */
static inline float lane_sum(v128_t x) {
  v128_t h = wasm_f32x4_add(x, wasm_i32x4_shuffle(x, x, 2, 3, 0, 1));
  return wasm_f32x4_extract_lane(h, 0) + wasm_f32x4_extract_lane(h, 1);
}

/* Weight gradient for rows [first, last): out[r·k + j] = Σ_i dT[r·ld + i]·bT[j·ld + i] for the
   pattern's (r, j), 0 for every other j < k. dT [n×ld] and bT [k×ld] from sparse_transpose of
   d [m×n] and b [m×k] (zero padding, so the sums run over all ld samples). */
__attribute__((export_name("sparse_atb"))) void sparse_atb(const float *dt, const float *bt,
                                                          int ld, const int *row_start,
                                                          const int *col_index, float *out,
                                                          int k, int first, int last) {
  v128_t zero = wasm_f32x4_splat(0.0f);
  for (int r = first; r < last; r++) {
    float *o = out + r * k;
    int j = 0;
    for (; j + 4 <= k; j += 4) wasm_v128_store(o + j, zero);
    for (; j < k; j++) o[j] = 0.0f;
    const float *d = dt + r * ld;
    const int *idx = col_index + row_start[r];
    int count = row_start[r + 1] - row_start[r];
    int e = 0;
    /* Four entries at a time share the loads of d: 8 accumulators (4 entries × 8 samples). */
    for (; e + 4 <= count; e += 4) {
      const float *b0 = bt + idx[e] * ld, *b1 = bt + idx[e + 1] * ld;
      const float *b2 = bt + idx[e + 2] * ld, *b3 = bt + idx[e + 3] * ld;
      v128_t p0 = zero, q0 = zero, p1 = zero, q1 = zero;
      v128_t p2 = zero, q2 = zero, p3 = zero, q3 = zero;
      for (int i = 0; i < ld; i += 8) {
        v128_t x = wasm_v128_load(d + i), y = wasm_v128_load(d + i + 4);
        p0 = wasm_f32x4_add(p0, wasm_f32x4_mul(x, wasm_v128_load(b0 + i)));
        q0 = wasm_f32x4_add(q0, wasm_f32x4_mul(y, wasm_v128_load(b0 + i + 4)));
        p1 = wasm_f32x4_add(p1, wasm_f32x4_mul(x, wasm_v128_load(b1 + i)));
        q1 = wasm_f32x4_add(q1, wasm_f32x4_mul(y, wasm_v128_load(b1 + i + 4)));
        p2 = wasm_f32x4_add(p2, wasm_f32x4_mul(x, wasm_v128_load(b2 + i)));
        q2 = wasm_f32x4_add(q2, wasm_f32x4_mul(y, wasm_v128_load(b2 + i + 4)));
        p3 = wasm_f32x4_add(p3, wasm_f32x4_mul(x, wasm_v128_load(b3 + i)));
        q3 = wasm_f32x4_add(q3, wasm_f32x4_mul(y, wasm_v128_load(b3 + i + 4)));
      }
      o[idx[e]] = lane_sum(wasm_f32x4_add(p0, q0));
      o[idx[e + 1]] = lane_sum(wasm_f32x4_add(p1, q1));
      o[idx[e + 2]] = lane_sum(wasm_f32x4_add(p2, q2));
      o[idx[e + 3]] = lane_sum(wasm_f32x4_add(p3, q3));
    }
    for (; e < count; e++) {
      const float *b0 = bt + idx[e] * ld;
      v128_t p0 = zero, q0 = zero;
      for (int i = 0; i < ld; i += 8) {
        p0 = wasm_f32x4_add(p0, wasm_f32x4_mul(wasm_v128_load(d + i), wasm_v128_load(b0 + i)));
        q0 = wasm_f32x4_add(q0,
                            wasm_f32x4_mul(wasm_v128_load(d + i + 4), wasm_v128_load(b0 + i + 4)));
      }
      o[idx[e]] = lane_sum(wasm_f32x4_add(p0, q0));
    }
  }
}
