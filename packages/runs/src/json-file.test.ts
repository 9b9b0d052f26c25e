import { describe, expect, it } from "vitest";
import { jsonErrorOffset, jsonReason, lineAndColumn, parseJson } from "./json-file.js";

describe("JSON errors by line and column", () => {
  it("finds where a text stops being JSON", () => {
    const cases: [string, number][] = [
      ['{"a": 1}', 8], // valid: the end
      ['{"a": 1,}', 8],
      ['{"a": tru}', 6],
      ['{"a": [1, 2 3]}', 12],
      ['{"a": "x\ny"}', 8],
      ['{"a": 1} x', 9],
      ['{"a": -}', 6],
      ['{"a": 1', 7],
      ["", 0],
    ];
    for (const [text, offset] of cases) expect(jsonErrorOffset(text), text).toBe(offset);
    expect(
      lineAndColumn('{\n  "a": 1,\n  "b": x\n}', jsonErrorOffset('{\n  "a": 1,\n  "b": x\n}')),
    ).toEqual({
      line: 3,
      column: 8,
    });
  });

  it("keeps the engine's reason but not its quote of the text or its position", () => {
    expect(jsonReason(`Unexpected token 'x', "{ "b": x }" is not valid JSON`)).toBe(
      "Unexpected token 'x'",
    );
    expect(
      jsonReason(
        "Expected ',' or '}' after property value in JSON at position 6 (line 1 column 7)",
      ),
    ).toBe("Expected ',' or '}' after property value in JSON");
    expect(() => parseJson('{\n "a": }', "f.json", "x/bad", "Fix it.")).toThrow(
      /^f\.json:2:7: not valid JSON \(Unexpected token '\}'\)\. Fix it\.$/,
    );
  });
});
