import { parseGoal } from "@infomorph/core";
import { resolveStudyConfig } from "@infomorph/search";
import { describe, expect, it } from "vitest";
import { studySummary, summaryText } from "./summary.js";

const study = (kind: "cmaes" | "tpe") =>
  resolveStudyConfig(
    "s",
    { trials: 4, sampler: { kind, seed: 1 }, space: { free: ["(F)(C)", "(F)(L)"] } },
    "test",
  );
const trial = {
  id: 0,
  state: "complete",
  params: { "(F)(C)": 0.5, "(F)(L)": -0.25, H_res: 0 },
  value: 0.9,
};

describe("studySummary", () => {
  it("adds CMA-ES's mean as a goal `infomorph train --goal` takes, beside the best trial", () => {
    const mean = { "(F)(C)": 0.75, "(F)(L)": -0.5, H_res: 0 };
    const summary = studySummary("runs/s", study("cmaes"), {
      trials: [trial] as never,
      stopped: false,
      recommended: mean,
    });
    expect(summary.mean?.params).toEqual(mean);
    const goal = summary.mean?.goal ?? "";
    expect(parseGoal(goal, { sources: 3 }).weight("(F)(C)")).toBe(0.75);
    const text = summaryText(summary);
    expect(text).toContain(`CMA-ES mean      ${goal}\n`);
    expect(text.indexOf("CMA-ES mean")).toBeGreaterThan(text.indexOf("best goal"));
  });

  it("has no mean for a sampler without one", () => {
    const summary = studySummary("runs/s", study("tpe"), {
      trials: [trial] as never,
      stopped: false,
      recommended: null,
    });
    expect(summary.mean).toBeNull();
    expect(summaryText(summary)).not.toContain("CMA-ES mean");
  });
});
