import { runKernelSuite } from "./conformance.js";
import { createWasmKernels } from "./wasm/loader.js";

runKernelSuite("wasm-simd", () => createWasmKernels({ memoryMiB: 1024 }));
