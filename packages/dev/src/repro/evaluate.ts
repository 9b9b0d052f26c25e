/** Re-evaluate the last checkpoint of a finished run with other evaluation options, without training: a reproduction row that reads another row's runs. */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  InfomorphError,
  type InfomorphicNetworkConfig,
  type Kernels,
  type Model,
  createModel,
  decodeState,
  evaluate,
  pickKernels,
} from "@infomorph/core";
import type { RunConfig } from "@infomorph/runs";
import { loadDataset } from "infomorph/data";

/**
 * Evaluate the checkpoint in `source` (read only: config.json and checkpoint.json) with
 * `evaluation` in place of its model's, on the run's own validation and test splits, and
 * write the accuracies into `target`/metrics.jsonl as that epoch's lines (the layout
 * readRun() reads). One thread. Throws when `source` has no checkpoint of `epochs` epochs.
 */
export async function reevaluate(
  source: string,
  target: string,
  evaluation: InfomorphicNetworkConfig["evaluation"],
  epochs: number,
  dataDir: string | undefined,
): Promise<void> {
  const checkpointPath = join(source, "checkpoint.json");
  const checkpoint = existsSync(checkpointPath)
    ? (JSON.parse(readFileSync(checkpointPath, "utf8")) as { epoch: number; state: unknown })
    : null;
  if (!checkpoint || checkpoint.epoch < epochs) {
    throw new InfomorphError({
      code: "repro/source-unfinished",
      path: [source],
      message: `${source} has ${checkpoint ? `${checkpoint.epoch} of ${epochs}` : "no"} epochs; this row re-evaluates its last checkpoint. Train that row first (npm run repro for its experiment).`,
    });
  }
  const config = JSON.parse(readFileSync(join(source, "config.json"), "utf8")) as RunConfig;
  if (config.model.kind !== "infomorphic") {
    throw new InfomorphError({
      code: "repro/bad-variant",
      path: [source],
      message: `${source} holds a ${config.model.kind} model; evaluation options apply to infomorphic networks only.`,
    });
  }
  const data = await loadDataset({
    dataset: config.data.dataset,
    dataDir: dataDir ?? config.data.dataDir ?? undefined,
    seed: config.training.seed,
  });
  const model = { ...config.model, evaluation };
  const { network, kernels } = await build(model, config.training.batchSize, config.training.seed);
  try {
    network.restore(decodeState(checkpoint.state));
    const started = performance.now();
    const validation = evaluate(network, data.validation);
    const test = evaluate(network, data.test);
    const seconds = { evaluate: (performance.now() - started) / 1000 };
    mkdirSync(target, { recursive: true });
    const lines = [
      { epoch: checkpoint.epoch, split: "validation", accuracy: validation.accuracy, seconds },
      { epoch: checkpoint.epoch, split: "test", accuracy: test.accuracy, seconds },
    ];
    writeFileSync(
      join(target, "metrics.jsonl"),
      `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`,
    );
    writeFileSync(
      join(target, "config.json"),
      `${JSON.stringify({ reevaluated: source, epoch: checkpoint.epoch, model }, null, 2)}\n`,
    );
  } finally {
    kernels.close();
  }
}

/** The model on single-thread kernels, with more WebAssembly memory when it does not fit. */
async function build(
  model: InfomorphicNetworkConfig,
  batchSize: number,
  seed: number,
): Promise<{ network: Model; kernels: Kernels }> {
  for (const memoryMiB of [256, 1024]) {
    const kernels = await pickKernels({ memoryMiB });
    try {
      return { network: createModel(model, batchSize, kernels, seed), kernels };
    } catch (err) {
      kernels.close();
      const full = err instanceof InfomorphError && err.code === "kernels/out-of-memory";
      if (!full || memoryMiB === 1024) throw err;
    }
  }
  throw new Error("unreachable");
}
