import { runKernelSuite } from "./conformance.js";
import { runLayerKernelSuite } from "./layer-conformance.js";
import { runLearnKernelSuite } from "./learn-conformance.js";
import { runSparseKernelSuite } from "./sparse-conformance.js";
import { createWasmKernels } from "./wasm/loader.js";

runKernelSuite("wasm-simd", () => createWasmKernels({ memoryMiB: 1024 }));
runSparseKernelSuite("wasm-simd", () => createWasmKernels({ memoryMiB: 1024 }));
runLayerKernelSuite("wasm-simd", () => createWasmKernels({ memoryMiB: 1024 }));
runLearnKernelSuite("wasm-simd", () => createWasmKernels({ memoryMiB: 1024 }));
