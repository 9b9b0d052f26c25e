/*
 * Binning of a layer's source values for the PID estimator (neuron/binning.ts binLayer), built
 * into the same module as matmul.c (wasm32 + SIMD128, freestanding):
 *
 *   bin_layer   s_j [sample × neuron] float32, j < S  →  bin index [neuron][sample][source] bytes
 *
 * Numbers. Each bin is computed in float64 exactly as binIndex() computes it,
 *
 *   b = floor(((x − min) / (max − min)) · K), then b < 0 → 0, b > K − 1 → K − 1 (NaN → 0),
 *
 * with x = s for "fixed" and x = s / peak (float64 division by the neuron's batch maximum of
 * |s_j|, 0 where that maximum is 0) over min = −1, max = 1 for "adaptive". Subtraction,
 * division, multiplication and floor are correctly rounded IEEE float64 operations here and in
 * JavaScript, evaluated in the same order, so every bin index equals the TS one.
 *
 * Values that are not finite (NaN, ±Infinity) are reported, not binned: bin_layer writes the
 * key of the element the TS loop would throw on, (2j + pass)·batch·neurons + e (e = i·neurons
 * + k), or −1 when all are finite. The TS loop goes source by source; "adaptive" meets a NaN in
 * its maxima pass (pass 0; an Infinity there only raises the maximum) and an Infinity in its
 * binning pass (pass 1), so for it the first NaN of the source is reported before any
 * Infinity. Over a range of neurons the key is that range's first; the caller takes the
 * lowest over its ranges. `out` is unspecified then.
 *
 * Speed: 4 values per step in f64x2 pairs, tiles of 32 samples × 64 neurons so each neuron's
 * bytes (32·S per tile) go out in whole cache lines; the bytes are stored one by one. About
 * 3× the TS loop for "fixed" and 5–7× for "adaptive" (≈16 and 24 ms for 1024 × 2000 × 3 on a
 * loaded 2-core EPYC, TS 46 and 114 ms); tile shapes from 8 × 32 to 128 × 4096 measured alike.
 *
 * Thread safety: no static or global mutable data, only the stack and the caller's arrays.
 */
#include <wasm_simd128.h>

#pragma STDC FP_CONTRACT OFF

typedef float f32x4 __attribute__((vector_size(16)));
typedef double f64x2 __attribute__((vector_size(16)));
typedef int i32x4 __attribute__((vector_size(16)));

#define INLINE static inline __attribute__((always_inline))
#define EXPORT(name) __attribute__((export_name(name)))

#define D2(c) ((f64x2){(c), (c)})
#define PROMOTE_LO(x) ((f64x2)wasm_f64x2_promote_low_f32x4((v128_t)(x)))
#define PROMOTE_HI(x) \
  ((f64x2)wasm_f64x2_promote_low_f32x4((v128_t)__builtin_shufflevector((x), (x), 2, 3, 2, 3)))

/* |x| as float32 bits: ≥ this is ±Infinity or NaN; > this is NaN. */
#define INFINITY_BITS 0x7f800000
#define ABS_BITS 0x7fffffff

/* Samples × neurons of one tile (see the top of the file). */
#define TILE_I 32
#define TILE_K 64

/* The bin constants: min, max − min, K, K − 1. */
typedef struct {
  double min, range, k, top;
} scale;

INLINE unsigned bits_of(float x) {
  union {
    float f;
    unsigned u;
  } b = {x};
  return b.u;
}

/* binIndex(x, min, max, K) of neuron/binning.ts for one float64 x. */
INLINE int bin1(double x, const scale *c) {
  double b = __builtin_floor(((x - c->min) / c->range) * c->k);
  b = b < 0 ? 0 : b > c->top ? c->top : b;
  /* NaN (only from an infinite range) stores as 0, as in a Uint8Array */
  return b == b ? (int)b : 0;
}

/*
 * binIndex() of two float64 lanes, as bin1, in lanes 0 and 1 of the result. pmax(0, b) is
 * 0 < b ? b : 0, so NaN (and −0) becomes 0; the integer in [0, K − 1] is then read from the low
 * word of b + 2^52 (exact), which V8 runs much faster than i32x4.trunc_sat_f64x2_s_zero.
 */
