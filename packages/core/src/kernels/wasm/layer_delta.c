/*
 * The learning-step loops of an infomorphic layer, built into the same module as matmul.c and
 * layer.c (wasm32 + SIMD128, freestanding):
 *
 *   layer_delta      δ = −∂G/∂θ·θ(1−θ)·∂A/∂s_j and the bias gradient Σ_i δ
 *   layer_transpose  θ [sample × neuron] f32 → [neuron × sample] f64
 *
 * Both give the bits of kernels/ts/layer.ts (see each function). Pointers are byte addresses in
 * linear memory. Thread safety: no static or global mutable data.
 */
#include "layer_simd.h"

/*
 * Tiles of layer_delta and layer_transpose, samples × neurons: a tile touches 64 rows of each
 * array (few pages, so few TLB misses even for thousands of neurons) and uses up every cache
 * line it loads; within a tile each neuron's samples run in order.
 */
#define TILE_I 32
#define TILE_K 64

/* δ of neurons k..k+3 for samples i0..i1−1 (see layer_delta), adding to their bias sums. */
INLINE void delta4(const double *gradient, const float *theta, const float *da, float *delta,
                   float *bias, int count, int n, int k, int i0, int i1) {
  const double *g = gradient + (long)k * count;
  f32x4 sum = LOAD(bias + k);
  for (int i = i0; i < i1; i++) {
    long e = (long)i * n + k;
    f64x2 g01 = {-g[i], -g[count + i]};
    f64x2 g23 = {-g[2 * (long)count + i], -g[3 * (long)count + i]};
    f32x4 t4 = LOAD(theta + e);
    f32x4 d4 = LOAD(da + e);
    f64x2 t01 = (f64x2)wasm_f64x2_promote_low_f32x4((v128_t)t4);
    f64x2 t23 = (f64x2)wasm_f64x2_promote_low_f32x4(
        (v128_t)__builtin_shufflevector(t4, t4, 2, 3, 2, 3));
    f64x2 d01 = (f64x2)wasm_f64x2_promote_low_f32x4((v128_t)d4);
    f64x2 d23 = (f64x2)wasm_f64x2_promote_low_f32x4(
        (v128_t)__builtin_shufflevector(d4, d4, 2, 3, 2, 3));
    f64x2 v01 = g01 * t01 * (D2(1.0) - t01) * d01;
    f64x2 v23 = g23 * t23 * (D2(1.0) - t23) * d23;
    f32x4 v = __builtin_shufflevector((f32x4)wasm_f32x4_demote_f64x2_zero((v128_t)v01),
                                      (f32x4)wasm_f32x4_demote_f64x2_zero((v128_t)v23), 0, 1,
                                      4, 5);
    STORE(delta + e, v);
    sum += v;
  }
  STORE(bias + k, sum);
}

/*
 * delta[i·n + k] = −gradient[k·count + i]·θ·(1 − θ)·dA[i·n + k], evaluated left to right in
 * float64 and rounded once to float32 (bit-identical to the TS loop), and
 * bias[k] = Σ_i delta[i·n + k] accumulated in float32 in order of i (also bit-identical), for
 * the neurons first ≤ k < last: each neuron's outputs depend on its own column only, so any
 * split into neuron ranges gives the same bits.
 * gradient is the estimator's [neuron × sample] float64 array with stride `count`.
 */
EXPORT("layer_delta")
void layer_delta(const double *gradient, const float *theta, const float *da, float *delta,
                 float *bias, int count, int n, int first, int last) {
  for (int k = first; k < last; k++) bias[k] = 0.0f;
  int last4 = first + ((last - first) & ~3);
  for (int i0 = 0; i0 < count; i0 += TILE_I) {
    int i1 = count - i0 > TILE_I ? i0 + TILE_I : count;
    for (int k0 = first; k0 < last4; k0 += TILE_K) {
      int k1 = last4 - k0 > TILE_K ? k0 + TILE_K : last4;
      for (int k = k0; k < k1; k += 4)
        delta4(gradient, theta, da, delta, bias, count, n, k, i0, i1);
    }
    for (int k = last4; k < last; k++) {
      float sum = bias[k];
      for (int i = i0; i < i1; i++) {
        long e = (long)i * n + k;
        double th = theta[e];
        float v = (float)(-gradient[(long)k * count + i] * th * (1.0 - th) * (double)da[e]);
        delta[e] = v;
        sum += v;
      }
      bias[k] = sum;
    }
  }
}

/* The 4×4 block of θ at samples i..i+3, neurons k..k+3, transposed and widened into out. */
INLINE void transpose4x4(const float *theta, double *out, int count, int n, int i, int k) {
  const float *row = theta + (long)i * n + k;
  v128_t r0 = wasm_v128_load(row);
  v128_t r1 = wasm_v128_load(row + n);
  v128_t r2 = wasm_v128_load(row + 2 * n);
  v128_t r3 = wasm_v128_load(row + 3 * n);
  v128_t lo01 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);
  v128_t lo23 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
  v128_t hi01 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
  v128_t hi23 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  v128_t col[4] = {
      wasm_i32x4_shuffle(lo01, lo23, 0, 1, 4, 5),
      wasm_i32x4_shuffle(lo01, lo23, 2, 3, 6, 7),
      wasm_i32x4_shuffle(hi01, hi23, 0, 1, 4, 5),
      wasm_i32x4_shuffle(hi01, hi23, 2, 3, 6, 7),
  };
  for (int q = 0; q < 4; q++) {
    double *dst = out + (long)(k + q) * count + i;
    wasm_v128_store(dst, wasm_f64x2_promote_low_f32x4(col[q]));
    wasm_v128_store(dst + 2,
                    wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(col[q], col[q], 2, 3, 2, 3)));
  }
}

/*
 * out[k·count + i] = theta[i·n + k] widened to float64 (exact) for the neurons first ≤ k < last:
 * θ [sample × neuron] float32 to the estimator's [neuron × sample] float64, in 4×4 blocks,
 * tile by tile.
 */
EXPORT("layer_transpose")
void layer_transpose(const float *theta, double *out, int count, int n, int first, int last) {
  int count4 = count & ~3;
  int last4 = first + ((last - first) & ~3);
  for (int i0 = 0; i0 < count4; i0 += TILE_I) {
    int i1 = count4 - i0 > TILE_I ? i0 + TILE_I : count4;
    for (int k0 = first; k0 < last4; k0 += TILE_K) {
      int k1 = last4 - k0 > TILE_K ? k0 + TILE_K : last4;
      for (int k = k0; k < k1; k += 4)
        for (int i = i0; i < i1; i += 4) transpose4x4(theta, out, count, n, i, k);
    }
    for (int k = last4; k < last; k++)
      for (int i = i0; i < i1; i++) out[(long)k * count + i] = theta[(long)i * n + k];
  }
  for (int i = count4; i < count; i++)
    for (int k = first; k < last; k++) out[(long)k * count + i] = theta[(long)i * n + k];
}
