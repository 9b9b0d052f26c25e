/**
 * The kernel layer's entry point, `@infomorph/core/kernels`: the Kernels contract with its own
 * plain parameter types, the two backends, and the TypeScript reference loops (ts/) that
 * define each kernel, for another backend to be built and tested against (the conformance
 * suites are `@infomorph/core/testing`).
 */

export { type Kernels, pickKernels, tsKernels } from "./kernels.js";
export * from "./params.js";
export type { MatmulOp } from "./shapes.js";
export {
  type SparseOp,
  type SparsePattern,
  createSparsePattern,
  patternCsr,
} from "./sparse-pattern.js";
export {
  createWasmKernels,
  wasmSimdSupported,
  type SpawnKernelWorker,
  type WasmKernelsOptions,
} from "./wasm/loader.js";
export { runKernelWorker, type KernelWorkerInit } from "./wasm/threads.js";
export { applyActivation, sigmoid } from "./ts/activation.js";
export { type AdamStep, adamStep } from "./ts/adam.js";
export { binIndex, binLayer, checkBinLayer, notFiniteError } from "./ts/binning.js";
export { activateLayer, layerDelta, transposeToNeuronMajor } from "./ts/layer.js";
export { matmulABt, matmulAtB } from "./ts/matmul.js";
export { sparseMatmulABt, sparseMatmulAtB } from "./ts/sparse.js";
