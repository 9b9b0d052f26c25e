/** The sparse-weight products of the Kernels interface on the wasm module's sparse.c exports. */

import type { Kernels } from "../contract.js";
import { type Csr, checkSparseMatmul, createSparsePattern } from "../sparse-pattern.js";
import type { Arena } from "./arena.js";
import type { RowSplit } from "./threads.js";

/** What sparse.c exports (pointers are byte addresses; a bias of 0 means "none"). */
export interface SparseExports {
  sparse_transpose(
    src: number,
    dst: number,
    rows: number,
    cols: number,
    ld: number,
    first: number,
    last: number,
  ): void;
  sparse_gather(
    w: number,
    k: number,
    rowStart: number,
    columns: number,
    values: number,
    first: number,
    last: number,
  ): void;
  sparse_abt(
    at: number,
    ld: number,
    m: number,
    rowStart: number,
    columns: number,
    values: number,
    bias: number,
    out: number,
    n: number,
    first: number,
    last: number,
  ): void;
  sparse_atb(
    dt: number,
    bt: number,
    ld: number,
    rowStart: number,
    columns: number,
    out: number,
    k: number,
    first: number,
    last: number,
  ): void;
}

/** The sparse methods of Kernels. */
export type SparseKernels = Pick<Kernels, "sparsePattern" | "sparseMatmulABt" | "sparseMatmulAtB">;

/**
 * The row stride, floats, of the neuron-major ("transposed") scratch for m samples: m rounded
 * up to whole 64-byte lines, made an odd number of lines so that rows of the transposed
 * operand start in different L1 sets (a stride of exactly 4 KiB, m = 1024, costs the forward
 * about 30 %).
 *
 * @example transposedStride(1024) // 1040
 */
export function transposedStride(m: number): number {
  const lines = Math.ceil(m / 16);
  return (lines % 2 === 0 ? lines + 1 : lines) * 16;
}

/**
 * The sparse products on one instance of the kernels module. Pattern arrays live in the
 * arena (alloc(), per pattern); every call transposes its sample-major operands into scratch
 * (k·ld floats for the forward, (n + k)·ld for the gradient, ld = transposedStride(m)) and
 * runs sparse.c through `split`, over all rows at once or in row ranges on the kernels' threads.
 */
export function sparseKernels(arena: Arena, split: RowSplit): SparseKernels {
  /** The pattern's weights of w [n×k] packed in entry order, in scratch. */
  const gather = (w: Float32Array, csr: Csr, pRowStart: number, pColumns: number, k: number) => {
    const n = csr.rowStart.length - 1;
    const values = arena.scratch(csr.columns.length);
    const address = arena.addressOf(w);
    if (address >= 0) {
      split("sparse_gather", n, { flop: k / 8 }, (first, last) => [
        address,
        k,
        pRowStart,
        pColumns,
        values.byteOffset,
        first,
        last,
      ]);
    } else {
      const { rowStart, columns } = csr;
      for (let r = 0; r < n; r++) {
        for (let e = rowStart[r]; e < rowStart[r + 1]; e++) values[e] = w[r * k + columns[e]];
      }
    }
    return values.byteOffset;
  };

  /** src [m × cols] (sample-major) transposed into scratch [cols × ld]; returns its address. */
  const transposed = (src: Float32Array, m: number, cols: number, ld: number): number => {
    const dst = arena.scratch(cols * ld).byteOffset;
    const at = arena.input(src, m * cols);
    split("sparse_transpose", cols, { flop: m }, (first, last) => [
      at,
      dst,
      m,
      cols,
      ld,
      first,
      last,
    ]);
    return dst;
  };

  return {
    sparsePattern(mask, rows, cols) {
      return createSparsePattern(mask, rows, cols, (length) => {
        const block = arena.alloc(length);
        return new Int32Array(block.buffer, block.byteOffset, length);
      });
    },
    sparseMatmulABt(a, w, pattern, out, m, bias) {
      const csr = checkSparseMatmul("sparseMatmulABt", a, w, pattern, out, m, bias);
      const { rows: n, cols: k } = pattern;
      if (m === 0 || n === 0) return;
      try {
        const ld = transposedStride(m);
        const pRowStart = arena.input(csr.rowStart, csr.rowStart.length);
        const pColumns = arena.input(csr.columns, csr.columns.length);
        const pValues = gather(w, csr, pRowStart, pColumns, k);
        const at = transposed(a, m, k, ld);
        const pBias = bias ? arena.input(bias, n) : 0;
        const perRow = (2 * m * csr.columns.length) / n;
        const outs = arena.outputs();
        const pOut = outs.place(out, m * n);
        split("sparse_abt", n, { flop: perRow }, (first, last) => [
          at,
          ld,
          m,
          pRowStart,
          pColumns,
          pValues,
          pBias,
          pOut,
          n,
          first,
          last,
        ]);
        outs.flush();
      } finally {
        arena.releaseScratch();
      }
    },
    sparseMatmulAtB(d, b, pattern, out, m) {
      const csr = checkSparseMatmul("sparseMatmulAtB", d, b, pattern, out, m);
      const { rows: n, cols: k } = pattern;
      if (n === 0 || k === 0) return;
      try {
        const ld = transposedStride(m);
        const pRowStart = arena.input(csr.rowStart, csr.rowStart.length);
        const pColumns = arena.input(csr.columns, csr.columns.length);
        const dt = transposed(d, m, n, ld);
        const bt = transposed(b, m, k, ld);
        const perRow = (2 * m * csr.columns.length) / n;
        const outs = arena.outputs();
        const pOut = outs.place(out, n * k);
        split("sparse_atb", n, { flop: perRow }, (first, last) => [
          dt,
          bt,
          ld,
          pRowStart,
          pColumns,
          pOut,
          k,
          first,
          last,
        ]);
        outs.flush();
      } finally {
        arena.releaseScratch();
      }
    },
  };
}
