/** What the in-page training did, batch by batch, for its charts: accuracy, the hidden layer's goal, the atom bands over neurons and every neuron's atoms, the epochs' held-out accuracies and the goal changes; the newest HISTORY batches are kept. */

import { atomTrajectories } from "@infomorph/core";

/** Batches kept (older ones are dropped). */
const HISTORY = 1500;

export class BatchHistory {
  /** Each batch's place in fractional epochs (epoch − 1 + batch / batches). */
  readonly x: number[] = [];
  readonly accuracy: number[] = [];
  /** The hidden layer's mean goal G, bits. */
  readonly goal: number[] = [];
  /** core's atomTrajectories of each batch over the neurons: [values] each. */
  readonly median: Float64Array[] = [];
  readonly q10: Float64Array[] = [];
  readonly q90: Float64Array[] = [];
  readonly mean: Float64Array[] = [];
  /** Every hidden neuron's atoms of each batch, [neuron × values]. */
  readonly atoms: Float32Array[] = [];
  /** Validation and test accuracy at the end of each epoch. */
  readonly epochs: { x: number; validation: number; test: number | null }[] = [];
  /** Where the goal changed. */
  readonly changes: { x: number; label: string }[] = [];

  constructor(readonly values: number) {}

  /** The newest batch's place (0 before the first). */
  get last(): number {
    return this.x.at(-1) ?? this.epochs.at(-1)?.x ?? 0;
  }

  addBatch(x: number, accuracy: number, goal: number, atoms: Float64Array): void {
    const band = atomTrajectories([atoms], { values: this.values });
    this.x.push(x);
    this.accuracy.push(accuracy);
    this.goal.push(goal);
    this.median.push(band.median);
    this.q10.push(band.q10);
    this.q90.push(band.q90);
    this.mean.push(band.mean);
    this.atoms.push(Float32Array.from(atoms));
    if (this.x.length > HISTORY) {
      for (const rows of [
        this.x,
        this.accuracy,
        this.goal,
        this.median,
        this.q10,
        this.q90,
        this.mean,
        this.atoms,
      ]) {
        rows.shift();
      }
    }
  }

  /** A band statistic of every kept batch as one row-major [batch × values] array. */
  flat(rows: readonly Float64Array[]): Float64Array {
    const out = new Float64Array(rows.length * this.values);
    rows.forEach((row, b) => out.set(row, b * this.values));
    return out;
  }

  /** Each neuron's atoms averaged over the newest `batches` batches, [neuron × values]. */
  recentAtoms(batches: number): Float32Array {
    const recent = this.atoms.slice(-batches);
    const out = new Float32Array(recent[0]?.length ?? 0);
    for (const atoms of recent)
      for (let i = 0; i < out.length; i++) out[i] += atoms[i] / recent.length;
    return out;
  }
}
