/*
 * Dense float32 products for infomorph, built freestanding for wasm32 + SIMD128.
 *
 *   matmul_abt: out[m×n] = a[m×k] · b[n×k]ᵀ (+ bias[n])   the layer forward X·Wᵀ
 *   matmul_atb: out[m×n] = a[k×m]ᵀ · b[k×n]               the weight gradient Dᵀ·X
 *
 * Both are one GEMM, C = A·B, with A and B read through strides, computed the
 * BLIS way (Goto & van de Geijn 2008; Van Zee & van de Geijn 2015):
 *
 *   for jc over n by NC:                    B panel  KC×NC  (L2/L3)
 *     for pc over k by KC:   pack B panel
 *       for ic over m by MC: pack A block   A block  MC×KC  (L2)
 *         for jr over NC by NR:             B sliver KC×NR  (L1, reused MC/MR times)
 *           for ir over MC by MR:           micro-kernel on an MR×NR tile of C
 *
 * Packing copies each operand block once into contiguous slivers in the order
 * the micro-kernel reads them (A: MR rows interleaved, B: NR columns
 * interleaved), zero-padded to whole slivers, so the kernel never sees a tail
 * and every access is sequential. Packing costs O(mk + kn) against O(mnk) work.
 * Tiles of C that stick out past m or n go through a padded local tile.
 *
 * The micro-kernel (MR×NR = 5×8, f32x4 mul + add; SIMD128 has no FMA and
 * relaxed-simd is not everywhere) is written in wasm assembly in
 * micro_kernel.s, which explains why.
 *
 * Numbers: float32 throughout; each output is a float32 sum over k taken in
 * order within blocks of KC, so it differs from a float64 reference by a few
 * float32 ulps of Σ|a·b| (conformance.ts checks 1e-5 relative to that).
 *
 * No libc and no mutable static data: the packing buffers live in a caller-given
 * workspace (GEMM_WORKSPACE_BYTES, one per thread), so several threads can run
 * gemm on one shared memory at once, each with its own workspace and C stack
 * (threads.s). The JS loader owns everything above __heap_base. Rebuild with
 * scripts/build-kernels.sh.
 */
#include <wasm_simd128.h>

#define MR 5
#define NR 8
#define KC 256
#define MC 120 /* multiple of MR; A block 120×256 floats = 120 KiB */
#define NC 1024 /* B panel 256×1024 floats = 1 MiB */

void micro_kernel_5x8(int kc, const float *pa, const float *pb, float *c, int ldc_bytes,
                      const float *src, int src_ld_bytes);

static const float zero_row[NR] __attribute__((aligned(16)));

/* Workspace layout: packed A block (MC×KC floats), then the packed B panel (KC×NC). */
#define GEMM_WORKSPACE_BYTES ((MC * KC + KC * NC) * 4)

/* A(i, p) = a[i*rsa + p*csa], B(p, j) = b[p*rsb + j*csb]. */
typedef struct {
  const float *a;
  int rsa, csa;
  const float *b;
  int rsb, csb;
} operands;

