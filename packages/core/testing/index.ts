/**
 * `@infomorph/core/testing`: the conformance suites every Kernels implementation passes
 * (products, sparse products, layer and learning-step kernels), for vitest, and the oracle
 * they compare with: naive loops written from each kernel's formula (`naiveKernels()`), which
 * share no code with either backend. Another backend, or the same backend on more threads, is
 * tested with one line per suite:
 *
 * @example runKernelSuite("my-backend", async () => myKernels());
 */

export { MATMUL_TOLERANCE, runKernelSuite } from "./kernels/conformance.js";
export { LAYER_ULPS } from "./kernels/activation-conformance.js";
export { DELTA_TOLERANCE, runLayerKernelSuite } from "./kernels/layer-conformance.js";
export { runLearnKernelSuite } from "./kernels/learn-conformance.js";
export { runSparseKernelSuite } from "./kernels/sparse-conformance.js";
export { naiveKernels } from "./naive-kernels.js";
