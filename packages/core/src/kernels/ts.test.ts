import {
  runKernelSuite,
  runLayerKernelSuite,
  runLearnKernelSuite,
  runSparseKernelSuite,
} from "../../testing/index.js";
import { tsKernels } from "./kernels.js";

runKernelSuite("ts", async () => tsKernels());
runSparseKernelSuite("ts", async () => tsKernels());
runLayerKernelSuite("ts", async () => tsKernels());
runLearnKernelSuite("ts", async () => tsKernels());
