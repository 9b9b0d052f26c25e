import { describe, expect, it } from "vitest";
import { tsKernels } from "../kernels/kernels.js";
import {
  type MemoryExperimentInput,
  experimentToJSON,
  memoryTasks,
  parseLoads,
  resolveMemoryExperiment,
  runMemoryTask,
  taskKey,
  taskRng,
} from "./experiment.js";
import { randomPatterns } from "./patterns.js";

const kernels = tsKernels();

describe("parseLoads", () => {
  it("reads ranges (end included), single loads and lists", () => {
    expect(parseLoads("0.2:0.3:0.02")).toEqual([0.2, 0.22, 0.24, 0.26, 0.28, 0.3]);
    expect(parseLoads("0.2:2.0:0.02")).toHaveLength(91);
    expect(parseLoads("0.2:2.0:0.02").at(-1)).toBe(2);
    expect(parseLoads("0.5")).toEqual([0.5]);
    expect(parseLoads("0.1, 0.5,1")).toEqual([0.1, 0.5, 1]);
    expect(parseLoads("0.2:0.6:0.2,0.7:0.8:0.05")).toEqual([0.2, 0.4, 0.6, 0.7, 0.75, 0.8]);
  });

  it("says how to write a load when it cannot read one", () => {
    const help =
      "Write loads α = patterns / neurons as 0.5, a list 0.1,0.5,1 or ranges FROM:TO:STEP such as 0.2:2.0:0.02.";
    expect(() => parseLoads("0.2:2")).toThrow(`a range has three parts (got "0.2:2"). ${help}`);
    expect(() => parseLoads("0.2:2:0")).toThrow(`the step must be > 0 (got "0.2:2:0"). ${help}`);
    expect(() => parseLoads("a")).toThrow(`"a" is not a number (got "a"). ${help}`);
  });
});

describe("resolveMemoryExperiment", () => {
  const base: MemoryExperimentInput = { neurons: 100, loads: [0.2, 0.1] };

  it("fills the defaults and sorts the loads", () => {
    const c = resolveMemoryExperiment(base);
    expect(c.loads).toEqual([0.1, 0.2]);
    expect(c.rules).toEqual(["infomorphic", "hebbian", "pseudo-inverse", "krauth-mezard", "mpf"]);
    expect(c).toMatchObject({
      seeds: [1],
      cueNoise: [0.05, 0.1, 0.2],
      threshold: 0.95,
      criterion: "mean-cosine",
      maxSteps: 100,
      stopAfterFailures: 0,
    });
    expect(c.rulesSettings.infomorphic.bins).toBe(60);
    expect(c.rulesSettings.krauthMezard).toEqual({ margin: 1, maxSweeps: 100 });
    expect(c.rulesSettings.mpf).toEqual({ lr: 0.05, epochs: 1000 });
  });

  it("writes itself as JSON that resolves back to the same config", () => {
    const c = resolveMemoryExperiment({
      ...base,
      infomorphic: { goal: "0.48,-0.16,0.25,0.04,-0.63", bins: 30, earlyStop: false },
      krauthMezard: { margin: 2 },
    });
    const json = JSON.parse(JSON.stringify(experimentToJSON(c)));
    expect(json.infomorphic.goal).toEqual({
      "{1}": 0.48,
      "{2}": -0.16,
      "{1}{2}": 0.25,
      "{12}": 0.04,
      H_res: -0.63,
    });
    const back = resolveMemoryExperiment(json);
    expect({
      ...back,
      rulesSettings: {
        ...back.rulesSettings,
        infomorphic: { ...back.rulesSettings.infomorphic, goal: null },
      },
    }).toEqual({
      ...c,
      rulesSettings: {
        ...c.rulesSettings,
        infomorphic: { ...c.rulesSettings.infomorphic, goal: null },
      },
    });
    expect([...back.rulesSettings.infomorphic.goal.gamma]).toEqual([
      ...c.rulesSettings.infomorphic.goal.gamma,
    ]);
  });

  it.each<[string, Partial<MemoryExperimentInput>, string]>([
    [
      "a load ≤ 0",
      { loads: [0.2, 0] },
      "a load α = patterns / neurons must be a number > 0 (got 0); e.g. 0.2.",
    ],
    [
      "fewer than 2 neurons",
      { neurons: 1 },
      "an associative memory needs an integer number of neurons ≥ 2 (got 1); the paper uses 100.",
    ],
    [
      "fewer than 2 bins",
      { infomorphic: { bins: 1 } },
      "bins must be an integer from 2 to 255 (got 1); the paper uses 60.",
    ],
    [
      "two loads with one pattern count",
      { loads: [0.2, 0.204] },
      "loads 0.2 and 0.204 both give 20 patterns at 100 neurons; space loads by at least 1/100 = 0.01.",
    ],
    [
      "a load below one pattern",
      { loads: [0.004] },
      "load 0.004 gives round(0.004 × 100) = 0 patterns; use α ≥ 0.005 at 100 neurons.",
    ],
    [
      "an unknown rule",
      { rules: ["storkey"] },
      'unknown learning rule "storkey". Rules: infomorphic, hebbian, pseudo-inverse, krauth-mezard, mpf.',
    ],
    [
      "repeated seeds",
      { seeds: [1, 1] },
      "seeds must be distinct integers ≥ 0, at least one (got 1, 1); e.g. 1,2,3,4,5.",
    ],
    [
      "a cue noise above 1",
      { cueNoise: [0.1, 2] },
      "a cue-noise fraction must be a number from 0 to 1 (got 2); 0.1 flips 10 % of the bits.",
    ],
    [
      "an unknown criterion",
      { criterion: "best" },
      'unknown storage criterion "best". Criteria: mean-cosine, stored-fraction.',
    ],
    [
      "an MPF learning rate ≤ 0",
      { mpf: { lr: 0 } },
      "the MPF learning rate must be a positive number (got 0); try 0.05.",
    ],
  ])("rejects %s", (_, change, message) => {
    expect(() => resolveMemoryExperiment({ ...base, ...change })).toThrow(message);
  });
});

