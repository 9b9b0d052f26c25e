/**
 * `npm run bench -- epoch`: seconds per MNIST training epoch (batch 1024) and per evaluation
 * pass, and peak RSS, for the ICLR network sizes. Every case runs in a fresh child process
 * (this file is also that child's entry point), so its peak RSS is its own.
 */

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import {
  type Kernels,
  type Model,
  PidEstimator,
  Rng,
  createModel,
  evaluate,
  pickKernels,
  presetConfig,
} from "@infomorph/core";
import { type DatasetSplits, loadDataset } from "infomorph/data";
import { isEntryPoint } from "infomorph/entry-point";
import { pickThreadedKernels } from "infomorph/workers";
import { benchKernels } from "./kernels.js";
import type { Emit } from "./lines.js";
import { median, round } from "./stats.js";

const BATCH = 1024;

/** One measured configuration. */
export interface EpochCase {
  preset: string;
  hidden: number;
  /** Training batches timed after one untimed warm-up batch; the epoch time is extrapolated from them. */
  batches: number;
  /** Kernel threads, the calling one included. */
  threads: number;
}

const CONFIGURATIONS = [
  { preset: "bivariate-context", hidden: 100, batches: 24 },
  { preset: "trivariate", hidden: 100, batches: 24 },
  { preset: "trivariate", hidden: 500, batches: 8 },
  { preset: "trivariate-sparse", hidden: 2000, batches: 4 },
];

/** Every configuration on one thread and on every core (when there is more than one). */
export function epochCases(cores: number = availableParallelism()): EpochCase[] {
  const counts = cores > 1 ? [1, cores] : [1];
  return CONFIGURATIONS.flatMap((c) => counts.map((threads) => ({ ...c, threads })));
}

/** The repository's ../shared/data/mnist, when it holds the MNIST files. */
function sharedMnist(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  // packages/dev/dist/bench → repository root → ../shared/data/mnist
  const dir = resolve(here, "../../../../../shared/data/mnist");
  return existsSync(resolve(dir, "train-images-idx3-ubyte.gz")) ? dir : null;
}

export async function loadData(): Promise<{ data: DatasetSplits; label: string }> {
  const dir = sharedMnist();
  if (dir) {
    const data = await loadDataset({ dataset: "mnist", dataDir: dir, seed: 1, env: {} });
    return { data, label: `mnist (${dir})` };
  }
  const data = await loadDataset({ dataset: "embedded", seed: 1, env: {} });
  return { data, label: "embedded digits (../shared/data/mnist not found)" };
}

/** Everything a child reports for one case. */
interface CaseResult {
  batchMs: number[];
  data: string;
  trainSamples: number;
  evaluationSamples: number;
  evaluationSeconds: number;
  kernels: string;
  threads: number;
  pidEngine: string;
  peakRssMiB: number;
  /** FNV-1a of every parameter and optimizer byte after the timed batches: equal for any thread count. */
  stateHash: string;
  /** The machine's speed just before the case: see speedProbe(). */
  probeGflops: number;
}

/** Runs one case in this process (the child side). */
async function runCase(spec: EpochCase): Promise<CaseResult> {
  const { data, label } = await loadData();
  const { train, validation } = data;
  const kernels = await pickThreadedKernels({ memoryMiB: 1024, threads: spec.threads });
  const config = presetConfig(spec.preset, {
    hidden: spec.hidden,
    inputs: train.dim,
    classes: train.classes,
  });
  const model: Model = createModel(config, BATCH, kernels, 1);
  const x = model.allocInput(BATCH * train.dim);
  const labels = new Uint8Array(BATCH);
  const order = new Rng(7).permutation(train.count);
  const probeGflops = speedProbe(await pickKernels({ memoryMiB: 16 }));
  const batchMs: number[] = [];
  for (let b = 0; b <= spec.batches; b++) {
    const from = (b * BATCH) % Math.max(1, train.count - BATCH + 1);
    const count = Math.min(BATCH, train.count - from);
    for (let i = 0; i < count; i++) {
      const row = order[from + i];
      x.set(train.features.subarray(row * train.dim, (row + 1) * train.dim), i * train.dim);
      labels[i] = train.labels[row];
    }
    const start = performance.now();
    model.trainBatch(x, labels, count);
    if (b > 0) batchMs.push(performance.now() - start); // batch 0 warms up
  }
  const stateHash = hashState(model.state());
  model.endEpoch();
  const start = performance.now();
  evaluate(model, validation);
  const evaluationSeconds = (performance.now() - start) / 1000;
  // What the layers' estimators run on (they are created with the default engine).
  const pidEngine = new PidEstimator({
    sources: 3,
    bins: 20,
    batch: BATCH,
    gamma: new Float64Array(19),
  }).engine;
  return {
    batchMs,
    data: label,
    trainSamples: train.count,
    evaluationSamples: validation.count,
    evaluationSeconds,
    kernels: kernels.name,
    threads: kernels.threads,
    pidEngine,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    stateHash,
    probeGflops,
  };
}

