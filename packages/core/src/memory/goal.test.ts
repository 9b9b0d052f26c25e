import { describe, expect, it } from "vitest";
import { goal } from "../goals/goal.js";
import { REDUNDANCY } from "../goals/named.js";
import { memoryGoal } from "./goal.js";

describe("memoryGoal", () => {
  it.each<[string, Parameters<typeof memoryGoal>[0], number[]]>([
    ["a named goal", "redundancy", [0, 0, 1, 0, 0]],
    [
      "atoms as JSON over E and I",
      '{"(E)(I)": 1, "(EI)": 0.1, "H_res": -0.2}',
      [0, 0, 1, 0.1, -0.2],
    ],
    ["canonical names", { "{1}": 0.5, "{2}": -1 }, [0.5, -1, 0, 0, 0]],
    ["a vector as text", "0.48,-0.16,0.25,0.04,-0.63", [0.48, -0.16, 0.25, 0.04, -0.63]],
    ["a vector", [1, 1, 1, 1, 0], [1, 1, 1, 1, 0]],
    ["a Goal", goal({ "(F)(C)": 2 }, { sources: 2 }), [0, 0, 2, 0, 0]],
  ])("reads %s", (_, spec, gamma) => {
    expect([...memoryGoal(spec).gamma]).toEqual(gamma);
  });

  it("names the atoms by the memory classes E and I", () => {
    expect(memoryGoal("redundancy").weight("(F)(C)")).toBe(1);
    expect(memoryGoal('{"(E)(I)": 1}').classNames).toEqual(["E", "I"]);
    expect(memoryGoal(REDUNDANCY)).toBe(REDUNDANCY);
  });

  it("rejects goals of other lattices, unreadable JSON, wrong lengths and unknown names", () => {
    expect(() => memoryGoal("trivariate-opt1")).toThrow(
      'a memory neuron has 2 sources (external pattern bit, internal field), but the goal is over 3. Name atoms of 2 sources, e.g. {"(E)(I)": 1}.',
    );
    expect(() => memoryGoal("{(E)(I): 1}")).toThrow(
      'cannot read the goal {(E)(I): 1}: it is not valid JSON. Write a named goal (redundancy), atoms as JSON ({"(E)(I)": 1}) or 5 numbers (0,0,1,0,0).',
    );
    expect(() => memoryGoal("1,0,1")).toThrow(
      "the goal vector has 3 entries; 2 sources need 5 (4 atoms in canonical order, then H_res).",
    );
    expect(() => memoryGoal("hopfield")).toThrow('unknown goal "hopfield". Named goals: ');
  });
});
