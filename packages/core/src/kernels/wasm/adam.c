/*
 * One Adam step over a flat float32 parameter tensor (optim/optimizer.ts adam(), the loop of
 * kernels/ts/adam.ts), built into the same module as matmul.c (wasm32 + SIMD128, freestanding):
 *
 *   adam_step   w, m, v ← Adam(w, grad, m, v), entries with mask[e] = 0 set to 0
 *
 * Numbers. Per element, in float64 from the float32 w, grad, m and v:
 *
 *   g  = grad + wd·w
 *   m' = β1·m + (1 − β1)·g,   v' = β2·v + ((1 − β2)·g)·g,   both stored as float32
 *   w' = w − (stepSize·m') / (√v' / sqrtBc2 + eps),  from the stored m', v'; stored as float32
 *
 * with stepSize = lr/(1 − β1^t) and sqrtBc2 = √(1 − β2^t) from the caller. Every operation is a
 * correctly rounded IEEE float64 operation (no fused multiply-add: wasm SIMD128 has none, and
 * contraction is off), evaluated in the TS order, so the results are the TS bits (NaNs aside,
 * whose payload may differ). Masked entries (mask ≠ 0: connected) get w = +0 and keep m, v.
 *
 * Speed: 16 elements per step as eight f64x2 chains; with a mask, 16 (or 4) masked entries in a
 * row cost a test and the zero stores of w, and leave m and v unread.
 *
 * Thread safety: no static or global mutable data, only the stack and the caller's arrays.
 */
#include <wasm_simd128.h>

#pragma STDC FP_CONTRACT OFF

typedef float f32x4 __attribute__((vector_size(16)));
typedef double f64x2 __attribute__((vector_size(16)));

#define INLINE static inline __attribute__((always_inline))
#define EXPORT(name) __attribute__((export_name(name)))

#define D2(c) ((f64x2){(c), (c)})
#define PROMOTE_LO(x) ((f64x2)wasm_f64x2_promote_low_f32x4((v128_t)(x)))
#define PROMOTE_HI(x) \
  ((f64x2)wasm_f64x2_promote_low_f32x4((v128_t)__builtin_shufflevector((x), (x), 2, 3, 2, 3)))
#define DEMOTE(lo, hi)                                                      \
  __builtin_shufflevector((f32x4)wasm_f32x4_demote_f64x2_zero((v128_t)(lo)), \
                          (f32x4)wasm_f32x4_demote_f64x2_zero((v128_t)(hi)), 0, 1, 4, 5)

/* The scalars of one step (see the top of the file). */
typedef struct {
  double beta1, one_minus_beta1, beta2, one_minus_beta2, wd, step_size, sqrt_bc2, eps;
} adam_scalars;

/* One element, as the TS loop. */
INLINE void adam1(float *w, const float *grad, float *m, float *v, const adam_scalars *c) {
  double we = *w;
  double g = (double)*grad + c->wd * we;
  *m = (float)(c->beta1 * (double)*m + c->one_minus_beta1 * g);
  *v = (float)(c->beta2 * (double)*v + c->one_minus_beta2 * g * g);
  double root = __builtin_sqrt((double)*v);
  *w = (float)(we - (c->step_size * (double)*m) / (root / c->sqrt_bc2 + c->eps));
}

/* The moments and the new weight of two lanes; m and v come back rounded to float32 in f64x2. */
INLINE f64x2 adam2(f64x2 w, f64x2 grad, f64x2 *m, f64x2 *v, const adam_scalars *c) {
  f64x2 g = grad + D2(c->wd) * w;
  f64x2 me = D2(c->beta1) * *m + D2(c->one_minus_beta1) * g;
  f64x2 ve = D2(c->beta2) * *v + D2(c->one_minus_beta2) * g * g;
  /* the float32 moments, as the TS reads them back from its Float32Arrays */
  *m = PROMOTE_LO(wasm_f32x4_demote_f64x2_zero((v128_t)me));
  *v = PROMOTE_LO(wasm_f32x4_demote_f64x2_zero((v128_t)ve));
  f64x2 root = (f64x2)wasm_f64x2_sqrt((v128_t)*v);
  return w - (D2(c->step_size) * *m) / (root / D2(c->sqrt_bc2) + D2(c->eps));
}

