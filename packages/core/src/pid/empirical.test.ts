import { describe, expect, it } from "vitest";
import { pidOfSamples } from "./empirical.js";
import { pidOfTable } from "./table.js";

describe("pidOfSamples", () => {
  it("XOR from its four samples: one bit of synergy, log2(2/3) redundancy", () => {
    const pid = pidOfSamples(
      [
        [0, 0, 1, 1],
        [0, 1, 0, 1],
      ],
      [0, 1, 1, 0],
    );
    expect(pid.samples).toBe(4);
    expect(pid.shape).toEqual([2, 2, 2]);
    expect(pid.atom("{1}{2}")).toBeCloseTo(Math.log2(2 / 3), 12);
    expect(pid.atom("{12}")).toBeCloseTo(Math.log2(4 / 3), 12);
    expect(pid.mutualInformation(3)).toBeCloseTo(1, 12);
  });

  it("is the table of the counts, whatever the values are called", () => {
    // AND with repeated samples and labels as text: counts 2, 1, 1, 1 of (0,0)…(1,1)
    const a = ["no", "no", "no", "yes", "yes"];
    const b = ["no", "no", "yes", "no", "yes"];
    const t = ["off", "off", "off", "off", "on"];
    const pid = pidOfSamples([a, b], t);
    const table = pidOfTable([2, 0, 1, 0, 1, 0, 0, 1], [2, 2, 2], { normalize: true });
    expect(pid.atoms).toEqual(table.atoms);
    expect(pid.values).toEqual([
      ["no", "yes"],
      ["no", "yes"],
      ["off", "on"],
    ]);
  });

  it("orders numeric values numerically (numbers or numeric text), others as text", () => {
    expect(pidOfSamples([["10", "2", "1"]], [0, 1, 0]).values[0]).toEqual(["1", "2", "10"]);
    expect(pidOfSamples([[10, 2, 1]], [0, 1, 0]).values[0]).toEqual([1, 2, 10]);
    expect(pidOfSamples([["b", "a", "10"]], [0, 1, 0]).values[0]).toEqual(["10", "a", "b"]);
  });

  it("names bad input", () => {
    expect(() => pidOfSamples([[0, 1]], [0, 1, 1])).toThrow(
      "sources[0] has 2 entries but the target's 3 samples needs 3. Every source needs one value per sample, as the target has.",
    );
    expect(() => pidOfSamples([[0, Number.NaN]], [0, 1])).toThrow(
      expect.objectContaining({ code: "samples/bad-value", path: ["sources", 0, 1] }),
    );
    expect(() => pidOfSamples([[0], [0], [0], [0], [0], [0]], [0])).toThrow(
      expect.objectContaining({ code: "samples/too-many-sources" }),
    );
    expect(() => pidOfSamples([[]], [])).toThrow(
      expect.objectContaining({ code: "samples/empty" }),
    );
    const wide = Array.from({ length: 5000 }, (_, i) => i);
    expect(() => pidOfSamples([wide, wide], wide)).toThrow(
      expect.objectContaining({ code: "samples/table-too-large" }),
    );
  });
});
