/** Steps 1 and 2 of the training estimator for one neuron: its samples grouped by occupied joint cell (Σθ and counts per cell), and each occupied cell's compact id in the marginal of every source subset; the scratch for them, sized once. */

import { InfomorphError } from "../errors.js";

/** Largest dense cell-index table (entries) before a hash map is used instead. */
const DENSE_CELL_LIMIT = 1 << 22;

/**
 * The occupied cells of one neuron's batch. Only what a batch touched is cleared afterwards,
 * so the next neuron (or batch, after an error) starts clean at O(cells), not O(K^n).
 */
export class OccupiedCells {
  /** Per sample of the current batch, its cell. */
  readonly sampleCell: Int32Array;
  /** Per cell, Σθ of its samples and how many there are. */
  readonly cellTheta: Float64Array;
  readonly cellCount: Float64Array;
  /** Per cell, its bin of every source. */
  readonly cellBins: Uint8Array;
  /** [slot][cell] → the cell's id in the marginal of source subset slot + 1. */
  readonly marginalId: Int32Array;
  private readonly cellIdOfKey: Int32Array | null;
  private readonly cellMap: Map<number, number> | null;
  private readonly cellKeys: Float64Array;
  private readonly marginalIdOfKey: (Int32Array | null)[];
  private readonly marginalKeys: Int32Array;

  /** For n sources of K bins and batches of up to B samples. */
  constructor(
    private readonly n: number,
    private readonly K: number,
    private readonly B: number,
  ) {
    const slotCount = (1 << n) - 1;
    const cells = K ** n;
    this.cellIdOfKey = cells <= DENSE_CELL_LIMIT ? new Int32Array(cells).fill(-1) : null;
    this.cellMap = this.cellIdOfKey ? null : new Map();
    this.cellKeys = new Float64Array(B);
    this.sampleCell = new Int32Array(B);
    this.cellTheta = new Float64Array(B);
    this.cellCount = new Float64Array(B);
    this.cellBins = new Uint8Array(B * n);
    this.marginalIdOfKey = Array.from({ length: slotCount }, (_, s) => {
      const members = popcount(s + 1);
      return members < n ? new Int32Array(K ** members).fill(-1) : null;
    });
    this.marginalId = new Int32Array(slotCount * B);
    this.marginalKeys = new Int32Array(slotCount * B);
  }

  /**
   * Assign every sample of neuron k (of a batch of `count` samples) to a joint cell; returns
   * the number of occupied cells. A bin index ≥ K or a θ outside [0, 1] throws the estimator's
   * error, naming the neuron as `firstNeuron + k`.
   */
  group(
    binIndex: Uint8Array,
    theta: ArrayLike<number>,
    k: number,
    count: number,
    firstNeuron: number,
  ): number {
    const B = count;
    const { n, K } = this;
    const dense = this.cellIdOfKey;
    const map = this.cellMap;
    let cellCount = 0;
    for (let i = 0; i < B; i++) {
      const offset = (k * B + i) * n;
      let key = 0;
      for (let s = n - 1; s >= 0; s--) {
        const x = binIndex[offset + s];
        if (x >= K) {
          this.clearCells(cellCount);
          throw badBin(x, K, firstNeuron + k, i, s);
        }
        key = key * K + x;
      }
      let cell = dense ? dense[key] : (map!.get(key) ?? -1);
      if (cell < 0) {
        cell = cellCount++;
        if (dense) dense[key] = cell;
        else map!.set(key, cell);
        this.cellKeys[cell] = key;
        this.cellTheta[cell] = 0;
        this.cellCount[cell] = 0;
        for (let s = 0; s < n; s++) this.cellBins[cell * n + s] = binIndex[offset + s];
      }
      this.sampleCell[i] = cell;
      const th = theta[k * B + i];
      if (!(th >= 0 && th <= 1)) {
        this.clearCells(cellCount);
        throw badTheta(th, firstNeuron + k, i);
      }
      this.cellTheta[cell] += th;
      this.cellCount[cell] += 1;
    }
    this.clearCells(cellCount);
    return cellCount;
  }

  /** Clear only what was touched, so the next neuron (or batch, after an error) starts clean. */
  private clearCells(cellCount: number): void {
    const dense = this.cellIdOfKey;
    if (dense) for (let j = 0; j < cellCount; j++) dense[this.cellKeys[j]] = -1;
    else this.cellMap!.clear();
  }

  /** Map each occupied cell to a compact id of its marginal cell on subset slot; returns the count. */
  indexMarginal(slot: number, cellCount: number): number {
    const { n, K } = this;
    const subset = slot + 1;
    const table = this.marginalIdOfKey[slot]!;
    const base = slot * this.B;
    let count = 0;
    for (let j = 0; j < cellCount; j++) {
      let key = 0;
      for (let s = n - 1; s >= 0; s--)
        if (subset & (1 << s)) key = key * K + this.cellBins[j * n + s];
      let id = table[key];
      if (id < 0) {
        id = count++;
        table[key] = id;
        this.marginalKeys[base + id] = key;
      }
      this.marginalId[base + j] = id;
    }
    for (let m = 0; m < count; m++) table[this.marginalKeys[base + m]] = -1;
    return count;
  }
}

export function popcount(x: number): number {
  let count = 0;
  for (let v = x; v; v &= v - 1) count++;
  return count;
}

export function badBin(
  x: number,
  K: number,
  neuron: number,
  sample: number,
  source: number,
): InfomorphError {
  return new InfomorphError({
    code: "estimator/bad-bin",
    path: ["binIndex", neuron, sample, source],
    message: `bin index ${x} of neuron ${neuron}, sample ${sample}, source ${source + 1} is outside 0…${K - 1} for ${K} bins.`,
  });
}

export function badTheta(th: number, neuron: number, sample: number): InfomorphError {
  return new InfomorphError({
    code: "estimator/bad-theta",
    path: ["theta", neuron, sample],
    message: `theta of neuron ${neuron}, sample ${sample} is ${th}; firing probabilities must lie in [0, 1].`,
  });
}