/* Four elements at e; lanes where `keep` is 0 get w = 0 and keep their moments. */
INLINE void adam4(float *w, const float *grad, float *m, float *v, long e, v128_t keep,
                  const adam_scalars *c, const int masked) {
  f32x4 w4 = (f32x4)wasm_v128_load(w + e), g4 = (f32x4)wasm_v128_load(grad + e);
  f32x4 m4 = (f32x4)wasm_v128_load(m + e), v4 = (f32x4)wasm_v128_load(v + e);
  f64x2 mlo = PROMOTE_LO(m4), mhi = PROMOTE_HI(m4), vlo = PROMOTE_LO(v4), vhi = PROMOTE_HI(v4);
  f64x2 wlo = adam2(PROMOTE_LO(w4), PROMOTE_LO(g4), &mlo, &vlo, c);
  f64x2 whi = adam2(PROMOTE_HI(w4), PROMOTE_HI(g4), &mhi, &vhi, c);
  v128_t wn = (v128_t)DEMOTE(wlo, whi), mn = (v128_t)DEMOTE(mlo, mhi);
  v128_t vn = (v128_t)DEMOTE(vlo, vhi);
  if (masked) {
    wn = wasm_v128_and(wn, keep);
    mn = wasm_v128_bitselect(mn, (v128_t)m4, keep);
    vn = wasm_v128_bitselect(vn, (v128_t)v4, keep);
  }
  wasm_v128_store(w + e, wn);
  wasm_v128_store(m + e, mn);
  wasm_v128_store(v + e, vn);
}

/*
 * w[e], m[e], v[e] ← one Adam step for first ≤ e < last (see the top of the file); mask may be
 * 0 (no mask) or point at the tensor's bytes. `scalars` holds six float64: β1, β2, eps, wd,
 * step_size = lr/(1 − β1^t) and sqrt_bc2 = √(1 − β2^t). Elementwise, so any split into ranges
 * gives the same bits.
 */
EXPORT("adam_step")
void adam_step(float *w, const float *grad, float *m, float *v, const unsigned char *mask,
               const double *scalars, int first, int last) {
  double beta1 = scalars[0], beta2 = scalars[1];
  adam_scalars c = {beta1,      1.0 - beta1, beta2,      1.0 - beta2,
                    scalars[3], scalars[4],  scalars[5], scalars[2]};
  int size = last - first;
  w += first;
  grad += first;
  m += first;
  v += first;
  if (mask != 0) mask += first;
  long whole = (long)size & ~15L;
  v128_t all = wasm_i32x4_splat(-1);
  if (mask == 0) {
    for (long e = 0; e < whole; e += 16)
      for (int q = 0; q < 16; q += 4) adam4(w, grad, m, v, e + q, all, &c, 0);
    for (long e = whole; e < size; e++) adam1(w + e, grad + e, m + e, v + e, &c);
    return;
  }
  for (long e = 0; e < whole; e += 16) {
    v128_t bytes = wasm_v128_load(mask + e);
    if (!wasm_v128_any_true(bytes)) {
      for (int q = 0; q < 16; q += 4) wasm_v128_store(w + e + q, wasm_i32x4_splat(0));
      continue;
    }
    /* 0xff where connected, widened to 32-bit lanes by sign extension */
    v128_t keep8 = wasm_i8x16_ne(bytes, wasm_i8x16_splat(0));
    v128_t keep16lo = wasm_i16x8_extend_low_i8x16(keep8);
    v128_t keep16hi = wasm_i16x8_extend_high_i8x16(keep8);
    v128_t keep[4] = {
        wasm_i32x4_extend_low_i16x8(keep16lo), wasm_i32x4_extend_high_i16x8(keep16lo),
        wasm_i32x4_extend_low_i16x8(keep16hi), wasm_i32x4_extend_high_i16x8(keep16hi)};
    /* groups of 4 without a connection (81 % of them at 5 % density) only store zeros */
    if (wasm_i32x4_extract_lane(bytes, 0)) adam4(w, grad, m, v, e, keep[0], &c, 1);
    else wasm_v128_store(w + e, wasm_i32x4_splat(0));
    if (wasm_i32x4_extract_lane(bytes, 1)) adam4(w, grad, m, v, e + 4, keep[1], &c, 1);
    else wasm_v128_store(w + e + 4, wasm_i32x4_splat(0));
    if (wasm_i32x4_extract_lane(bytes, 2)) adam4(w, grad, m, v, e + 8, keep[2], &c, 1);
    else wasm_v128_store(w + e + 8, wasm_i32x4_splat(0));
    if (wasm_i32x4_extract_lane(bytes, 3)) adam4(w, grad, m, v, e + 12, keep[3], &c, 1);
    else wasm_v128_store(w + e + 12, wasm_i32x4_splat(0));
  }
  for (long e = whole; e < size; e++) {
    if (mask[e] == 0)
      w[e] = 0.0f;
    else
      adam1(w + e, grad + e, m + e, v + e, &c);
  }
}
