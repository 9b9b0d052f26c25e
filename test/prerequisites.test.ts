import { describe, expect, it } from "vitest";
import { BUILT_CLI, underCi } from "./prerequisites.js";

describe("test prerequisites", () => {
  it("read CI as CI services set it", () => {
    for (const ci of ["true", "1", "yes", "TRUE"]) expect(underCi({ CI: ci }), ci).toBe(true);
    for (const ci of [undefined, "", "0", "false", "False"]) {
      expect(underCi({ CI: ci }), String(ci)).toBe(false);
    }
  });

  it("find the built CLI current: the global setup has just built it", () => {
    expect(BUILT_CLI.missing()).toBeNull();
  });
});
