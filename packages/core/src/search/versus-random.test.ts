import { describe, expect, it } from "vitest";
import {
  type TestFunction,
  branin,
  hartmann6,
  rosenbrock,
  sphere,
} from "../../testing/functions.js";
import { CmaEsSampler } from "./cmaes.js";
import { RandomSampler } from "./random.js";
import type { Sampler } from "./sampler.js";
import { type SearchSpace, searchSpace } from "./space.js";
import { TpeSampler } from "./tpe.js";

/**
 * Each sampler against random search at equal budget, over 20 seeds: the median regret
 * (best value found − the known minimum) must be at most half of random search's. Measured
 * when this test was written (median regrets over seeds 1–20):
 *
 * | function (budget)  | random | TPE   | TPE multivariate | CMA-ES | TPE without a split |
 * |--------------------|--------|-------|------------------|--------|---------------------|
 * | sphere 5-D (100)   | 7.43   | 0.675 | 0.776            | 0.126  | 19.3                |
 * | Rosenbrock 4-D (100)| 34.9  | 4.49  | 5.30             | 3.29   | 160                 |
 * | Branin (60)        | 0.556  | 0.151 | 0.0830           | 0.131  | 3.46                |
 * | Hartmann-6 (100)   | 1.43   | 0.314 | 0.282            | 0.247  | 2.37                |
 *
 * So the margin (× 0.5) is met with room (the samplers are 2–60× better), and a TPE whose
 * below/above split is broken (every trial "below": γ(n) = n, so g is the prior alone and
 * TPE only samples near past points, good or bad) fails it on every function: the test can fail.
 */
const CASES: [string, TestFunction, number][] = (
  [
    [sphere(5), 100],
    [rosenbrock(4), 100],
    [branin, 60],
    [hartmann6, 100],
  ] as const
).map(([fn, budget]) => [fn.name, fn, budget]);
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const MARGIN = 0.5;

type Make = (space: SearchSpace, seed: number) => Sampler;

function medianRegret(fn: TestFunction, budget: number, make: Make): number {
  const space = searchSpace(
    Object.fromEntries(fn.bounds.map(([low, high], i) => [`x${i}`, { low, high }])),
  );
  const regrets = SEEDS.map((seed) => {
    const sampler = make(space, seed);
    let best = Number.POSITIVE_INFINITY;
    for (let t = 0; t < budget; t++) {
      const trial = sampler.ask();
      const value = fn.f(space.free.map((name) => trial.params[name]));
      best = Math.min(best, value);
      sampler.tell(trial.id, value);
    }
    return best - fn.minimum;
  });
  regrets.sort((a, b) => a - b);
  return (regrets[9] + regrets[10]) / 2;
}

const random = new Map(
  CASES.map(([, fn, budget]) => [
    fn.name,
    medianRegret(fn, budget, (space, seed) => new RandomSampler(space, { seed })),
  ]),
);

const SAMPLERS: [string, Make][] = [
  ["TPE", (space, seed) => new TpeSampler(space, { seed })],
  ["TPE multivariate", (space, seed) => new TpeSampler(space, { seed, multivariate: true })],
  ["CMA-ES", (space, seed) => new CmaEsSampler(space, { seed })],
];

describe.each(SAMPLERS)("%s beats random search at equal budget", (_, make) => {
  it.each(CASES)("on %s", (_, fn, budget) => {
    const regret = medianRegret(fn, budget, make);
    const baseline = random.get(fn.name) ?? Number.NaN;
    expect(regret, `median regret ${regret} vs random ${baseline}`).toBeLessThanOrEqual(
      MARGIN * baseline,
    );
  });
});

describe("a TPE without its below/above split", () => {
  it.each(CASES)("fails the same test on %s", (_, fn, budget) => {
    const broken = medianRegret(
      fn,
      budget,
      (space, seed) => new TpeSampler(space, { seed, multivariate: true, gamma: (n) => n }),
    );
    expect(broken).toBeGreaterThan(MARGIN * (random.get(fn.name) ?? Number.NaN));
  });
});

describe("the test functions", () => {
  it.each(CASES)("%s attains its known minimum at its argmin", (_, fn) => {
    expect(fn.f(fn.argmin)).toBeCloseTo(fn.minimum, 5);
    // and nothing on a coarse grid of its box is lower
    const dims = fn.bounds.length;
    const steps = dims <= 2 ? 60 : 4;
    const index = new Array(dims).fill(0);
    let lowest = Number.POSITIVE_INFINITY;
    for (;;) {
      const x = index.map(
        (k, d) => fn.bounds[d][0] + ((fn.bounds[d][1] - fn.bounds[d][0]) * k) / steps,
      );
      lowest = Math.min(lowest, fn.f(x));
      let d = 0;
      while (d < dims && ++index[d] > steps) index[d++] = 0;
      if (d === dims) break;
    }
    expect(lowest).toBeGreaterThanOrEqual(fn.minimum - 1e-6);
  });
});
