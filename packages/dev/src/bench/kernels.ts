/** `npm run bench -- kernels`: GFLOP/s of each Kernels product on the shapes of an MNIST training step (kernel-products.ts): WebAssembly SIMD on one thread and on every core, and plain TypeScript. */

import { type Kernels, pickKernels, tsKernels } from "@infomorph/core";
import { defaultThreads, pickThreadedKernels } from "infomorph/workers";
import { kernelBench } from "./kernel-products.js";
import type { Emit } from "./lines.js";
import { round } from "./stats.js";

/** Seconds of timed calls per shape and implementation. */
const SECONDS = 1;

export async function benchKernels(emit: Emit): Promise<void> {
  const wasm = await pickKernels({ memoryMiB: 256 });
  const implementations: Kernels[] = [wasm];
  if (wasm.name !== "ts" && defaultThreads() > 1) {
    implementations.push(await pickThreadedKernels({ memoryMiB: 256 }));
  }
  implementations.push(tsKernels());
  for (const kernels of implementations) {
    const threads = kernels.threads;
    for (const r of kernelBench(kernels, { seconds: SECONDS })) {
      emit({
        bench: "kernels",
        case: `${r.kernels} ${r.op} ${r.m}x${r.k}x${r.n}, ${threads} thread${threads > 1 ? "s" : ""}: ${r.label}`,
        threads,
        // kernelBench reports the median and the fastest call, not every call.
        times: [r.msPerCall],
        repeats: r.calls,
        minMs: round((2 * r.m * r.k * r.n) / r.gflops / 1e6),
        kernels: r.kernels,
        op: r.op,
        m: r.m,
        k: r.k,
        n: r.n,
        gflops: round(r.gflops),
        medianGflops: round(r.medianGflops),
        note: "gflops: 2·m·k·n / fastest call; medianGflops and ms: the median call",
      });
    }
    kernels.close();
  }
}
