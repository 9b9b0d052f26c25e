/** Build a model: from a preset name or a complete config, with the fastest kernels by default, every argument checked before anything is built. */

import { InfomorphError } from "../errors.js";
import { type Kernels, pickKernels } from "../kernels/kernels.js";
import { argumentError, checkInteger, checkObject, describeValue } from "../validate/arguments.js";
import { ReferenceBackpropNetwork } from "./backprop-reference.js";
import { BackpropNetwork } from "./backprop.js";
import { checkModelConfig } from "./check-config.js";
import { InfomorphicNetwork } from "./network.js";
import { type ModelConfig, type PresetName, presetConfig } from "./presets.js";

/** A network createModel builds: the papers' infomorphic network or a backprop baseline (ordinary, or the reference code's). */
export type Network = InfomorphicNetwork | BackpropNetwork | ReferenceBackpropNetwork;

/** The batch size of the papers' runs, and createModel's default capacity. */
export const DEFAULT_CAPACITY = 1024;

/** createModel's options: a preset (with inputs and classes) or a complete config. */
export type CreateModelOptions = (
  | {
      /** A preset by name, e.g. "trivariate" (see PRESET_NAMES). */
      readonly preset: PresetName | (string & Record<never, never>);
      /** Features per sample, e.g. 784 for MNIST. */
      readonly inputs: number;
      /** Number of classes (2 … 256). */
      readonly classes: number;
      /** Hidden neurons N (default 100). */
      readonly hidden?: number;
      readonly config?: undefined;
    }
  | {
      /** A complete model config (presetConfig's, withLayerGoals', a run's config.json `model`). */
      readonly config: ModelConfig;
      readonly preset?: undefined;
    }
) & {
  /** Seed of the weights and of the sampling and evaluation streams (default 1). */
  readonly seed?: number;
  /** The largest batch it trains on (default 1024); predict() works in chunks of this size. */
  readonly capacity?: number;
  /** Default: pickKernels(), WebAssembly SIMD where the runtime has it, else TypeScript, one thread. */
  readonly kernels?: Kernels;
};

/**
 * Build a model. With an options object (asynchronous, since the default WebAssembly kernels
 * compile asynchronously in browsers):
 *
 *   const model = await createModel({ preset: "trivariate", inputs: 784, classes: 10 });
 *
 * or from a complete config with explicit capacity (largest batch), kernels and seed
 * (synchronous). Every argument is checked first (InfomorphError naming it: `config.hidden.context`,
 * `capacity`, …).
 */
export function createModel(options: CreateModelOptions): Promise<Network>;
export function createModel(
  config: ModelConfig,
  capacity: number,
  kernels: Kernels,
  seed: number,
): Network;
export function createModel(
  first: CreateModelOptions | ModelConfig,
  capacity?: number,
  kernels?: Kernels,
  seed?: number,
): Network | Promise<Network> {
  if (capacity === undefined && kernels === undefined && seed === undefined) {
    return fromOptions(first as CreateModelOptions);
  }
  return build(first, capacity, kernels, seed, ["config"]);
}

async function fromOptions(value: CreateModelOptions): Promise<Network> {
  const o = checkObject(
    value,
    ["options"],
    'Pass { preset: "trivariate", inputs, classes } or { config }.',
  );
  if ("kind" in o) {
    throw argumentError(
      "argument/missing",
      ["capacity"],
      "is missing: createModel(config) needs capacity, kernels and seed",
      "Call createModel(config, capacity, kernels, seed), or createModel({ config }) for the defaults.",
    );
  }
  if ((o.preset === undefined) === (o.config === undefined)) {
    throw argumentError(
      "argument/missing",
      ["options", "preset"],
      o.preset === undefined
        ? "is missing, and so is options.config"
        : "and options.config are both given",
      'Give either a preset ({ preset: "trivariate", inputs, classes }) or a complete config ({ config }).',
    );
  }
  let config: ModelConfig;
  if (o.preset !== undefined) {
    config = presetConfig(o.preset as string, {
      inputs: o.inputs as number,
      classes: o.classes as number,
      hidden: o.hidden as number | undefined,
    });
  } else {
    for (const key of ["inputs", "classes", "hidden"]) {
      if (o[key] !== undefined) {
        throw argumentError(
          "argument/conflict",
          ["options", key],
          "is given with a complete config, which holds its own",
          `Set config.${key} instead, or use a preset.`,
        );
      }
    }
    config = o.config as ModelConfig;
  }
  const capacity = o.capacity ?? DEFAULT_CAPACITY;
  const seed = o.seed ?? 1;
  checkModelConfig(config);
  checkCapacity(capacity);
  checkSeed(seed);
  const kernels = (o.kernels as Kernels | undefined) ?? (await pickKernels());
  return build(config, capacity, kernels, seed, ["config"]);
}

function build(
  config: unknown,
  capacity: unknown,
  kernels: unknown,
  seed: unknown,
  path: readonly string[],
): Network {
  const checked = checkModelConfig(config, path);
  checkCapacity(capacity);
  checkKernels(kernels);
  checkSeed(seed);
  const [c, k, s] = [capacity as number, kernels as Kernels, seed as number];
  try {
    if (checked.kind === "infomorphic") return new InfomorphicNetwork(checked, c, k, s);
    return checked.variant === "reference"
      ? new ReferenceBackpropNetwork(checked, c, k, s)
      : new BackpropNetwork(checked, c, k, s);
  } catch (err) {
    // a typed array larger than the runtime allows (e.g. inputs: 1e9)
    if (!(err instanceof RangeError)) throw err;
    throw new InfomorphError({
      code: "model/too-large",
      path: ["config"],
      message: `the model's buffers are larger than this runtime can allocate (${err.message}; ${checked.inputs} inputs, capacity ${c}). Use fewer inputs, hidden neurons or a smaller capacity.`,
    });
  }
}

function checkCapacity(capacity: unknown): void {
  checkInteger(
    capacity,
    ["capacity"],
    { min: 1, max: 1 << 20 },
    "capacity is the largest batch the model takes, e.g. 1024.",
  );
}

function checkSeed(seed: unknown): void {
  checkInteger(seed, ["seed"], { min: 0 }, "Any integer ≥ 0 seeds the model, e.g. seed: 1.");
}

function checkKernels(kernels: unknown): void {
  const k = kernels as Partial<Kernels> | null;
  if (
    k === null ||
    typeof k !== "object" ||
    typeof k.alloc !== "function" ||
    typeof k.matmulABt !== "function"
  ) {
    throw new InfomorphError({
      code: "argument/wrong-type",
      path: ["kernels"],
      message: `kernels must be a Kernels object (got ${describeValue(kernels)}). Pass await pickKernels(), or tsKernels().`,
    });
  }
}
