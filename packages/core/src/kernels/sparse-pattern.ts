/** The sparsity pattern of a masked weight matrix (CSR column indices per row) and the argument checks of the sparse products. */

import { InfomorphError } from "../errors.js";
import { checkDimension, checkLength } from "./shapes.js";

/**
 * Where the nonzero weights of a [rows × cols] matrix may be: for sparse lateral
 * connectivity, row r = neuron r and its entries = the neurons it reads. Opaque: build it
 * with `kernels.sparsePattern(mask, rows, cols)` once per layer; any Kernels implementation
 * accepts a pattern built by any other (the wasm kernels copy a foreign one for each call).
 */
export interface SparsePattern {
  /** Rows of the matrix (neurons). */
  readonly rows: number;
  /** Columns of the matrix (inputs). */
  readonly cols: number;
  /** Entries in the pattern: the number of 1s in the mask. */
  readonly entries: number;
}

/** The pattern in compressed sparse row form. Read-only: the kernels trust it. */
export interface Csr {
  /** rows + 1 offsets: row r's entries are columns[rowStart[r] .. rowStart[r + 1]). */
  readonly rowStart: Int32Array;
  /** The column of every entry; ascending within each row, each below cols. */
  readonly columns: Int32Array;
}

/** The CSR arrays of every pattern built here; a pattern is only a key, so callers cannot corrupt them. */
const patterns = new WeakMap<SparsePattern, Csr>();

/**
 * The pattern of `mask` [rows × cols] (row-major, nonzero = connected). `allocInt32` places
 * the CSR arrays (wasm memory for the wasm kernels; default: the JS heap). Bad dimensions or
 * a short mask throw "kernels/bad-shape".
 *
 * @example createSparsePattern(Uint8Array.of(0,1,1, 1,0,0), 2, 3).entries // 3
 */
export function createSparsePattern(
  mask: Uint8Array,
  rows: number,
  cols: number,
  allocInt32: (length: number) => Int32Array = (length) => new Int32Array(length),
): SparsePattern {
  checkDimension("sparsePattern", "rows", rows);
  checkDimension("sparsePattern", "cols", cols);
  if (!(mask instanceof Uint8Array) || mask.length < rows * cols) {
    throw new InfomorphError({
      code: "kernels/bad-shape",
      path: ["mask"],
      message: `sparsePattern: mask must be a Uint8Array of at least rows·cols = ${rows * cols} elements (got ${describe(mask)}).`,
    });
  }
  let entries = 0;
  for (let e = 0; e < rows * cols; e++) if (mask[e] !== 0) entries++;
  const rowStart = allocInt32(rows + 1);
  const columns = allocInt32(entries);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = at;
    for (let j = 0; j < cols; j++) if (mask[r * cols + j] !== 0) columns[at++] = j;
  }
  rowStart[rows] = at;
  const pattern: SparsePattern = Object.freeze({ rows, cols, entries });
  patterns.set(pattern, { rowStart, columns });
  return pattern;
}

/** The CSR arrays of a pattern from createSparsePattern(); anything else throws "kernels/bad-pattern". */
export function patternCsr(op: SparseOp, pattern: SparsePattern): Csr {
  const csr = typeof pattern === "object" && pattern !== null ? patterns.get(pattern) : undefined;
  if (!csr) {
    throw new InfomorphError({
      code: "kernels/bad-pattern",
      path: ["pattern"],
      message: `${op}: pattern was not built by kernels.sparsePattern(mask, rows, cols). Build it once per weight matrix with that.`,
    });
  }
  return csr;
}

/** The sparse products of the Kernels interface, by method name. */
export type SparseOp = "sparseMatmulABt" | "sparseMatmulAtB";

/**
 * Checks a sparse product call (InfomorphError "kernels/bad-shape" naming the argument) and
 * returns the pattern's CSR. With n = pattern.rows and k = pattern.cols:
 *
 * - sparseMatmulABt(a, w, pattern, out, m, bias): a[m×k], w[n×k], out[m×n], bias[n]
 * - sparseMatmulAtB(d, b, pattern, out, m):       d[m×n], b[m×k], out[n×k]
 */
export function checkSparseMatmul(
  op: SparseOp,
  first: Float32Array,
  second: Float32Array,
  pattern: SparsePattern,
  out: Float32Array,
  m: number,
  bias?: Float32Array | null,
): Csr {
  const csr = patternCsr(op, pattern);
  checkDimension(op, "m", m);
  const { rows: n, cols: k } = pattern;
  const dimensions = "m and the pattern's rows and cols";
  if (op === "sparseMatmulABt") {
    checkLength(op, "a", first, m * k, "m·cols", dimensions);
    checkLength(op, "w", second, n * k, "rows·cols", dimensions);
    checkLength(op, "out", out, m * n, "m·rows", dimensions);
    if (bias) checkLength(op, "bias", bias, n, "rows", dimensions);
  } else {
    checkLength(op, "d", first, m * n, "m·rows", dimensions);
    checkLength(op, "b", second, m * k, "m·cols", dimensions);
    checkLength(op, "out", out, n * k, "rows·cols", dimensions);
  }
  return csr;
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} elements`;
  return value === null
    ? "null"
    : typeof value === "object"
      ? value.constructor.name
      : typeof value;
}
