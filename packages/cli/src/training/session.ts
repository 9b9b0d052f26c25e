/** Start or resume a training run: load the data, build the model, and train it while every epoch is written to the run folder and checkpointed. */

import { createRequire } from "node:module";
import { join } from "node:path";
import {
  type BatchProgress,
  type EpochRecord,
  InfomorphError,
  type Kernels,
  type Model,
  type ModelConfig,
  createModel,
  presetConfig,
  trainModel,
  tsKernels,
  withLayerGoals,
} from "@infomorph/core";
import { type Checkpoint, type RunConfig, RunFolder } from "@infomorph/runs";
import type { TrainSettings } from "../cli/settings.js";
import type { Dataset, DatasetSplits } from "../data/dataset.js";
import { type DatasetSpec, loadDataset } from "../data/registry.js";
import { pickThreadedKernels } from "../workers/kernel-threads.js";

export type KernelChoice = "auto" | "wasm" | "ts";

/** Which kernels, on how many threads (default: every core; results do not depend on it). */
export interface KernelRequest {
  choice: KernelChoice;
  threads?: number;
}

export interface SessionHooks {
  /** Download progress of a dataset (for a progress bar). */
  onDownloadProgress?: DatasetSpec["onDownloadProgress"];
  /** Called once the run folder is ready, before the first epoch. */
  onStart?: (info: StartInfo) => void;
  onBatch?: (progress: BatchProgress) => void;
  /** Called after an epoch has been written and checkpointed. */
  onEpoch?: (record: EpochRecord) => void;
  /** Checked between batches: true stops the run after the current batch. */
  shouldStop?: () => boolean;
  /** Where the data come from (default: loadDataset); the search's workers pass a cache so each loads a dataset once. */
  loadDataset?: (spec: DatasetSpec) => Promise<DatasetSplits>;
}

export interface StartInfo {
  folder: RunFolder;
  /** Epochs already completed (0 for a new run). */
  startEpoch: number;
  /** The epoch the run trains up to. */
  epochs: number;
  resumed: boolean;
  kernels: string;
  /** Threads the kernels run on (results do not depend on it). */
  threads: number;
}

export interface SessionResult {
  folder: RunFolder;
  /** Epochs completed and checkpointed. */
  completed: number;
  epochs: number;
  stopped: boolean;
  kernels: string;
  threads: number;
}

/** WebAssembly memory to reserve, MiB: the default first, more when a model does not fit. */
const WASM_MEMORY_MIB = [128, 512, 1024] as const;

/**
 * The kernels asked for (auto tries WebAssembly SIMD and falls back to TypeScript; wasm
 * insists on it) and the model built on them. The wasm kernels reserve a fixed arena, so
 * when a large model does not fit, the model is built again on a larger one.
 */
export async function buildModelOn(
  request: KernelChoice | KernelRequest,
  config: ModelConfig,
  batchSize: number,
  seed: number,
  configFile?: string,
): Promise<{ model: Model; kernels: Kernels }> {
  const { choice, threads } = typeof request === "string" ? { choice: request } : request;
  for (const memoryMiB of WASM_MEMORY_MIB) {
    const kernels =
      choice === "ts" ? tsKernels() : await pickThreadedKernels({ memoryMiB, threads });
    if (choice === "wasm" && kernels.name === "ts") {
      throw new InfomorphError({
        code: "kernels/unavailable",
        path: ["kernels"],
        message:
          "WebAssembly SIMD kernels are not available in this Node.js. Use --kernels ts (or auto, which falls back).",
      });
    }
    try {
      return { model: buildModel(config, batchSize, kernels, seed, configFile), kernels };
    } catch (err) {
      kernels.close();
      const outOfMemory = err instanceof InfomorphError && err.code === "kernels/out-of-memory";
      if (!outOfMemory || kernels.name === "ts" || memoryMiB === WASM_MEMORY_MIB.at(-1)) throw err;
    }
  }
  throw new Error("unreachable");
}

/** The CLI package's version, for config.json. */
export function packageVersion(): string {
  const require = createRequire(import.meta.url);
  return (require("../../package.json") as { version: string }).version;
}

/** runs/<preset>-<dataset>-s<seed>-<yyyymmdd-hhmmss>, in local time. */
export function defaultRunDir(settings: TrainSettings, now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const dataset =
    settings.dataset
      .replace(/^(csv|idx):/, "")
      .split(/[\\/]/)
      .filter((part) => part !== "")
      .pop()
      ?.replace(/\.[^.]*$/, "")
      .replace(/[^A-Za-z0-9_-]+/g, "-") || "data";
  const preset = settings.model ? `${settings.preset}-custom` : settings.preset;
  return join("runs", `${preset}-${dataset}-s${settings.seed}-${stamp}`);
}

