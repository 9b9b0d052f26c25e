/** `npm run bench -- kernels`: GFLOP/s of each Kernels product on the shapes of an MNIST training step (core's kernelBench), WebAssembly SIMD and plain TypeScript. */

import { kernelBench, pickKernels, tsKernels } from "@infomorph/core";
import type { Emit } from "./main.js";

/** Seconds of timed calls per shape and implementation. */
const SECONDS = 1;

export async function benchKernels(emit: Emit): Promise<void> {
  const wasm = await pickKernels({ memoryMiB: 256 });
  const implementations = wasm.name === "ts" ? [wasm] : [wasm, tsKernels()];
  for (const kernels of implementations) {
    for (const r of kernelBench(kernels, { seconds: SECONDS })) {
      emit({
        bench: "kernels",
        case: `${r.kernels} ${r.op} ${r.m}x${r.k}x${r.n}: ${r.label}`,
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
        note: "gflops: 2·m·k·n / fastest call; medianGflops and ms: the median call; one thread",
      });
    }
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
