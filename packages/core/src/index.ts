export { InfomorphError, type InfomorphErrorInit } from "./errors.js";
export * from "./neuron/activation.js";
export * from "./neuron/binning.js";
export * from "./optim/optimizer.js";
export { Rng, type RngState } from "./random/rng.js";
export * from "./pid/lattice.js";
export * from "./pid/table.js";
export * from "./pid/samples.js";
export {
  validateTable,
  NORMALISATION_TOLERANCE,
  FLOAT32_NORMALISATION_TOLERANCE,
} from "./pid/validate.js";
export * from "./goals/goal.js";
export * from "./goals/named.js";
export * from "./goals/spec.js";
export * from "./network/model.js";
export * from "./network/network.js";
export * from "./network/backprop.js";
export * from "./network/backprop-reference.js";
export * from "./network/presets.js";
export * from "./network/goals.js";
export * from "./train/loop.js";
export {
  type NamedData,
  splitTrainValidation,
  splitTrainValidationTest,
  standardize,
  subset,
} from "./train/splits.js";
export { type Kernels, pickKernels, tsKernels } from "./kernels/kernels.js";
export {
  createWasmKernels,
  wasmSimdSupported,
  type SpawnKernelWorker,
  type WasmKernelsOptions,
} from "./kernels/wasm/loader.js";
export { runKernelWorker, type KernelWorkerInit } from "./kernels/wasm/threads.js";
export * from "./analysis/trajectories.js";
export * from "./analysis/receptive-fields.js";
export * from "./analysis/complexity.js";
export * from "./analysis/sensitivity.js";
export * from "./neuron/layer.js";
// Goal search: samplers in ask/tell form over a search space (see docs/ARCHITECTURE.md).
export {
  type ParamSpec,
  type SearchSpace,
  type GoalSpaceOptions,
  searchSpace,
  paramsFromUnit,
  goalSearchSpace,
  goalFromParams,
} from "./search/space.js";
export {
  type Direction,
  type Trial,
  type TrialResult,
  type Sampler,
  type SamplerOptions,
  type TrialEvent,
  replay,
} from "./search/sampler.js";
export { RandomSampler } from "./search/random.js";
export { HaltonSampler, ScrambledHalton } from "./search/halton.js";
export { TpeSampler, type TpeOptions, optunaGamma, optunaWeights } from "./search/tpe.js";
export {
  CmaEsSampler,
  type CmaEsOptions,
  type CmaParameters,
  cmaParameters,
} from "./search/cmaes.js";
export { createSampler, type SamplerConfig, SAMPLER_KINDS } from "./search/create-sampler.js";
export { symmetricEigen, type SymmetricEigen } from "./search/eigen.js";
export {
  type EncodedArray,
  type TypedArray,
  decodeState,
  encodeState,
  fromLittleEndian,
  littleEndianBytes,
  viewLittleEndian,
} from "./codec/state.js";
export { decodeBase64, encodeBase64 } from "./codec/base64.js";
export * from "./network/create.js";
export * from "./network/check-config.js";
export * from "./network/atoms.js";
export * from "./network/save.js";
export * from "./validate/arguments.js";
export { checkStateShape } from "./validate/state.js";
export { type LabelledDataInput, checkLabelledData, labelledData } from "./train/data.js";
export * from "./pid/empirical.js";
// Associative memory (Blümel et al. 2025): the recurrent infomorphic layer, baseline rules, recall, capacity.
export * from "./memory/patterns.js";
export * from "./memory/network.js";
export * from "./memory/recall.js";
export * from "./memory/hebbian.js";
export * from "./memory/pseudo-inverse.js";
export * from "./memory/krauth-mezard.js";
export * from "./memory/mpf.js";
export * from "./memory/infomorphic.js";
export * from "./memory/atoms.js";
export * from "./memory/rules.js";
export * from "./memory/experiment.js";
export * from "./memory/capacity.js";
export * from "./memory/goal.js";
