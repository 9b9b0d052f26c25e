import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { type SamplerConfig, createSampler } from "./create-sampler.js";
import { type Sampler, type TrialEvent, replay } from "./sampler.js";
import { searchSpace } from "./space.js";

const SPACE = searchSpace({
  x: { low: -5, high: 5 },
  fixed: { fixed: 0.25 },
  y: { low: 0, high: 1 },
  z: { low: -1, high: 3 },
});
const f = (p: Readonly<Record<string, number>>) => (p.x - 1) ** 2 + (p.y - 0.3) ** 2 + p.z ** 2;

const CONFIGS: SamplerConfig[] = [
  { kind: "random", seed: 7 },
  { kind: "halton", seed: 7 },
  { kind: "tpe", seed: 7, nStartupTrials: 5 },
  { kind: "tpe", seed: 7, nStartupTrials: 5, multivariate: true, constantLiar: true },
  { kind: "tpe", seed: 7, nStartupTrials: 5, startup: "halton", direction: "maximize" },
  { kind: "cmaes", seed: 7 },
  { kind: "cmaes", seed: 7, restarts: "ipop", populationSize: 4, direction: "maximize" },
];

/**
 * An asynchronous study: up to 3 trials outstanding, told in a random order, 1 in 8 failed;
 * `steps` asks. Returns the trial log.
 */
function asynchronousStudy(sampler: Sampler, steps: number, driverSeed = 99): TrialEvent[] {
  const driver = new Rng(driverSeed);
  const events: TrialEvent[] = [];
  const outstanding: { id: number; value: number }[] = [];
  let asked = 0;
  while (asked < steps || outstanding.length > 0) {
    if (
      asked < steps &&
      (outstanding.length === 0 || (outstanding.length < 3 && driver.uniform() < 0.6))
    ) {
      const trial = sampler.ask();
      asked++;
      events.push({ ask: trial.id, params: trial.params });
      outstanding.push({ id: trial.id, value: f(trial.params) });
    } else {
      const [done] = outstanding.splice(driver.int(outstanding.length), 1);
      const result = driver.uniform() < 0.125 ? "failed" : done.value;
      sampler.tell(done.id, result);
      events.push({ tell: done.id, result });
    }
  }
  return events;
}

describe.each(CONFIGS.map((c) => [JSON.stringify(c), c] as const))("%s", (_, config) => {
  it("asks points inside the space with fixed values kept, ids in ask order", () => {
    const events = asynchronousStudy(createSampler(SPACE, config), 30);
    const asks = events.filter((e) => "ask" in e);
    expect(asks.map((e) => e.ask)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    for (const { params } of asks) {
      expect(Object.keys(params)).toEqual(["x", "fixed", "y", "z"]);
      expect(params.fixed).toBe(0.25);
      for (const name of SPACE.free) {
        const j = SPACE.free.indexOf(name);
        expect(params[name]).toBeGreaterThanOrEqual(SPACE.low[j]);
        expect(params[name]).toBeLessThanOrEqual(SPACE.high[j]);
      }
    }
  });

  it("replays its trial log exactly and then suggests the same next points", () => {
    const original = createSampler(SPACE, config);
    const log = asynchronousStudy(original, 40);
    const resumed = createSampler(SPACE, config);
    replay(resumed, JSON.parse(JSON.stringify(log)) as TrialEvent[]);
    // continue both with the same further asynchronous history
    const next = asynchronousStudy(original, 12, 5);
    const again = asynchronousStudy(resumed, 12, 5);
    expect(again).toEqual(next);
  });

  it("rejects a log written by another seed", () => {
    const log = asynchronousStudy(createSampler(SPACE, config), 20);
    const other = createSampler(SPACE, { ...config, seed: 8 });
    expect(() => replay(other, log)).toThrow(
      "replaying the trial log, ask 0 gave trial 0 with other parameters than the log holds; the log was written with another sampler, seed or version.",
    );
  });
});

describe("direction", () => {
  it.each(CONFIGS.filter((c) => c.kind === "tpe" || c.kind === "cmaes"))(
    "maximising f asks what minimising −f asks (%o)",
    (config) => {
      const up = createSampler(SPACE, { ...config, direction: "maximize" });
      const down = createSampler(SPACE, { ...config, direction: "minimize" });
      for (let i = 0; i < 40; i++) {
        const a = up.ask();
        const b = down.ask();
        expect(a).toEqual(b);
        up.tell(a.id, -f(a.params));
        down.tell(b.id, f(b.params));
      }
    },
  );
});

describe("telling", () => {
  it("rejects unknown ids, second tells and values that are not finite", () => {
    const sampler = createSampler(SPACE, { kind: "random", seed: 1 });
    const { id } = sampler.ask();
    expect(() => sampler.tell(3, 1)).toThrow(
      "trial 3 was never asked (trials 0…0 were). Tell only ids that ask() returned.",
    );
    expect(() => sampler.tell(id, Number.NaN)).toThrow(
      'the value of trial 0 is NaN; tell a finite number, or "failed" for a trial that gave none.',
    );
    sampler.tell(id, "failed");
    expect(() => sampler.tell(id, 1)).toThrow(
      "trial 0 was already told (failed); tell each trial once.",
    );
  });
});

describe("createSampler", () => {
  it("rejects unknown kinds and options, listing the valid ones", () => {
    expect(() => createSampler(SPACE, { kind: "bayes", seed: 1 } as never)).toThrow(
      'unknown sampler "bayes"; choose one of random, halton, tpe, cmaes.',
    );
    expect(() => createSampler(SPACE, { kind: "tpe", seed: 1, nStartupTrial: 5 } as never)).toThrow(
      'the tpe sampler has no option "nStartupTrial"; its options: seed, direction, nStartupTrials, nEiCandidates, multivariate, priorWeight, considerMagicClip, considerEndpoints, constantLiar, startup.',
    );
    expect(() => createSampler(SPACE, { kind: "tpe", seed: 1, nEiCandidates: 0 })).toThrow(
      "nEiCandidates must be an integer ≥ 1 (got 0).",
    );
    expect(() => createSampler(SPACE, { kind: "cmaes", seed: 1, sigma0: 0 })).toThrow(
      "sigma0 is a fraction of each parameter's range and must be > 0 (got 0); Optuna's default is 1/6.",
    );
    expect(() => createSampler(SPACE, { kind: "random", seed: -1 })).toThrow(
      "seed must be a non-negative integer (got -1).",
    );
    expect(() =>
      createSampler(SPACE, { kind: "random", seed: 1, direction: "up" as never }),
    ).toThrow('direction must be "minimize" or "maximize" (got "up").');
  });
});
