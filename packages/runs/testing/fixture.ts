/** A small run for the run store's tests: a config (backprop on 4 inputs, 2 classes) and fake epochs whose atoms encode epoch, neuron and atom. */

import type { EpochRecord } from "@infomorph/core";
import type { RunConfig } from "../src/format/config.js";

export const CONFIG = {
  format: 1,
  created: "2025-01-01T00:00:00.000Z",
  preset: "readout",
  hidden: 0,
  model: {
    kind: "backprop",
    inputs: 4,
    classes: 2,
    hidden: 3,
    optimizer: { lr: 1, weightDecay: 0 },
  },
  training: { epochs: 3, batchSize: 2, seed: 1, trainSamples: null },
  data: {
    dataset: "csv:x.csv",
    dataDir: null,
    source: "x.csv",
    dim: 4,
    classes: 2,
    counts: { train: 8, validation: 2, test: 2 },
    standardization: { mean: 0, std: 1 },
  },
  kernels: "ts",
  versions: { infomorph: "0.1.0", node: "20", platform: "linux-x64" },
} as RunConfig;

/** A fake epoch: two layers, atoms = epoch + neuron/10 + atom/100. */
export function record(epoch: number): EpochRecord {
  const layer = (name: string, size: number, sources: string[], stride: number) => ({
    name,
    size,
    sources,
    atoms: Float64Array.from(
      { length: size * stride },
      (_, i) => epoch + Math.floor(i / stride) / 10 + (i % stride) / 100,
    ),
  });
  return {
    epoch,
    train: { accuracy: 0.5 + epoch / 100, goals: [0.1 * epoch, 0.2] },
    validation: { accuracy: 0.5, confusion: Int32Array.from([1, 0, 1, 0]) },
    test: { accuracy: 1, confusion: Int32Array.from([1, 0, 0, 1]) },
    seconds: { train: 1.5, evaluate: 0.25 },
    layers: [layer("hidden", 3, ["F", "C", "L"], 19), layer("output", 2, ["F", "C"], 5)],
  };
}