/**
 * A new run: load the data, resolve the model config (the preset's, or `settings.model`),
 * create the run folder, and train for `settings.epochs` epochs.
 *
 * `configFile` names the config file in messages about its `model`.
 */
export async function startRun(
  settings: TrainSettings,
  kernelChoice: KernelChoice | KernelRequest,
  env: NodeJS.ProcessEnv,
  hooks: SessionHooks = {},
  configFile?: string,
): Promise<SessionResult> {
  const splits = await loadSplits(
    settings.dataset,
    settings.dataDir,
    settings.seed,
    env,
    hooks,
    settings.trainSamples,
  );
  const { train } = splits;
  const model = withLayerGoals(
    settings.model ??
      presetConfig(settings.preset, {
        hidden: settings.hidden,
        inputs: train.dim,
        classes: train.classes,
      }),
    { hidden: settings.goal, output: settings.outputGoal },
  );
  if (settings.model) checkModelFitsData(settings.model, train, configFile ?? "config");
  const { model: network, kernels } = await buildModelOn(
    kernelChoice,
    model,
    settings.batchSize,
    settings.seed,
    configFile,
  );
  try {
    const config: RunConfig = {
      format: 1,
      created: new Date().toISOString(),
      preset: settings.preset,
      hidden: hiddenSize(model),
      model,
      training: {
        epochs: settings.epochs,
        batchSize: settings.batchSize,
        seed: settings.seed,
        trainSamples: settings.trainSamples ?? null,
      },
      data: {
        dataset: settings.dataset,
        dataDir: settings.dataDir ?? null,
        source: splits.source,
        dim: train.dim,
        classes: train.classes,
        counts: {
          train: train.count,
          validation: splits.validation.count,
          test: splits.test.count,
        },
        standardization: splits.standardization,
      },
      kernels: kernels.name,
      versions: {
        infomorph: packageVersion(),
        node: process.versions.node,
        platform: `${process.platform}-${process.arch}`,
      },
    };
    const folder = RunFolder.create(
      settings.out ?? defaultRunDir(settings),
      config,
      network.state(),
    );
    try {
      return await trainInFolder(
        folder,
        network,
        splits,
        0,
        settings.epochs,
        kernels,
        false,
        hooks,
      );
    } finally {
      folder.close();
    }
  } finally {
    kernels.close();
  }
}

/** What a resume may change: more epochs, other kernels or threads, where the data are now. */
export interface ResumeOptions {
  epochs?: number;
  kernels?: KernelChoice;
  threads?: number;
  dataDir?: string;
}

/**
 * Continue the run in `dir` from its checkpoint, up to `epochs` (default: the epochs in
 * its config; more extends it). The data are reloaded with the run's seed and checked
 * against config.json; `dataDir` may point to where the files are now. The folder is
 * locked while it trains (a second writer is refused) and checked before anything else:
 * a damaged metrics line or atoms file is named before any training.
 */
export async function resumeRun(
  dir: string,
  options: ResumeOptions,
  env: NodeJS.ProcessEnv,
  hooks: SessionHooks = {},
): Promise<SessionResult> {
  const { folder, checkpoint } = RunFolder.open(dir);
  try {
    return await resumeInFolder(folder, checkpoint, options, env, hooks);
  } finally {
    folder.close();
  }
}

/** resumeRun() on an open folder: reload and check the data, restore the model, train on. */
async function resumeInFolder(
  folder: RunFolder,
  checkpoint: Checkpoint,
  options: ResumeOptions,
  env: NodeJS.ProcessEnv,
  hooks: SessionHooks,
): Promise<SessionResult> {
  const dir = folder.dir;
  const config = folder.config;
  const epochs = options.epochs ?? config.training.epochs;
  if (epochs < checkpoint.epoch) {
    throw new InfomorphError({
      code: "usage/epochs-below-checkpoint",
      path: ["epochs"],
      message: `--epochs ${epochs} is below the ${checkpoint.epoch} epochs ${dir} has already trained. Give --epochs ${checkpoint.epoch} or more, or leave it out.`,
    });
  }
  const splits = await loadSplits(
    config.data.dataset,
    options.dataDir ?? config.data.dataDir ?? undefined,
    config.training.seed,
    env,
    hooks,
    config.training.trainSamples ?? undefined,
  );
  checkSameData(config, splits, dir);
  const { model: network, kernels } = await buildModelOn(
    {
      choice: options.kernels ?? (config.kernels === "ts" ? "ts" : "auto"),
      threads: options.threads,
    },
    config.model,
    config.training.batchSize,
    config.training.seed,
  );
  try {
    restore(network, checkpoint, dir);
    if (epochs !== config.training.epochs) {
      folder.writeConfig({ ...config, training: { ...config.training, epochs } });
    }
    return await trainInFolder(
      folder,
      network,
      splits,
      checkpoint.epoch,
      epochs,
      kernels,
      true,
      hooks,
    );
  } finally {
    kernels.close();
  }
}

