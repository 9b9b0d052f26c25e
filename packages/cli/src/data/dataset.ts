/** The in-memory shape of a labelled dataset and of its train/validation/test splits. */

/** A labelled dataset held as one row-major float32 matrix. */
export interface Dataset {
  /** Dataset and split, e.g. "mnist/train". */
  name: string;
  /** [count × dim], row-major. */
  features: Float32Array;
  /** [count], class indices 0..classes−1. */
  labels: Uint8Array;
  count: number;
  dim: number;
  classes: number;
  /** [rows, cols] for image data ([28, 28] for MNIST), null otherwise. */
  imageShape: [number, number] | null;
  /** The original label of each class index, where it was not already 0..classes−1 (CSV). */
  labelNames?: readonly string[];
}

/** The three splits a run uses, and what was done to them. */
export interface DatasetSplits {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
  /** Where the data came from, for the run config: a folder, a file, or the embedded package. */
  source: string;
  /** The global mean and std (computed on train only) that were subtracted and divided out. */
  standardization: { mean: number; std: number };
}
