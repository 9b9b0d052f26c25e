import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type EstimatorConfig, PidEstimator, Rng, estimatorOutput, lattice } from "@infomorph/core";
import { afterAll, describe, expect, it } from "vitest";
import { PidPool } from "./pool.js";

// Workers run the compiled script (plain Node cannot load the .ts sources): after a build.
const workerUrl = new URL("../../dist/workers/pid-worker.js", import.meta.url);
const built = existsSync(fileURLToPath(workerUrl));

function batch(sources: 2 | 3, neurons: number, B: number, seed: number) {
  const rng = new Rng(seed);
  const binIndex = Uint8Array.from({ length: neurons * B * sources }, () => rng.int(20));
  const theta = Float32Array.from({ length: neurons * B }, () => {
    const u = rng.uniform();
    return u < 0.1 ? 0 : u > 0.9 ? 1 : rng.uniform();
  });
  const gamma = Float64Array.from(
    { length: lattice(sources).size + 1 },
    () => 2 * rng.uniform() - 1,
  );
  return { binIndex, theta, gamma };
}

describe.runIf(built)("PidPool (worker_threads)", () => {
  const pools: PidPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it.each([2, 3] as const)(
    "n=%i: 1 and 2 threads give the same bits as PidEstimator.run, odd sizes too",
    async (sources) => {
      for (const [neurons, B] of [
        [37, 101],
        [64, 256],
      ]) {
        const { binIndex, theta, gamma } = batch(sources, neurons, B, 10 + neurons);
        const config: EstimatorConfig = { sources, bins: 20, batch: B, gamma };
        const direct = estimatorOutput(config, neurons);
        new PidEstimator(config).run({ neurons, binIndex, theta }, direct);
        const results = [];
        for (const threads of [1, 2]) {
          const pool = await PidPool.create(config, {
            threads,
            capacity: neurons,
            minWorkPerThread: 1,
            workerUrl,
          });
          pools.push(pool);
          const out = estimatorOutput(config, neurons);
          await pool.run({ neurons, binIndex, theta }, out);
          expect(pool.lastThreads).toBe(threads);
          results.push(out);
        }
        for (const out of results) {
          for (const key of ["goal", "atoms", "hRes", "gradient"] as const) {
            expect(Array.from(out[key]), key).toEqual(Array.from(direct[key]));
          }
        }
      }
    },
  );

  it("uses only the calling thread below the work threshold", async () => {
    const { binIndex, theta, gamma } = batch(3, 10, 64, 3);
    const config: EstimatorConfig = { sources: 3, bins: 20, batch: 64, gamma };
    const pool = await PidPool.create(config, { threads: 2, capacity: 10, workerUrl });
    pools.push(pool);
    await pool.run({ neurons: 10, binIndex, theta }, estimatorOutput(config, 10));
    expect(pool.lastThreads).toBe(1);
    expect(pool.threadsFor(200, 1024)).toBe(2);
  });

  it("reports an estimator error from a worker", async () => {
    const { binIndex, theta, gamma } = batch(3, 8, 16, 4);
    binIndex[binIndex.length - 1] = 200; // a bad bin in the worker's range
    const config: EstimatorConfig = { sources: 3, bins: 20, batch: 16, gamma };
    const pool = await PidPool.create(config, {
      threads: 2,
      capacity: 8,
      minWorkPerThread: 1,
      workerUrl,
    });
    pools.push(pool);
    await expect(
      pool.run({ neurons: 8, binIndex, theta }, estimatorOutput(config, 8)),
    ).rejects.toThrow(/bin index 200/);
  });
});