INLINE v128_t bin2(f64x2 x, const scale *c) {
  f64x2 b = (f64x2)wasm_f64x2_floor((v128_t)(((x - D2(c->min)) / D2(c->range)) * D2(c->k)));
  b = (f64x2)wasm_f64x2_pmax(wasm_f64x2_splat(0.0), (v128_t)b);
  b = (f64x2)wasm_f64x2_pmin((v128_t)b, wasm_f64x2_splat(c->top));
  b = b + D2(4503599627370496.0);
  return wasm_i32x4_shuffle((v128_t)b, (v128_t)b, 0, 2, 0, 2);
}

/* x / peak where peak > 0, else 0 (an all-zero neuron), in float64. */
INLINE f64x2 normalise2(f64x2 x, f64x2 peak) {
  v128_t positive = wasm_f64x2_gt((v128_t)peak, wasm_f64x2_splat(0.0));
  return (f64x2)wasm_v128_and((v128_t)(x / peak), positive);
}

/*
 * The batch maximum of |s_j| of neurons first ≤ k < last into peak[j·neurons + k] (float32:
 * the maximum of float32 magnitudes is one of them, as the TS Float64Array holds it). Returns
 * 0 when some value is not finite.
 */
INLINE int maxima(const float *const *sources, int n_sources, int batch, int neurons, int first,
                  int last, float *peak) {
  i32x4 bad = {0, 0, 0, 0};
  unsigned bad1 = 0;
  int last4 = first + ((last - first) & ~3);
  for (int j = 0; j < n_sources; j++) {
    const float *s = sources[j];
    float *p = peak + (long)j * neurons;
    for (int k = first; k < last; k++) p[k] = 0.0f;
    for (int i = 0; i < batch; i++) {
      const float *row = s + (long)i * neurons;
      for (int k = first; k < last4; k += 4) {
        i32x4 a = (i32x4)wasm_v128_load(row + k) & ABS_BITS;
        bad |= a >= INFINITY_BITS;
        /* pmax: keeps the old maximum against a NaN, which `bad` reports anyway */
        wasm_v128_store(p + k, wasm_f32x4_pmax(wasm_v128_load(p + k), (v128_t)a));
      }
      for (int k = last4; k < last; k++) {
        unsigned a = bits_of(row[k]) & ABS_BITS;
        bad1 |= a >= INFINITY_BITS;
        float v = row[k] < 0 ? -row[k] : row[k];
        if (v > p[k]) p[k] = v;
      }
    }
  }
  return !(wasm_v128_any_true((v128_t)bad) || bad1);
}

/*
 * The first element of neurons first ≤ k < last that binLayer() throws on, as the key
 * (2j + pass)·size + e (see bin_layer), or −1. Keys grow in the TS loop's order, so of several
 * neuron ranges the lowest key is the error of the whole layer.
 */
static int first_not_finite(const float *const *sources, int n_sources, int batch, int neurons,
                            int first, int last, int adaptive) {
  long size = (long)batch * neurons;
  for (int j = 0; j < n_sources; j++) {
    const float *s = sources[j];
    for (int pass = adaptive ? 0 : 1; pass < 2; pass++) {
      /* pass 0, adaptive's maxima: NaN only; pass 1, the bins: NaN or ±Infinity */
      unsigned limit = pass == 0 ? INFINITY_BITS + 1 : INFINITY_BITS;
      for (int i = 0; i < batch; i++)
        for (int k = first; k < last; k++) {
          long e = (long)i * neurons + k;
          if ((bits_of(s[e]) & ABS_BITS) >= limit) return (int)((2 * j + pass) * size + e);
        }
    }
  }
  return -1;
}

/*
 * The bins of one tile (samples i0..i1−1, neurons k0..k1−1) of every source; ORs into *bad the
 * lanes whose values are not finite (fixed binning only: adaptive checked them in maxima()).
 */
