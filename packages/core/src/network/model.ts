/** What the training loop needs of a model: a training step, evaluation scores, epoch statistics, and state for resume. */

/** Outcome of one training batch. */
export interface BatchStats {
  /** Accuracy on the batch as trained (infomorphic: with the label context present). */
  readonly accuracy: number;
  /** Per layer, the mean goal G over its neurons (infomorphic), or [cross-entropy loss] (backprop). */
  readonly goals: readonly number[];
}

/** Per layer, the mean of every neuron's atoms (and H_res, last) over the epoch's batches. */
export interface LayerEpochStats {
  readonly name: string;
  readonly size: number;
  /** PID source names in order, e.g. ["F", "C", "L"]. */
  readonly sources: readonly string[];
  /** [neuron × (atoms + 1)], atoms in canonical order then H_res. */
  readonly atoms: Float64Array;
}

export interface ModelEpochStats {
  readonly layers: readonly LayerEpochStats[];
}

/** A trainable classifier. Row-major float32 features [sample × inputs]. */
export interface Model {
  readonly kind: string;
  readonly classes: number;
  /** Features per sample. */
  readonly inputs: number;
  /** The largest batch trainBatch() takes. */
  readonly capacity: number;
  /**
   * A zeroed buffer of `length` features that the model's kernels read in place (for the
   * WebAssembly kernels, a view into their memory): fill trainBatch()'s x in it to save a
   * copy per product. Allocate once per training run, not per batch (it is never freed).
   */
  allocInput(length: number): Float32Array;
  /** One training step on `count` samples. */
  trainBatch(x: Float32Array, labels: Uint8Array, count: number): BatchStats;
  /** Class scores [sample × classes] for evaluation; the label is never seen. Must not change training. */
  predict(x: Float32Array, count: number, scores: Float32Array): void;
  /** Called after each training epoch, before evaluation. */
  endEpoch(): ModelEpochStats;
  /** Everything needed to continue bit-identically (weights, optimizer and RNG state). */
  state(): unknown;
  restore(state: unknown): void;
}
