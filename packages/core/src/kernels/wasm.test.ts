import {
  runKernelSuite,
  runLayerKernelSuite,
  runLearnKernelSuite,
  runSparseKernelSuite,
} from "../../testing/index.js";
import { createWasmKernels } from "./wasm/loader.js";

runKernelSuite("wasm-simd", () => createWasmKernels({ memoryMiB: 1024 }));
runSparseKernelSuite("wasm-simd", () => createWasmKernels({ memoryMiB: 1024 }));
runLayerKernelSuite("wasm-simd", () => createWasmKernels({ memoryMiB: 1024 }));
runLearnKernelSuite("wasm-simd", () => createWasmKernels({ memoryMiB: 1024 }));