describe("tasks", () => {
  it("run rule by rule, seed by seed, load upwards, keyed by rule/seed/patterns", () => {
    const c = resolveMemoryExperiment({
      neurons: 50,
      loads: [0.2, 0.1],
      rules: ["hebbian", "mpf"],
      seeds: [3, 1],
    });
    expect(memoryTasks(c).map(taskKey)).toEqual([
      "hebbian/3/5",
      "hebbian/3/10",
      "hebbian/1/5",
      "hebbian/1/10",
      "mpf/3/5",
      "mpf/3/10",
      "mpf/1/5",
      "mpf/1/10",
    ]);
  });

  it("give every rule the same patterns at a seed and load, and other patterns at another seed", () => {
    const a = randomPatterns(10, 50, taskRng(1, 50, 10, 0));
    expect(randomPatterns(10, 50, taskRng(1, 50, 10, 0))).toEqual(a);
    expect(randomPatterns(10, 50, taskRng(2, 50, 10, 0))).not.toEqual(a);
    expect(randomPatterns(10, 50, taskRng(1, 50, 10, 1))).not.toEqual(a);
  });

  it("measure recall from the patterns and from noisy cues, and the atoms of every neuron", () => {
    const c = resolveMemoryExperiment({
      neurons: 100,
      loads: [0.05],
      rules: ["hebbian"],
      cueNoise: [0.1, 0.5],
    });
    const result = runMemoryTask(c, memoryTasks(c)[0], kernels);
    expect(result).toMatchObject({ rule: "hebbian", patterns: 5, neurons: 100, stored: true });
    expect(result.recall).toEqual({ meanCosine: 1, storedFraction: 1, fixedPointFraction: 1 });
    // 10 % flips are cleaned up; half the bits flipped leaves nothing to recall
    expect(result.cues[0]).toMatchObject({ noise: 0.1, storedFraction: 1 });
    expect(result.cues[1].noise).toBe(0.5);
    expect(result.cues[1].storedFraction).toBeLessThan(0.5);
    expect(result.atoms).toHaveLength(500);
    expect(result.goalAtoms).toBeNull();
    const patterns = randomPatterns(5, 100, taskRng(1, 100, 5, 0));
    for (let i = 0; i < 100; i++) {
      const [unqE, unqI, red, syn, hRes] = result.atoms.subarray(5 * i, 5 * i + 5);
      // stored: the output is the pattern bit, a function of the field: all of H(Y) is redundant
      let plus = 0;
      for (let mu = 0; mu < 5; mu++) plus += patterns[mu * 100 + i] > 0 ? 0.2 : 0;
      const entropy =
        plus > 0 && plus < 1 ? -plus * Math.log2(plus) - (1 - plus) * Math.log2(1 - plus) : 0;
      expect(red, `neuron ${i}`).toBeCloseTo(entropy, 9);
      expect(unqE + unqI + syn + hRes, `neuron ${i}`).toBeCloseTo(0, 9);
    }
    expect(runMemoryTask(c, memoryTasks(c)[0], kernels).recall).toEqual(result.recall);
  });
});
