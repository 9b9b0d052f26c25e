import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../cli/settings.js";
import { defaultRunDir } from "./session.js";

describe("defaultRunDir", () => {
  const when = new Date(2025, 0, 2, 3, 4, 5);

  it("names a run by preset, dataset, seed and local time", () => {
    expect(defaultRunDir({ ...DEFAULT_SETTINGS }, when)).toBe(
      join("runs", "trivariate-embedded-s1-20250102-030405"),
    );
    expect(
      defaultRunDir({ ...DEFAULT_SETTINGS, dataset: "csv:/data/my digits.csv", seed: 7 }, when),
    ).toBe(join("runs", "trivariate-my-digits-s7-20250102-030405"));
    expect(
      defaultRunDir({ ...DEFAULT_SETTINGS, dataset: "idx:./mnist/", preset: "readout" }, when),
    ).toBe(join("runs", "readout-mnist-s1-20250102-030405"));
  });
});
