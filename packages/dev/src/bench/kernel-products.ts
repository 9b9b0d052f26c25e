/** Throughput of the Kernels products on the shapes of an MNIST training step, for `npm run bench -- kernels`. */

import { performance } from "node:perf_hooks";
import { type Kernels, Rng } from "@infomorph/core";
import type { MatmulOp } from "@infomorph/core/kernels";

/** One benchmarked product. */
export interface KernelBenchResult {
  /** Which implementation ran. */
  readonly kernels: Kernels["name"];
  readonly op: MatmulOp;
  /** What the shape is in a training step. */
  readonly label: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** 2·m·k·n / fastest call, GFLOP/s: the least disturbed by other load on the machine. */
  readonly gflops: number;
  /** 2·m·k·n / median call, GFLOP/s. */
  readonly medianGflops: number;
  /** Median milliseconds per call. */
  readonly msPerCall: number;
  /** Calls timed. */
  readonly calls: number;
}

export interface KernelBenchOptions {
  /** Seconds of timed calls per shape (after 2 warm-up calls). Default 1. */
  readonly seconds?: number;
}

const SHAPES: readonly { op: MatmulOp; label: string; m: number; k: number; n: number }[] = [
  {
    op: "matmulABt",
    label: "forward X·Wᵀ (batch 1024, 784 inputs, 100 neurons)",
    m: 1024,
    k: 784,
    n: 100,
  },
  {
    op: "matmulAtB",
    label: "weight gradient Dᵀ·X (100 neurons, batch 1024, 784 inputs)",
    m: 100,
    k: 1024,
    n: 784,
  },
  {
    op: "matmulABt",
    label: "forward hidden→100 (batch 1024, 100 inputs, 100 neurons)",
    m: 1024,
    k: 100,
    n: 100,
  },
];

/**
 * Times each product single-threaded on arrays from kernels.alloc() (so wasm
 * copies nothing) filled with seeded uniform values. Allocates about 5 MB from
 * the kernels' arena per call of kernelBench, which is not returned.
 * Never asserts; callers print the results with os.loadavg().
 *
 * @example for (const r of kernelBench(await pickKernels())) console.log(JSON.stringify(r));
 */
export function kernelBench(
  kernels: Kernels,
  options: KernelBenchOptions = {},
): KernelBenchResult[] {
  const seconds = options.seconds ?? 1;
  const rng = new Rng(1);
  return SHAPES.map(({ op, label, m, k, n }) => {
    const a = kernels.alloc(m * k);
    const b = kernels.alloc(k * n);
    const out = kernels.alloc(m * n);
    const bias = op === "matmulABt" ? kernels.alloc(n) : null;
    for (const array of [a, b, bias ?? a]) {
      for (let i = 0; i < array.length; i++) array[i] = 2 * rng.uniform() - 1;
    }
    const call =
      op === "matmulABt"
        ? () => kernels.matmulABt(a, b, out, m, k, n, bias)
        : () => kernels.matmulAtB(a, b, out, m, k, n);
    call();
    call();
    const times: number[] = [];
    const start = performance.now();
    while (times.length < 3 || performance.now() - start < seconds * 1000) {
      const t0 = performance.now();
      call();
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    const flop = 2 * m * k * n;
    const median = times[Math.floor(times.length / 2)];
    return {
      kernels: kernels.name,
      op,
      label,
      m,
      k,
      n,
      gflops: flop / times[0] / 1e6,
      medianGflops: flop / median / 1e6,
      msPerCall: median,
      calls: times.length,
    };
  });
}
