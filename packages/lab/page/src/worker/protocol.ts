/** The messages between the page and its training worker (worker/train-worker.ts): what to train, goal changes between batches, and what the network does, batch by batch. */

/** What the page trains: everything a shared link holds (play/url-state.ts). */
export interface PlaySettings {
  /** A trivariate preset: trivariate, trivariate-heuristic or trivariate-sparse. */
  preset: string;
  /** The hidden layer's goal as the CLI's --goal takes it (a named goal or atom weights). */
  goal: string;
  /** Hidden neurons N. */
  hidden: number;
  /** Training samples: the first N of the 7000-digit training split (the CLI's --train-samples). */
  trainSamples: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Threads for the kernels; more than 1 only where the page is cross-origin isolated. */
  threads: number;
}

/** One layer as the worker builds it. */
export interface PlayLayer {
  name: string;
  size: number;
  sources: string[];
  /** Canonical atom names, then H_res. */
  names: string[];
  /** The same by source, e.g. "(F)(C)", then H_res. */
  aliases: string[];
}

export type ToWorker =
  | { type: "start"; settings: PlaySettings }
  /** A new hidden goal (the CLI's --goal syntax); it takes effect at the next batch. */
  | { type: "set-goal"; goal: string }
  /** Stop after this batch and go back to the last completed epoch, as Ctrl-C does for the CLI. */
  | { type: "stop" }
  /** Train on up to `epochs` epochs in all. */
  | { type: "continue"; epochs: number }
  /** The run as an ordinary run folder, zipped. */
  | { type: "export" };

export type FromWorker =
  | { type: "loading"; what: string }
  | {
      type: "ready";
      kernels: string;
      threads: number;
      counts: { train: number; validation: number; test: number };
      layers: PlayLayer[];
      /** γ of the hidden goal in use (atoms in canonical order, then H_res). */
      gamma: Float64Array;
    }
  | {
      type: "batch";
      epoch: number;
      batch: number;
      batches: number;
      /** Running accuracy of this batch as trained (label present). */
      accuracy: number;
      /** Mean goal per layer (hidden, output), bits. */
      goals: number[];
      /** The hidden goal this batch ascended, read back from the layer. */
      gamma: Float64Array;
      /** Every hidden neuron's atoms and H_res in this batch, [neuron × (atoms + 1)], bits. */
      atoms: Float64Array;
      /** Milliseconds the batch took. */
      ms: number;
    }
  | {
      type: "epoch";
      epoch: number;
      train: number;
      validation: number;
      test: number | null;
      /** Per layer, each neuron's mean atoms over the epoch's batches. */
      layers: { name: string; atoms: Float64Array }[];
    }
  /** The hidden layer's weights per source (F: N × 784, C: N × 10, L: N × N), row-major. */
  | {
      type: "weights";
      epoch: number;
      batch: number;
      sources: { name: string; weights: Float32Array }[];
    }
  /** A new goal is set; the next batch ascends it. */
  | { type: "goal"; gamma: Float64Array }
  | { type: "stopped"; epoch: number }
  | { type: "finished"; epoch: number }
  | { type: "export"; name: string; zip: Uint8Array }
  | { type: "error"; message: string };
