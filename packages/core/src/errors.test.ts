import { describe, expect, it } from "vitest";
import { InfomorphError } from "./errors.js";

describe("InfomorphError", () => {
  it("carries code, path and message", () => {
    const e = new InfomorphError({ code: "x/y", path: ["a", 1], message: "bad a[1]. Use 2." });
    expect(e).toBeInstanceOf(Error);
    expect([e.code, e.path, e.message, e.name]).toEqual([
      "x/y",
      ["a", 1],
      "bad a[1]. Use 2.",
      "InfomorphError",
    ]);
  });
});
