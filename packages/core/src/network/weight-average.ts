/**
 * An exponential moving average of a model's parameters over training steps (Polyak
 * averaging), for evaluation with smoothed weights. Each neuron's average uses only its own
 * weights, so learning stays local; training itself never sees the average.
 */

export interface WeightAverageState {
  readonly steps: number;
  readonly averages: Float32Array[];
}

/**
 * avg ← d·avg + (1 − d)·w after every step, starting from 0; read with the bias
 * correction avg / (1 − dᵗ) (as Adam's moments), so the average is exact from step 1 on.
 * Masked weights (always 0) stay 0. Precision: float32 storage, float64 arithmetic.
 */
export class WeightAverage {
  private steps = 0;
  private readonly averages: Float32Array[];
  private readonly saved: Float32Array[];

  /** `tensors`: the parameter arrays, updated in place by training; `decay` in (0, 1). */
  constructor(
    private readonly tensors: readonly Float32Array[],
    private readonly decay: number,
  ) {
    this.averages = tensors.map((t) => new Float32Array(t.length));
    this.saved = tensors.map((t) => new Float32Array(t.length));
  }

  /** Fold the current parameters into the average (after each training step). */
  update(): void {
    const d = this.decay;
    this.steps++;
    this.tensors.forEach((w, j) => {
      const avg = this.averages[j];
      for (let e = 0; e < w.length; e++) avg[e] = d * avg[e] + (1 - d) * w[e];
    });
  }

  /** Run `fn` with the averaged parameters in place of the trained ones, then put those back. */
  withAverage<T>(fn: () => T): T {
    if (this.steps === 0) return fn();
    const correction = 1 / (1 - this.decay ** this.steps);
    this.tensors.forEach((w, j) => {
      this.saved[j].set(w);
      const avg = this.averages[j];
      for (let e = 0; e < w.length; e++) w[e] = avg[e] * correction;
    });
    try {
      return fn();
    } finally {
      this.tensors.forEach((w, j) => w.set(this.saved[j]));
    }
  }

  state(): WeightAverageState {
    return { steps: this.steps, averages: this.averages.map((a) => a.slice()) };
  }

  restore(state: WeightAverageState): void {
    this.steps = state.steps;
    state.averages.forEach((a, j) => this.averages[j].set(a));
  }
}