/* Pack A[ic:ic+mc, pc:pc+kc] as MR-row slivers: sliver s holds pa[p*MR + r] = A(ic+s*MR+r, pc+p). */
static void pack_a(const operands *o, float *dst, int ic, int mc, int pc, int kc) {
  for (int s = 0; s < mc; s += MR) {
    int rows = mc - s < MR ? mc - s : MR;
    const float *src = o->a + (ic + s) * o->rsa + pc * o->csa;
    if (rows == MR && o->csa == 1) {
      /* ABt: rows of A are contiguous in p. Per 4 steps of p, transpose rows 0-3
         (4×4 shuffle transpose) and put row 4 in the fifth lane of each step. */
      const float *r0 = src, *r1 = r0 + o->rsa, *r2 = r1 + o->rsa, *r3 = r2 + o->rsa;
      const float *r4 = r3 + o->rsa;
      int p = 0;
      for (; p + 4 <= kc; p += 4) {
        v128_t x0 = wasm_v128_load(r0 + p), x1 = wasm_v128_load(r1 + p);
        v128_t x2 = wasm_v128_load(r2 + p), x3 = wasm_v128_load(r3 + p);
        v128_t x4 = wasm_v128_load(r4 + p);
        v128_t t0 = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5);
        v128_t t1 = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5);
        v128_t t2 = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7);
        v128_t t3 = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);
        float *d = dst + p * MR;
        wasm_v128_store(d + 0 * MR, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
        wasm_v128_store(d + 1 * MR, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
        wasm_v128_store(d + 2 * MR, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
        wasm_v128_store(d + 3 * MR, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
        wasm_v128_store32_lane(d + 0 * MR + 4, x4, 0);
        wasm_v128_store32_lane(d + 1 * MR + 4, x4, 1);
        wasm_v128_store32_lane(d + 2 * MR + 4, x4, 2);
        wasm_v128_store32_lane(d + 3 * MR + 4, x4, 3);
      }
      for (; p < kc; p++) {
        dst[p * MR + 0] = r0[p];
        dst[p * MR + 1] = r1[p];
        dst[p * MR + 2] = r2[p];
        dst[p * MR + 3] = r3[p];
        dst[p * MR + 4] = r4[p];
      }
    } else if (rows == MR && o->rsa == 1) {
      /* AtB: the MR values of one step of p are contiguous. */
      for (int p = 0; p < kc; p++) {
        const float *col = src + p * o->csa;
        wasm_v128_store(dst + p * MR, wasm_v128_load(col));
        dst[p * MR + 4] = col[4];
      }
    } else {
      for (int p = 0; p < kc; p++) {
        for (int r = 0; r < MR; r++) {
          dst[p * MR + r] = r < rows ? src[r * o->rsa + p * o->csa] : 0.0f;
        }
      }
    }
    dst += MR * kc;
  }
}

/* Pack B[pc:pc+kc, jc:jc+nc] as NR-column slivers: sliver s holds pb[p*NR + c] = B(pc+p, jc+s*NR+c). */
static void pack_b(const operands *o, float *dst, int jc, int nc, int pc, int kc) {
  for (int s = 0; s < nc; s += NR) {
    int cols = nc - s < NR ? nc - s : NR;
    const float *src = o->b + pc * o->rsb + (jc + s) * o->csb;
    if (cols == NR && o->csb == 1) {
      /* AtB: rows of B are contiguous in j; copy 8 floats per step of p. */
      for (int p = 0; p < kc; p++) {
        const float *row = src + p * o->rsb;
        wasm_v128_store(dst + p * NR, wasm_v128_load(row));
        wasm_v128_store(dst + p * NR + 4, wasm_v128_load(row + 4));
      }
    } else if (cols == NR && o->rsb == 1) {
      /* ABt (B = bᵀ): columns of B are contiguous in p; two 4×4 transposes per 4 steps. */
      int p = 0;
      for (; p + 4 <= kc; p += 4) {
        for (int half = 0; half < 2; half++) {
          const float *c0 = src + (4 * half) * o->csb + p;
          v128_t x0 = wasm_v128_load(c0), x1 = wasm_v128_load(c0 + o->csb);
          v128_t x2 = wasm_v128_load(c0 + 2 * o->csb), x3 = wasm_v128_load(c0 + 3 * o->csb);
          v128_t t0 = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5);
          v128_t t1 = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5);
          v128_t t2 = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7);
          v128_t t3 = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);
          float *d = dst + p * NR + 4 * half;
          wasm_v128_store(d + 0 * NR, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
          wasm_v128_store(d + 1 * NR, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
          wasm_v128_store(d + 2 * NR, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
          wasm_v128_store(d + 3 * NR, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
        }
      }
      for (; p < kc; p++) {
        for (int c = 0; c < NR; c++) dst[p * NR + c] = src[c * o->csb + p];
      }
    } else {
      for (int p = 0; p < kc; p++) {
        for (int c = 0; c < NR; c++) {
          dst[p * NR + c] = c < cols ? src[p * o->rsb + c * o->csb] : 0.0f;
        }
      }
    }
    dst += NR * kc;
  }
}