/**
 * The calling thread's speed right now: GFLOP/s of the forward product 1024×784×100, best of
 * 20. Shared hosts change speed from minute to minute; this puts a number on it per case.
 */
function speedProbe(kernels: Kernels): number {
  const [m, k, n] = [1024, 784, 100];
  const a = kernels.alloc(m * k).fill(0.5);
  const b = kernels.alloc(n * k).fill(0.25);
  const out = kernels.alloc(m * n);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 20; r++) {
    const start = performance.now();
    kernels.matmulABt(a, b, out, m, k, n);
    best = Math.min(best, performance.now() - start);
  }
  return Math.round((2 * m * k * n) / best / 1e5) / 10;
}

/** FNV-1a (32-bit) over every typed array's bytes and every number of a model state, in key order. */
function hashState(state: unknown): string {
  let h = 0x811c9dc5;
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) {
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
    } else if (typeof v === "number" || typeof v === "string") {
      for (const c of String(v)) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
    } else if (Array.isArray(v)) {
      for (const item of v) visit(item);
    } else if (v !== null && typeof v === "object") {
      for (const key of Object.keys(v).sort()) visit((v as Record<string, unknown>)[key]);
    }
  };
  visit(state);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Every case, each in a fresh child process; one JSON line per case; then the products' GFLOP/s. */
export async function benchEpoch(emit: Emit): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  for (const spec of epochCases()) {
    const out = execFileSync(process.execPath, [self, JSON.stringify(spec)], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as CaseResult;
    const batchesPerEpoch = Math.ceil(r.trainSamples / BATCH);
    const meanMs = r.batchMs.reduce((s, v) => s + v, 0) / r.batchMs.length;
    emit({
      bench: "epoch",
      case: `${spec.preset} N=${spec.hidden}, MNIST batch ${BATCH}, ${spec.threads} thread${spec.threads > 1 ? "s" : ""}`,
      times: r.batchMs,
      preset: spec.preset,
      hidden: spec.hidden,
      batch: BATCH,
      data: r.data,
      trainSamples: r.trainSamples,
      batchesPerEpoch,
      batchesTimed: r.batchMs.length,
      secondsPerEpoch: round((meanMs * batchesPerEpoch) / 1000, 3),
      secondsPerEpochFromMedian: round((median(r.batchMs) * batchesPerEpoch) / 1000, 3),
      epochNote: `extrapolated: mean (and median) of ${r.batchMs.length} timed training batches (after 1 warm-up) × ${batchesPerEpoch} batches; excludes evaluation`,
      secondsPerEvaluation: round(r.evaluationSeconds, 3),
      evaluationSamples: r.evaluationSamples,
      evaluationNote: "one full pass over the validation split (predict + argmax), measured",
      peakRssMiB: r.peakRssMiB,
      kernels: r.kernels,
      threads: r.threads,
      pidEngine: r.pidEngine,
      stateHash: r.stateHash,
      probeGflops: r.probeGflops,
      probeNote:
        "GFLOP/s of one 1024×784×100 product on the calling thread just before the case (best of 20); ≈ 37 on a quiet Zen 4 core, lower when the host is busy",
    });
  }
  await benchKernels(emit);
}

if (isEntryPoint(import.meta.url)) {
  runCase(JSON.parse(process.argv[2]) as EpochCase).then((result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });
}
