import { describe, expect, it } from "vitest";
import { goal } from "../goals/goal.js";
import { REDUNDANCY } from "../goals/named.js";
import { memoryGoal } from "./goal.js";

const NAMED =
  'Named goals for this layer: bivariate-context-heuristic, bivariate-context-opt1, bivariate-context-opt2, output-layer, redundancy; or write atom weights such as "(F)(C)=1, (F)=0.1".';

describe("memoryGoal", () => {
  it.each<[string, Parameters<typeof memoryGoal>[0], number[]]>([
    ["a named goal", "redundancy", [0, 0, 1, 0, 0]],
    ["atom weights over F and C", "(F)(C)=1, (FC)=0.1, H_res=-0.2", [0, 0, 1, 0.1, -0.2]],
    ["atoms as JSON text", '{"(F)(C)": 1, "(C)": 0.5}', [0, 0.5, 1, 0, 0]],
    ["canonical names", { "{1}": 0.5, "{2}": -1 }, [0.5, -1, 0, 0, 0]],
    ["a vector as text", "0.48,-0.16,0.25,0.04,-0.63", [0.48, -0.16, 0.25, 0.04, -0.63]],
    ["a vector", [1, 1, 1, 1, 0], [1, 1, 1, 1, 0]],
    ["a Goal", goal({ "(F)(C)": 2 }, { sources: 2 }), [0, 0, 2, 0, 0]],
  ])("reads %s", (_, spec, gamma) => {
    expect([...memoryGoal(spec).gamma]).toEqual(gamma);
  });

  it("names the sources F (the pattern bit) and C (the recurrent field)", () => {
    expect(memoryGoal("(F)(C)=1").weight("{1}{2}")).toBe(1);
    expect(memoryGoal("(F)=1").classNames).toEqual(["F", "C"]);
    expect(memoryGoal(REDUNDANCY)).toBe(REDUNDANCY);
  });

  it("rejects goals of other layers, unreadable JSON, wrong lengths and unknown names", () => {
    expect(() => memoryGoal(goal({ "(F)(C)(L)": 1 }, { sources: 3 }))).toThrow(
      'a memory neuron has 2 sources (external pattern bit, internal field), but the goal is over 3. Name atoms of 2 sources, e.g. "(F)(C)=1".',
    );
    expect(() => memoryGoal("trivariate-opt1")).toThrow(
      `the goal "trivariate-opt1" is for a layer with the sources F, C, L, but this layer has F, C. ${NAMED}`,
    );
    expect(() => memoryGoal("{(F)(C): 1}")).toThrow(
      'cannot read the goal {(F)(C): 1}: it is not valid JSON. Write atom weights ("(F)(C)=1"), a named goal (redundancy), a JSON object ({"(F)(C)": 1}) or 5 numbers (0,0,1,0,0).',
    );
    expect(() => memoryGoal("1,0,1")).toThrow(
      "the goal vector has 3 entries; 2 sources need 5 (4 atoms in canonical order, then H_res).",
    );
    expect(() => memoryGoal("hopfield")).toThrow(`unknown goal "hopfield". ${NAMED}`);
  });
});
