import { runKernelSuite } from "./conformance.js";
import { tsKernels } from "./kernels.js";

runKernelSuite("ts", async () => tsKernels());
