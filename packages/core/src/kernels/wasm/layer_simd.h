/*
 * The vector types and helper macros shared by layer.c (activations) and layer_delta.c
 * (δ and the transpose): 4- and 8-lane float32, f64x2, unaligned loads and stores, selects.
 */
#ifndef LAYER_SIMD_H
#define LAYER_SIMD_H

#include <wasm_simd128.h>

typedef float f32x4 __attribute__((vector_size(16)));
typedef double f64x2 __attribute__((vector_size(16)));
typedef int i32x4 __attribute__((vector_size(16)));
typedef long long i64x2 __attribute__((vector_size(16)));
/*
 * The activations work on 8 elements at a time: clang splits each 8-lane operation into two
 * adjacent 4-lane ones, so two independent dependency chains (the exponential's polynomial
 * is a long one) interleave and the CPU overlaps them.
 */
typedef float f32x8 __attribute__((vector_size(32)));
typedef int i32x8 __attribute__((vector_size(32)));
typedef unsigned u32x8 __attribute__((vector_size(32)));
typedef float f32x8u __attribute__((vector_size(32), aligned(4))); /* unaligned access */

#define INLINE static inline __attribute__((always_inline))
#define EXPORT(name) __attribute__((export_name(name)))

#define LOAD(p) ((f32x4)wasm_v128_load(p))
#define STORE(p, v) wasm_v128_store((p), (v128_t)(v))
#define LOAD8(p) (*(const f32x8u *)(p))
#define STORE8(p, v) (*(f32x8u *)(p) = (v))
#define F8(c) ((f32x8){(c), (c), (c), (c), (c), (c), (c), (c)})
#define D2(c) ((f64x2){(c), (c)})
/* The 4-lane halves of an 8-lane vector, and back. */
#define LO(x) __builtin_shufflevector((x), (x), 0, 1, 2, 3)
#define HI(x) __builtin_shufflevector((x), (x), 4, 5, 6, 7)
#define JOIN(lo, hi) __builtin_shufflevector((lo), (hi), 0, 1, 2, 3, 4, 5, 6, 7)
/* mask ? yes : no, lane by lane (mask lanes all ones or all zeros). */
#define SELECT8(mask, yes, no) \
  ((f32x8)(((i32x8)(mask) & (i32x8)(yes)) | (~(i32x8)(mask) & (i32x8)(no))))
#define SELECT2(mask, yes, no) \
  ((f64x2)wasm_v128_bitselect((v128_t)(yes), (v128_t)(no), (v128_t)(mask)))

/* 1.5·2^23: adding it rounds a float32 of magnitude < 2^22 to an integer. */
#define MAGIC 12582912.0f

#endif
