import { namedGoal, parseGoal } from "@infomorph/core";
import { type StudyContents, type TrialSummary, resolveStudyConfig } from "@infomorph/search";
import { describe, expect, it } from "vitest";
import { cosine, signAgreement, studyReportData } from "./study-data.js";
import { renderStudyReport } from "./study-page.js";

const config = resolveStudyConfig("demo", { trials: 12, trial: { seeds: [1, 2] } }, "test");
const aliases = Object.keys(config.space);
const tpe1 = namedGoal("trivariate-opt1");
/** tpe_1's weights by alias, scaled (H_res is fixed at 0 in the space). */
const scaled = (k: number) =>
  Object.fromEntries(aliases.map((a) => [a, a === "H_res" ? 0 : k * tpe1.weight(a)]));

function trial(
  id: number,
  state: TrialSummary["state"],
  value: number | null,
  params: Record<string, number>,
): TrialSummary {
  return {
    id,
    params,
    state,
    value,
    outcome:
      value === null
        ? null
        : {
            value,
            seeds: [1, 2].map((seed) => ({
              seed,
              value: value + (seed - 1.5) / 100,
              epoch: 4,
              test: 0.5,
              seconds: 60,
            })),
          },
    error: state === "failed" ? "out of memory" : null,
    attempts: state === "failed" ? 3 : 1,
    failures:
      state === "failed"
        ? [1, 2, 3].map((attempt) => ({ attempt, error: "out of memory", at: "t" }))
        : id === 2
          ? [{ attempt: 1, error: "lost", at: "t" }]
          : [],
    asked: `2026-01-01T0${id % 10}:00:00.000Z`,
    started: null,
    finished: state === "running" ? null : `2026-01-01T0${id % 10}:30:00.000Z`,
    worker: "w",
  };
}

const trials = [
  trial(0, "complete", 0.5, scaled(-1)),
  trial(1, "complete", 0.9, scaled(0.5)),
  trial(2, "complete", 0.7, scaled(1)),
  trial(3, "failed", null, scaled(0.2)),
  trial(4, "complete", 0.95, scaled(0.25)),
  trial(5, "running", null, scaled(1)),
];
const contents: StudyContents = {
  config,
  source: "runs/demo",
  trials,
  recommended: null,
  curves: new Map([
    [
      4,
      [
        { seed: 1, validation: [0.5, 0.9] },
        { seed: 2, validation: [0.7, 1] },
      ],
    ],
  ]),
};

describe("studyReportData", () => {
  const data = studyReportData(contents);

  it("keeps every trial's value, the best so far, and the counts", () => {
    expect(data.history.map((h) => h.value)).toEqual([0.5, 0.9, 0.7, null, 0.95, null]);
    expect(data.best).toEqual([0.5, 0.9, 0.9, 0.9, 0.95, 0.95]);
    expect(data.counts).toEqual({ trials: 12, complete: 4, failed: 1, running: 1 });
    expect(data.retried).toBe(1);
  });

  it("compares the best goals with the papers' atom by atom", () => {
    expect(data.top.map((t) => t.id)).toEqual([4, 1, 2, 0]);
    expect(data.paperGoals.map((p) => p.name)).toEqual([
      "trivariate-opt1",
      "trivariate-rounded",
      "trivariate-heuristic",
    ]);
    // tpe_1 scaled by a positive number without its H_res of 0.035: cosine just below 1.
    expect(data.top[0].cosine[0]).toBeGreaterThan(0.999);
    expect(data.top[0].cosine[0]).toBeLessThan(1);
    expect(data.top[3].cosine[0]).toBeCloseTo(-data.top[0].cosine[0], 12);
    const row = data.atoms.findIndex((a) => a.name === "(FC)(FL)");
    expect(data.top[0].weights[row]).toBeCloseTo(0.25 * -0.968, 12);
    expect(data.atoms.at(-1)).toEqual({ name: "H_res", range: null, fixed: 0 });
    expect(data.curves).toEqual([{ id: 4, validation: [0.6, 0.95] }]);
    expect(data.failed).toEqual([
      {
        id: 3,
        attempts: 3,
        error: "out of memory",
        failures: [
          "attempt 1: out of memory",
          "attempt 2: out of memory",
          "attempt 3: out of memory",
        ],
      },
    ]);
  });

  it("lists CMA-ES's distribution mean among the facts as a goal to train, and nothing without one", () => {
    expect(data.facts.map(([label]) => label)).not.toContain("CMA-ES mean");
    const mean = { ...scaled(0.5), "(F)(C)": 0.125 };
    const withMean = studyReportData({ ...contents, recommended: mean });
    const fact = withMean.facts.find(([label]) => label === "CMA-ES mean");
    expect(fact?.[1]).toContain("(F)(C)=0.125");
    expect(parseGoal(fact?.[1], { sources: 3 }).weight("(F)(C)")).toBe(0.125);
  });

  it("measures similarity and sign agreement", () => {
    expect(cosine([1, 0], [0, 2])).toBe(0);
    expect(cosine([1, 1], [2, 2])).toBeCloseTo(1, 15);
    expect(cosine([0, 0], [1, 1])).toBe(0);
    // Only entries with |γ| > 0.1 on both sides count.
    expect(signAgreement([0.5, -0.5, 0.05, 0.3], [0.2, 0.4, -1, -0.01])).toEqual([1, 2]);
  });

  it("renders one page with the history, the goal table, importance, curves and the failed trial", () => {
    const html = renderStudyReport(data);
    expect(html).toContain("<title>infomorph study: demo</title>");
    expect(html.match(/<svg /g)).toHaveLength(3); // history, its zoom and curves (importance needs 8 trials)
    expect(html).toContain("Needs at least 8 complete trials.");
    expect(html).toContain("#1: trial 4<br>95.00 %");
    expect(html).toContain('cosine with <span class="canon">trivariate-opt1</span>');
    expect(html).toContain("<pre>out of memory</pre>");
    expect(html).toContain("1 failed attempt was retried and then completed.");
    expect(html).not.toMatch(/<script/);
  });
});
