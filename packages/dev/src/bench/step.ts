/**
 * `npm run bench -- step`: where a training step's time goes. One JSON line per
 * configuration and thread count: the training batch times, and the mean milliseconds per
 * batch spent in each Kernels method (the products, the PID, the elementwise kernels), the
 * rest being the layer's and network's own JavaScript.
 */

import { type Kernels, createModel, presetConfig } from "@infomorph/core";
import { defaultThreads, pickThreadedKernels } from "infomorph/workers";
import { loadData } from "./epoch.js";
import type { Emit } from "./lines.js";
import { round } from "./stats.js";

const BATCH = 1024;

const CONFIGURATIONS = [
  { preset: "trivariate", hidden: 100, batches: 40 },
  { preset: "trivariate-sparse", hidden: 2000, batches: 6 },
];

/** Methods that allocate or set up rather than compute. */
const NOT_TIMED = new Set(["alloc", "allocFloat64", "allocBytes", "close", "sparsePattern"]);

/** Wraps every computing method of `kernels` so that its wall time adds up in `spent`. */
function timed(kernels: Kernels, spent: Map<string, number>): Kernels {
  const wrapped: Record<string, unknown> = { ...kernels };
  for (const [name, value] of Object.entries(kernels)) {
    if (typeof value !== "function" || NOT_TIMED.has(name)) continue;
    wrapped[name] = (...args: unknown[]) => {
      const start = performance.now();
      try {
        return value.apply(kernels, args);
      } finally {
        spent.set(name, (spent.get(name) ?? 0) + performance.now() - start);
      }
    };
  }
  return wrapped as unknown as Kernels;
}

export async function benchStep(emit: Emit): Promise<void> {
  const { data, label } = await loadData();
  const { train } = data;
  const counts = defaultThreads() > 1 ? [1, defaultThreads()] : [1];
  for (const c of CONFIGURATIONS) {
    for (const threads of counts) {
      const kernels = await pickThreadedKernels({ memoryMiB: 1024, threads });
      try {
        const spent = new Map<string, number>();
        const config = presetConfig(c.preset, {
          hidden: c.hidden,
          inputs: train.dim,
          classes: train.classes,
        });
        const model = createModel(config, BATCH, timed(kernels, spent), 1);
        const x = model.allocInput(BATCH * train.dim);
        const labels = new Uint8Array(BATCH);
        const times: number[] = [];
        for (let b = 0; b <= c.batches; b++) {
          for (let i = 0; i < BATCH; i++) {
            const row = (b * BATCH + i) % train.count;
            x.set(train.features.subarray(row * train.dim, (row + 1) * train.dim), i * train.dim);
            labels[i] = train.labels[row];
          }
          if (b === 1) spent.clear(); // batch 0 warms up
          const start = performance.now();
          model.trainBatch(x, labels, BATCH);
          if (b > 0) times.push(performance.now() - start);
        }
        const perBatch = (ms: number) => round(ms / c.batches, 2);
        const kernelMs = Object.fromEntries(
          [...spent.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, perBatch(v)]),
        );
        const inKernels = [...spent.values()].reduce((s, v) => s + v, 0);
        const total = times.reduce((s, v) => s + v, 0);
        emit({
          bench: "step",
          case: `${c.preset} N=${c.hidden}, batch ${BATCH}, ${kernels.threads} thread${kernels.threads > 1 ? "s" : ""}`,
          times,
          data: label,
          threads: kernels.threads,
          meanBatchMs: perBatch(total),
          kernelMs,
          otherMs: perBatch(total - inKernels),
          note: "kernelMs: mean ms per training batch inside each Kernels method; otherMs: the rest (layer and network JavaScript)",
        });
      } finally {
        kernels.close();
      }
    }
  }
}
