import { describe, expect, it } from "vitest";
import { decodeBase64 } from "../../codec/base64.js";
import { Rng } from "../../random/rng.js";
import { Arena } from "./arena.js";
import { matmulWasmBase64 } from "./matmul.wasm.js";
import { type SparseExports, transposedStride } from "./sparse-kernels.js";

/** The kernels module on a fresh 64 MiB memory, with an arena above __heap_base. */
async function instantiate(): Promise<{ wasm: SparseExports; arena: Arena }> {
  const memory = new WebAssembly.Memory({ initial: 1024, maximum: 16384 });
  const bytes = new Uint8Array(decodeBase64(matmulWasmBase64)); // an ArrayBuffer-backed copy
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  const base = (instance.exports.__heap_base as { value: number }).value;
  const arena = new Arena(memory.buffer, base, memory.buffer.byteLength);
  return { wasm: instance.exports as unknown as SparseExports, arena };
}

/** How many elements of x and y differ in any bit (+0 and −0 differ). */
function bitDifferences(x: Float32Array, y: Float32Array): number {
  const bx = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const by = new Uint32Array(y.buffer, y.byteOffset, y.length);
  let count = Math.abs(x.length - y.length);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (bx[i] !== by[i]) count++;
  return count;
}

/** Row boundaries 0 = b0 < b1 < … < bt = rows at random places (some ranges empty). */
function randomSplit(rng: Rng, rows: number, parts: number): number[] {
  const cuts = Array.from({ length: parts - 1 }, () => rng.int(rows + 1)).sort((x, y) => x - y);
  return [0, ...cuts, rows];
}

describe("sparse.c", () => {
  it("gives bit-identical results for any split of the rows into ranges (threads)", async () => {
    const { wasm, arena } = await instantiate();
    const rng = new Rng(3);
    const m = 203;
    const n = 97;
    const k = 101;
    const ld = transposedStride(m);
    const floats = (length: number, fill: () => number) => {
      const view = arena.alloc(length);
      for (let i = 0; i < length; i++) view[i] = fill();
      return view;
    };
    const ints = (values: number[]) => {
      const view = arena.alloc(values.length);
      const typed = new Int32Array(view.buffer, view.byteOffset, values.length);
      typed.set(values);
      return view.byteOffset;
    };
    const rowStart = [0];
    const columns: number[] = [];
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < k; j++) if (r % 7 !== 3 && rng.uniform() < 0.2) columns.push(j);
      rowStart.push(columns.length);
    }
    const pRowStart = ints(rowStart);
    const pColumns = ints(columns);
    const a = floats(m * k, () => 2 * rng.uniform() - 1);
    const w = floats(n * k, () => 2 * rng.uniform() - 1);
    const bias = floats(n, () => rng.uniform());
    const d = floats(m * n, () => 2 * rng.uniform() - 1);
    const run = (split: (rows: number) => number[]) => {
      const at = arena.alloc(k * ld).fill(Number.NaN);
      const dt = arena.alloc(n * ld).fill(Number.NaN);
      const values = arena.alloc(columns.length);
      const out = arena.alloc(m * n).fill(Number.NaN);
      const gradient = arena.alloc(n * k).fill(Number.NaN);
      const ranges = (rows: number, body: (first: number, last: number) => void) => {
        const cuts = split(rows);
        for (let t = cuts.length - 2; t >= 0; t--) body(cuts[t], cuts[t + 1]); // any order
      };
      const P = (view: Float32Array) => view.byteOffset;
      ranges(k, (f, l) => wasm.sparse_transpose(P(a), P(at), m, k, ld, f, l));
      ranges(n, (f, l) => wasm.sparse_transpose(P(d), P(dt), m, n, ld, f, l));
      ranges(n, (f, l) => wasm.sparse_gather(P(w), k, pRowStart, pColumns, P(values), f, l));
      ranges(n, (f, l) =>
        wasm.sparse_abt(P(at), ld, m, pRowStart, pColumns, P(values), P(bias), P(out), n, f, l),
      );
      ranges(n, (f, l) =>
        wasm.sparse_atb(P(dt), P(at), ld, pRowStart, pColumns, P(gradient), k, f, l),
      );
      return { at: at.slice(), out: out.slice(), gradient: gradient.slice() };
    };
    const whole = run((rows) => [0, rows]);
    expect(whole.out.every(Number.isFinite)).toBe(true);
    expect(whole.gradient.every(Number.isFinite)).toBe(true);
    // the padding of the transposed rows is zero
    for (let j = 0; j < k; j++) {
      expect(Array.from(whole.at.subarray(j * ld + m, (j + 1) * ld)).every((x) => x === 0)).toBe(
        true,
      );
    }
    for (const parts of [2, 3, 8]) {
      const split = run((rows) => randomSplit(rng, rows, parts));
      expect(bitDifferences(split.out, whole.out)).toBe(0);
      expect(bitDifferences(split.gradient, whole.gradient)).toBe(0);
      expect(bitDifferences(split.at, whole.at)).toBe(0);
    }
  });

  it("uses an odd number of 64-byte lines as the transposed row stride", () => {
    expect(transposedStride(1024)).toBe(1040);
    expect(transposedStride(1008)).toBe(1008);
    expect(transposedStride(1)).toBe(16);
    expect(transposedStride(0)).toBe(16);
    expect(transposedStride(17)).toBe(48);
  });
});
