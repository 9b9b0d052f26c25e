import { runKernelSuite } from "./conformance.js";
import { tsKernels } from "./kernels.js";
import { runLayerKernelSuite } from "./layer-conformance.js";
import { runLearnKernelSuite } from "./learn-conformance.js";
import { runSparseKernelSuite } from "./sparse-conformance.js";

runKernelSuite("ts", async () => tsKernels());
runSparseKernelSuite("ts", async () => tsKernels());
runLayerKernelSuite("ts", async () => tsKernels());
runLearnKernelSuite("ts", async () => tsKernels());
