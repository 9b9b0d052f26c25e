/** A model as a versioned JSON document and back: config, seed, capacity, every weight, optimizer moment and random stream, and the last epoch's atoms — the same in Node and browsers. */

import { decodeState, encodeState } from "../codec/state.js";
import { InfomorphError } from "../errors.js";
import type { Kernels } from "../kernels/kernels.js";
import { argumentError, checkObject, describeValue } from "../validate/arguments.js";
import { type Network, createModel } from "./create.js";
import type { ModelConfig } from "./presets.js";

/** The `format` field of every saved model. */
export const MODEL_FORMAT = "infomorph-model";
/** The version saveModel writes; loadModel reads it and every earlier one. */
export const MODEL_FORMAT_VERSION = 1;

/**
 * A saved model: plain JSON (typed arrays as {dtype, base64} of their little-endian bytes,
 * see codec/state.ts), so `JSON.stringify` writes it and `JSON.parse` reads it back exactly.
 */
export interface SavedModel {
  readonly format: typeof MODEL_FORMAT;
  readonly version: number;
  /** The complete model config, with the goals setGoal() set. */
  readonly config: ModelConfig;
  readonly seed: number;
  readonly capacity: number;
  /** state() with typed arrays encoded: weights, optimizer moments, the training stream, flips. */
  readonly state: unknown;
  /** The last training epoch's atoms per layer (encoded), or null before the first epoch. */
  readonly atoms: unknown;
}

/**
 * Everything needed to rebuild `model` exactly: loadModel(saveModel(model)) predicts the same
 * bits and continues training the same bits as `model` would (with the same kind of kernels).
 * The result is plain JSON: `JSON.stringify(saveModel(model))` is the file.
 *
 * @example writeFileSync("model.json", JSON.stringify(saveModel(model)))
 */
export function saveModel(model: Network): SavedModel {
  const m = model as Partial<Network> | null;
  if (m === null || typeof m !== "object" || typeof m.state !== "function" || !m.config) {
    throw new InfomorphError({
      code: "argument/wrong-type",
      path: ["model"],
      message: `model must be a model made by createModel or loadModel (got ${describeValue(model)}).`,
    });
  }
  const atoms = model.kind === "infomorphic" ? model.epochAtoms() : null;
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    config: model.config,
    seed: model.seed,
    capacity: model.capacity,
    state: encodeState(model.state()),
    atoms: atoms === null ? null : encodeState(atoms),
  };
}

/** loadModel's options. */
export interface LoadModelOptions {
  /** Default: pickKernels(), as createModel's. */
  readonly kernels?: Kernels;
}

/**
 * Rebuild a model saved by saveModel, from the object or its JSON text. The document is
 * checked before anything is built: its format and version, its config (as createModel
 * checks one), and its state against the rebuilt model's (state/mismatch naming the first
 * entry that differs). Asynchronous because the default kernels are.
 *
 * @example const model = await loadModel(readFileSync("model.json", "utf8"))
 */
export async function loadModel(
  data: SavedModel | string,
  options: LoadModelOptions = {},
): Promise<Network> {
  const saved = parseSaved(data);
  const model = await createModel({
    config: saved.config as ModelConfig,
    seed: saved.seed as number,
    capacity: saved.capacity as number,
    kernels: options.kernels,
  });
  model.restore(decodeState(saved.state));
  if (saved.atoms !== null && saved.atoms !== undefined) {
    if (model.kind !== "infomorphic") {
      throw argumentError(
        "state/mismatch",
        ["data", "atoms"],
        "holds atoms but the model is a backprop network",
        "The file was edited; save the model again.",
      );
    }
    model.restoreEpochAtoms(decodeState(saved.atoms));
  }
  return model;
}

function parseSaved(data: unknown): Record<string, unknown> {
  let value = data;
  if (typeof data === "string") {
    try {
      value = JSON.parse(data);
    } catch (err) {
      throw new InfomorphError({
        code: "model-file/bad-json",
        path: ["data"],
        message: `data is not valid JSON (${(err as Error).message}). Pass the text saveModel's result was written as, JSON.stringify(saveModel(model)).`,
      });
    }
  }
  const saved = checkObject(value, ["data"], "Pass what saveModel returned, or its JSON text.");
  if (saved.format !== MODEL_FORMAT) {
    throw argumentError(
      "model-file/not-a-model",
      ["data", "format"],
      `is ${describeValue(saved.format)}, not "${MODEL_FORMAT}"`,
      "This is not a saved model; pass what saveModel returned. (A run folder's checkpoint is resumed with infomorph train --resume.)",
    );
  }
  if (
    typeof saved.version !== "number" ||
    !Number.isInteger(saved.version) ||
    saved.version < 1 ||
    saved.version > MODEL_FORMAT_VERSION
  ) {
    throw argumentError(
      "model-file/unsupported-version",
      ["data", "version"],
      `is ${describeValue(saved.version)}; this version of infomorph reads versions 1 … ${MODEL_FORMAT_VERSION}`,
      "Update infomorph to load a model saved by a newer version.",
    );
  }
  for (const key of ["config", "seed", "capacity", "state"]) {
    if (!(key in saved)) {
      throw argumentError(
        "model-file/missing",
        ["data", key],
        "is missing",
        "The file is incomplete; save the model again.",
      );
    }
  }
  return saved;
}
