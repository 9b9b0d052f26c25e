import { describe, expect, it } from "vitest";
import { RandomSampler } from "./random.js";
import { searchSpace } from "./space.js";
import { TpeSampler, optunaGamma, optunaWeights } from "./tpe.js";

const SPACE = searchSpace({ x: { low: 0, high: 1 }, y: { low: -2, high: 2 } });
const f = (p: Readonly<Record<string, number>>) => (p.x - 0.3) ** 2 + (p.y - 1) ** 2;

describe("Optuna's defaults", () => {
  it("γ(n) = min(⌈0.1·n⌉, 25)", () => {
    expect([0, 1, 10, 11, 100, 101, 240, 250, 251, 1000].map(optunaGamma)).toEqual([
      0, 1, 1, 2, 10, 11, 24, 25, 25, 25,
    ]);
  });

  it("weights: ones below 25 trials, then a ramp from 1/n over the oldest n − 25", () => {
    expect([...optunaWeights(3)]).toEqual([1, 1, 1]);
    expect([...optunaWeights(25)]).toEqual(new Array(25).fill(1));
    expect([...optunaWeights(26)]).toEqual([1 / 26, ...new Array(25).fill(1)]);
    // numpy.linspace(1/30, 1, 5), then 25 ones
    const w = optunaWeights(30);
    [1 / 30, 0.275, 0.5166666666666667, 0.7583333333333333, 1].forEach((v, i) =>
      expect(w[i]).toBeCloseTo(v, 15),
    );
    expect([...w.subarray(5)]).toEqual(new Array(25).fill(1));
  });
});

describe("TpeSampler", () => {
  it("starts with exactly random search until nStartupTrials trials are complete; failed and running ones do not count", () => {
    const tpe = new TpeSampler(SPACE, { seed: 3, nStartupTrials: 5 });
    const random = new RandomSampler(SPACE, { seed: 3 });
    // 4 failed, then 3 asked at once (running), then 5 completed: all random
    for (let i = 0; i < 4; i++) {
      const t = tpe.ask();
      expect(t).toEqual(random.ask());
      tpe.tell(t.id, "failed");
    }
    const running = [tpe.ask(), tpe.ask(), tpe.ask()];
    for (const t of running) expect(t).toEqual(random.ask());
    for (const t of running) tpe.tell(t.id, f(t.params));
    for (let i = 0; i < 2; i++) {
      const t = tpe.ask();
      expect(t).toEqual(random.ask());
      tpe.tell(t.id, f(t.params));
    }
    // 5 complete: the next ask is TPE's
    expect(tpe.ask().params).not.toEqual(random.ask().params);
  });

  it("with constantLiar, spreads the asks of parallel workers instead of repeating one guess", () => {
    // 8 asks in a row without a tell, after a 20-trial start: the mean distance between
    // the asked points, averaged over 10 seeds.
    const spread = (constantLiar: boolean) => {
      let total = 0;
      for (let seed = 1; seed <= 10; seed++) {
        const tpe = new TpeSampler(SPACE, {
          seed,
          nStartupTrials: 20,
          multivariate: true,
          constantLiar,
        });
        for (let i = 0; i < 20; i++) {
          const t = tpe.ask();
          tpe.tell(t.id, f(t.params));
        }
        const asked = Array.from({ length: 8 }, () => tpe.ask().params);
        let sum = 0;
        let pairs = 0;
        for (let i = 0; i < 8; i++) {
          for (let j = i + 1; j < 8; j++) {
            sum += Math.hypot(asked[i].x - asked[j].x, (asked[i].y - asked[j].y) / 4);
            pairs++;
          }
        }
        total += sum / pairs / 10;
      }
      return total;
    };
    const withLiar = spread(true);
    const without = spread(false);
    expect(withLiar, `${withLiar} vs ${without}`).toBeGreaterThan(1.3 * without);
  });

  it("rejects bad options with the fix", () => {
    expect(() => new TpeSampler(SPACE, { seed: 1, nStartupTrials: -1 })).toThrow(
      "nStartupTrials must be an integer ≥ 0 (got -1).",
    );
    expect(() => new TpeSampler(SPACE, { seed: 1, startup: "sobol" as never })).toThrow(
      'startup must be "random" or "halton" (got "sobol").',
    );
    const tpe = new TpeSampler(SPACE, { seed: 1, nStartupTrials: 0, gamma: (n) => n / 3 });
    tpe.tell(tpe.ask().id, 1);
    expect(() => tpe.ask()).toThrow(
      "gamma(1) must be an integer (got 0.3333333333333333); Optuna's default is min(⌈0.1·n⌉, 25).",
    );
  });
});