async function trainInFolder(
  folder: RunFolder,
  model: Model,
  splits: DatasetSplits,
  startEpoch: number,
  epochs: number,
  kernels: Kernels,
  resumed: boolean,
  hooks: SessionHooks,
): Promise<SessionResult> {
  const { name, threads } = kernels;
  hooks.onStart?.({ folder, startEpoch, epochs, resumed, kernels: name, threads });
  const { training } = folder.config;
  const result = await trainModel(model, splits, {
    epochs,
    batchSize: training.batchSize,
    seed: training.seed,
    startEpoch,
    onBatch: hooks.onBatch,
    shouldStop: hooks.shouldStop,
    onEpoch: (record) => {
      folder.appendEpoch(record);
      folder.writeCheckpoint(record.epoch, model.state());
      hooks.onEpoch?.(record);
    },
  });
  return {
    folder,
    completed: folder.epochs,
    epochs,
    stopped: result.stopped,
    kernels: name,
    threads,
  };
}

async function loadSplits(
  dataset: string,
  dataDir: string | undefined,
  seed: number,
  env: NodeJS.ProcessEnv,
  hooks: SessionHooks,
  trainSamples: number | undefined,
): Promise<DatasetSplits> {
  const splits = await (hooks.loadDataset ?? loadDataset)({
    dataset,
    dataDir,
    seed,
    env,
    onDownloadProgress: hooks.onDownloadProgress,
  });
  if (trainSamples === undefined || trainSamples >= splits.train.count) return splits;
  return { ...splits, train: firstSamples(splits.train, trainSamples) };
}

/** The first n samples of a dataset (views, no copy). */
function firstSamples(data: Dataset, n: number): Dataset {
  return {
    ...data,
    features: data.features.subarray(0, n * data.dim),
    labels: data.labels.subarray(0, n),
    count: n,
  };
}

function buildModel(
  config: ModelConfig,
  batchSize: number,
  kernels: Kernels,
  seed: number,
  configFile?: string,
): Model {
  try {
    return createModel(config, batchSize, kernels, seed);
  } catch (err) {
    if (!(err instanceof InfomorphError) || configFile === undefined) throw err;
    const where = err.path.length > 0 ? `model.${err.path.join(".")}` : "model";
    throw new InfomorphError({
      code: err.code,
      path: ["model", ...err.path],
      message: `${configFile}: ${where}: ${err.message}`,
    });
  }
}

function checkModelFitsData(model: ModelConfig, train: Dataset, configFile: string): void {
  for (const [key, want] of [
    ["inputs", train.dim],
    ["classes", train.classes],
  ] as const) {
    if (model[key] !== want) {
      throw new InfomorphError({
        code: "config/model-mismatch",
        path: ["model", key],
        message: `${configFile}: model.${key} is ${model[key]} but the dataset ${train.name.replace(/\/train$/, "")} has ${want}. Set model.${key} to ${want}.`,
      });
    }
  }
}

/** Hidden neurons of a model config (0 for the read-out alone). */
function hiddenSize(model: ModelConfig): number {
  return model.kind === "backprop" ? model.hidden : (model.hidden?.size ?? 0);
}

function checkSameData(config: RunConfig, splits: DatasetSplits, dir: string): void {
  const now = {
    train: splits.train.count,
    validation: splits.validation.count,
    test: splits.test.count,
  };
  const was = config.data.counts;
  const same =
    now.train === was.train &&
    now.validation === was.validation &&
    now.test === was.test &&
    splits.train.dim === config.data.dim &&
    splits.standardization.mean === config.data.standardization.mean &&
    splits.standardization.std === config.data.standardization.std;
  if (!same) {
    throw new InfomorphError({
      code: "run/data-changed",
      path: [dir],
      message: `the data of ${config.data.dataset} differ from when ${dir} started (counts ${was.train}/${was.validation}/${was.test}, now ${now.train}/${now.validation}/${now.test}, or a different standardisation); resuming would not continue the same run. Point --data-dir at the original files or start a new run.`,
    });
  }
}

function restore(model: Model, checkpoint: Checkpoint, dir: string): void {
  try {
    model.restore(checkpoint.state);
  } catch (err) {
    throw new InfomorphError({
      code: "run/bad-checkpoint",
      path: [dir],
      message: `the checkpoint in ${dir} does not fit its model config (${(err as Error).message}). Start a new run.`,
    });
  }
}
