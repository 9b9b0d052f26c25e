/** The PID engine benchmark: pidOfTable on a sparse 3-source table, PidEstimator value + gradient per layer, and building the 4- and 5-source lattices. */

import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import {
  PidEstimator,
  Rng,
  estimatorOutput,
  lattice,
  namedGoal,
  pidOfTable,
} from "@infomorph/core";
import { pickThreadedKernels } from "infomorph/workers";
import type { Emit } from "./lines.js";
import { median, round } from "./stats.js";

/** Bins per source, as in the papers. */
const BINS = 20;
/** Samples per batch, as in the papers. */
const BATCH = 1024;
/** Spread of the "concentrated" bin distribution, in bins (rounded normal around the middle). */
const CONCENTRATED_SIGMA = 3;

/** Time `run` `repeats` times after `warmup` untimed runs; milliseconds per run. */
function time(run: () => void, repeats: number, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times;
}

/** A bin index in 0…BINS−1: uniform, or a rounded normal around the middle, clamped. */
function drawBin(rng: Rng, distribution: "uniform" | "concentrated"): number {
  if (distribution === "uniform") return rng.int(BINS);
  const bin = Math.round((BINS - 1) / 2 + CONCENTRATED_SIGMA * rng.normal());
  return Math.min(BINS - 1, Math.max(0, bin));
}

/** (a) pidOfTable of a 20×20×20×2 table holding the histogram of 1024 seeded samples. */
function benchTable(emit: Emit): void {
  const shape = [BINS, BINS, BINS, 2];
  const counts = new Float64Array(BINS ** 3 * 2);
  const rng = new Rng(1);
  for (let k = 0; k < BATCH; k++) {
    const [a, b, c] = [rng.int(BINS), rng.int(BINS), rng.int(BINS)];
    const t = rng.uniform() < 0.5 ? 1 : 0;
    counts[((a * BINS + b) * BINS + c) * 2 + t] += 1;
  }
  const occupied = counts.reduce((m, v) => m + (v > 0 ? 1 : 0), 0);
  const times = time(() => pidOfTable(counts, shape, { normalize: true }), 15, 2);
  emit({
    bench: "pid",
    case: "pidOfTable 3 sources 20x20x20x2, 1024 samples",
    times,
    occupiedCells: occupied,
    reference: "SxPID (authors' Python) ≈ 1100 ms",
  });
}

/** (b) PidEstimator.run (goal, atoms, H_res and ∂G/∂θ) for one layer and batch. */
function benchEstimator(
  emit: Emit,
  sources: 2 | 3,
  neurons: number,
  distribution: "uniform" | "concentrated",
  engine: "auto" | "typescript" = "auto",
): void {
  const g = namedGoal(sources === 3 ? "trivariate-opt1" : "bivariate-context-opt1");
  const config = { sources, bins: BINS, batch: BATCH, gamma: g.gamma, engine };
  const estimator = new PidEstimator(config);
  const output = estimatorOutput(config, neurons);
  const rng = new Rng(2);
  const binIndex = new Uint8Array(neurons * BATCH * sources).map(() => drawBin(rng, distribution));
  const theta = new Float32Array(neurons * BATCH).map(() => rng.uniform());
  // Occupied joint cells of neuron 0: the size of the sparse problem.
  const cells = new Set<number>();
  for (let i = 0; i < BATCH; i++) {
    let key = 0;
    for (let j = 0; j < sources; j++) key = key * BINS + binIndex[i * sources + j];
    cells.add(key);
  }
  const repeats = neurons >= 1000 ? 5 : 15;
  const times = time(() => estimator.run({ neurons, binIndex, theta }, output), repeats);
  emit({
    bench: "pid",
    case: `PidEstimator n=${sources} ${neurons} neurons x ${BATCH} samples, ${distribution}, ${estimator.engine}`,
    times,
    engine: estimator.engine,
    sources,
    neurons,
    samples: BATCH,
    bins: BINS,
    distribution,
    goal: sources === 3 ? "trivariate-opt1" : "bivariate-context-opt1",
    occupiedCellsNeuron0: cells.size,
    msPer100Neurons: round((median(times) * 100) / neurons),
  });
}

/**
 * (c) lattice(n) built from nothing. The lattice module caches per n, so every repeat
 * runs in a fresh child process that times only the call (not start-up or import).
 */
function benchLattice(emit: Emit, n: 4 | 5, repeats: number): void {
  const core = import.meta.resolve("@infomorph/core");
  const script =
    `const { lattice } = await import(${JSON.stringify(core)});` +
    `const t = performance.now(); lattice(${n}); console.log(performance.now() - t);`;
  const times = Array.from({ length: repeats }, () =>
    Number(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }),
    ),
  );
  emit({
    bench: "pid",
    case: `lattice(${n}) first build, fresh process`,
    times,
    antichains: lattice(n).size,
  });
}

/**
 * (d) Kernels.runPid on 1 and 2 threads: the n = 3 estimator split over neurons across worker
 * threads that share the kernels' memory (what training uses).
 */
async function benchThreads(emit: Emit, neurons: number): Promise<void> {
  const g = namedGoal("trivariate-opt1");
  const config = { sources: 3, bins: BINS, batch: BATCH, gamma: g.gamma };
  for (const threads of [1, 2]) {
    const kernels = await pickThreadedKernels({ threads, memoryMiB: 256 });
    try {
      const estimator = new PidEstimator(config);
      const rng = new Rng(2);
      const binIndex = kernels.allocBytes(neurons * BATCH * 3);
      binIndex.forEach((_, i) => {
        binIndex[i] = rng.int(BINS);
      });
      const theta = kernels.alloc(neurons * BATCH);
      theta.forEach((_, i) => {
        theta[i] = rng.uniform();
      });
      const size = estimator.lattice.size;
      const output = {
        goal: kernels.allocFloat64(neurons),
        atoms: kernels.allocFloat64(neurons * size),
        hRes: kernels.allocFloat64(neurons),
        gradient: kernels.allocFloat64(neurons * BATCH),
      };
      const times = time(() => kernels.runPid(estimator, { neurons, binIndex, theta }, output), 9);
      emit({
        bench: "pid",
        case: `Kernels.runPid n=3 ${neurons} neurons x ${BATCH} samples, uniform, ${kernels.threads} thread(s)`,
        times,
        threads: kernels.threads,
        neurons,
        msPer100Neurons: round((median(times) * 100) / neurons),
      });
    } finally {
      kernels.close();
    }
  }
}

/** Every case of the PID benchmark, cheapest first. */
export async function benchPid(emit: Emit): Promise<void> {
  benchTable(emit);
  for (const distribution of ["concentrated", "uniform"] as const) {
    for (const sources of [2, 3] as const) {
      for (const neurons of [100, 1000]) benchEstimator(emit, sources, neurons, distribution);
      // The TypeScript estimator, the fallback where WebAssembly is missing (same results).
      benchEstimator(emit, sources, 100, distribution, "typescript");
    }
  }
  for (const neurons of [100, 1000]) await benchThreads(emit, neurons);
  benchLattice(emit, 4, 5);
  benchLattice(emit, 5, 3);
}