/* C[m×n] (row-major, row stride ldc) = A·B (+ bias[n] unless bias is 0). */
static void gemm(const operands *o, float *out, int ldc, int m, int k, int n, const float *bias,
                 float *workspace) {
  float *packed_a = workspace;
  float *packed_b = workspace + MC * KC;
  float edge[MR * NR] __attribute__((aligned(16)));
  float edge_bias[NR] __attribute__((aligned(16)));
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) out[i * ldc + j] = bias ? bias[j] : 0.0f;
    }
    return;
  }
  /* k blocks of equal length (a multiple of 4, at most KC), so no block is a short tail */
  int k_blocks = (k + KC - 1) / KC;
  int k_step = ((k + k_blocks - 1) / k_blocks + 3) & ~3;
  if (k_step > KC) k_step = KC;
  for (int jc = 0; jc < n; jc += NC) {
    int nc = n - jc < NC ? n - jc : NC;
    for (int pc = 0; pc < k; pc += k_step) {
      int kc = k - pc < k_step ? k - pc : k_step;
      int first = pc == 0; /* the first k block starts from bias or zero, later ones from C */
      pack_b(o, packed_b, jc, nc, pc, kc);
      for (int ic = 0; ic < m; ic += MC) {
        int mc = m - ic < MC ? m - ic : MC;
        pack_a(o, packed_a, ic, mc, pc, kc);
        for (int jr = 0; jr < nc; jr += NR) {
          int cols = nc - jr < NR ? nc - jr : NR;
          int j = jc + jr;
          const float *pb = packed_b + jr * kc;
          const float *start = zero_row; /* the initial tile row when first */
          if (bias && cols == NR) {
            start = bias + j;
          } else if (bias) {
            for (int q = 0; q < NR; q++) edge_bias[q] = q < cols ? bias[j + q] : 0.0f;
            start = edge_bias;
          }
          for (int ir = 0; ir < mc; ir += MR) {
            int rows = mc - ir < MR ? mc - ir : MR;
            const float *pa = packed_a + ir * kc;
            float *c = out + (ic + ir) * ldc + j;
            if (rows == MR && cols == NR) {
              micro_kernel_5x8(kc, pa, pb, c, 4 * ldc, first ? start : c, first ? 0 : 4 * ldc);
            } else {
              if (!first) {
                for (int r = 0; r < rows; r++) {
                  for (int q = 0; q < cols; q++) edge[r * NR + q] = c[r * ldc + q];
                }
              }
              micro_kernel_5x8(kc, pa, pb, edge, 4 * NR, first ? start : edge,
                               first ? 0 : 4 * NR);
              for (int r = 0; r < rows; r++) {
                for (int q = 0; q < cols; q++) c[r * ldc + q] = edge[r * NR + q];
              }
            }
          }
        }
      }
    }
  }
}

/*
 * C = A·B (+ bias), the one entry point: A(i, p) = a[i*rsa + p*csa], B(p, j) = b[p*rsb + j*csb],
 * C(i, j) = out[i*ldc + j] for i < m, j < n; bias[n] or 0; workspace: GEMM_WORKSPACE_BYTES,
 * 64-byte aligned, this thread's own. Pointers are byte addresses. The layer forward X·Wᵀ is
 * (rsa, csa, rsb, csb) = (k, 1, 1, k); the weight gradient Dᵀ·X is (1, m, n, 1). Each output
 * is a sum over k in blocks that depend on k only, so any split of the rows or columns over
 * threads gives the same bits.
 */
__attribute__((export_name("gemm"))) void gemm_export(const float *a, int rsa, int csa,
                                                      const float *b, int rsb, int csb,
                                                      float *out, int ldc, int m, int k, int n,
                                                      const float *bias, float *workspace) {
  operands o = {a, rsa, csa, b, rsb, csb};
  gemm(&o, out, ldc, m, k, n, bias, workspace);
}

/* Bytes of workspace gemm needs per thread. */
__attribute__((export_name("gemm_workspace_bytes"))) int gemm_workspace_bytes(void) {
  return GEMM_WORKSPACE_BYTES;
}
