/** Test helper: the simplest possible products, three nested loops in float64, independent of kernels/ts/matmul.ts; everything else from tsKernels(). */

import { type Kernels, tsKernels } from "../src/kernels/kernels.js";

export function naiveKernels(): Kernels {
  return {
    ...tsKernels(),
    matmulABt(a, b, out, m, k, n, bias) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = bias ? bias[j] : 0;
          for (let t = 0; t < k; t++) sum += a[i * k + t] * b[j * k + t];
          out[i * n + j] = sum;
        }
      }
    },
    matmulAtB(a, b, out, m, k, n) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let t = 0; t < k; t++) sum += a[t * m + i] * b[t * n + j];
          out[i * n + j] = sum;
        }
      }
    },
  };
}