INLINE void bin_tile(const float *const *sources, int n_sources, int batch, int neurons,
                     const float *peak, const scale *c, unsigned char *out, int i0, int i1,
                     int k0, int k1, i32x4 *bad, unsigned *bad1, const int adaptive) {
  long stride = (long)batch * n_sources; /* bytes from one neuron to the next in out */
  int k4 = k0 + ((k1 - k0) & ~3);
  for (int j = 0; j < n_sources; j++) {
    const float *s = sources[j];
    const float *p = adaptive ? peak + (long)j * neurons : 0;
    for (int i = i0; i < i1; i++) {
      const float *row = s + (long)i * neurons;
      unsigned char *o = out + (long)i * n_sources + j;
      for (int k = k0; k < k4; k += 4) {
        f32x4 v = (f32x4)wasm_v128_load(row + k);
        f64x2 lo = PROMOTE_LO(v), hi = PROMOTE_HI(v);
        if (adaptive) {
          f32x4 pk = (f32x4)wasm_v128_load(p + k);
          lo = normalise2(lo, PROMOTE_LO(pk));
          hi = normalise2(hi, PROMOTE_HI(pk));
        } else {
          *bad |= ((i32x4)v & ABS_BITS) >= INFINITY_BITS;
        }
        v128_t blo = bin2(lo, c), bhi = bin2(hi, c);
        unsigned char *ok = o + (long)k * stride;
        ok[0] = (unsigned char)wasm_i32x4_extract_lane(blo, 0);
        ok[stride] = (unsigned char)wasm_i32x4_extract_lane(blo, 1);
        ok[2 * stride] = (unsigned char)wasm_i32x4_extract_lane(bhi, 0);
        ok[3 * stride] = (unsigned char)wasm_i32x4_extract_lane(bhi, 1);
      }
      for (int k = k4; k < k1; k++) {
        double x = row[k];
        if (adaptive) {
          double peak_k = p[k];
          x = peak_k > 0 ? x / peak_k : 0;
        } else {
          *bad1 |= (bits_of(row[k]) & ABS_BITS) >= INFINITY_BITS;
        }
        o[(long)k * stride] = (unsigned char)bin1(x, c);
      }
    }
  }
}

INLINE void bin_all(const float *const *sources, int n_sources, int batch, int neurons, int first,
                    int last, const float *peak, const scale *c, unsigned char *out, i32x4 *bad,
                    unsigned *bad1, const int adaptive) {
  for (int i0 = 0; i0 < batch; i0 += TILE_I) {
    int i1 = batch - i0 > TILE_I ? i0 + TILE_I : batch;
    for (int k0 = first; k0 < last; k0 += TILE_K) {
      int k1 = last - k0 > TILE_K ? k0 + TILE_K : last;
      bin_tile(sources, n_sources, batch, neurons, peak, c, out, i0, i1, k0, k1, bad, bad1,
               adaptive);
    }
  }
}

/*
 * out[(k·batch + i)·S + j] = the bin of sources[j][i·neurons + k] (S = n_sources; sources: S
 * pointers) for the neurons first ≤ k < last, K = bins equal-width bins over [bounds[0],
 * bounds[1]] (float64; fixed) or over [−1, 1] after dividing by the neuron's batch maximum of
 * |s_j| (adaptive ≠ 0; bounds then holds −1 and 1 and peak is scratch for S·neurons floats).
 * Each neuron's bins depend on its own column only, so any split into neuron ranges gives the
 * same bits. Writes to *bad −1, or the key of the range's first value that is not finite,
 * (2j + pass)·size + e (size = batch·neurons, e = i·neurons + k; pass 0: adaptive's NaN, pass
 * 1: any; see the top of the file).
 */
EXPORT("bin_layer")
void bin_layer(const float *const *sources, int n_sources, int batch, int neurons, int adaptive,
               int bins, const double *bounds, float *peak, unsigned char *out, int first,
               int last, int *bad_key) {
  *bad_key = -1;
  if (batch <= 0 || first >= last || n_sources <= 0) return;
  scale c = {bounds[0], bounds[1] - bounds[0], (double)bins, (double)(bins - 1)};
  i32x4 bad = {0, 0, 0, 0};
  unsigned bad1 = 0;
  if (adaptive) {
    if (!maxima(sources, n_sources, batch, neurons, first, last, peak)) {
      *bad_key = first_not_finite(sources, n_sources, batch, neurons, first, last, 1);
      return;
    }
    bin_all(sources, n_sources, batch, neurons, first, last, peak, &c, out, &bad, &bad1, 1);
  } else {
    bin_all(sources, n_sources, batch, neurons, first, last, 0, &c, out, &bad, &bad1, 0);
    if (wasm_v128_any_true((v128_t)bad) || bad1)
      *bad_key = first_not_finite(sources, n_sources, batch, neurons, first, last, 0);
  }
}
