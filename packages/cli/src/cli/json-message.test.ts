import { describe, expect, it } from "vitest";
import { jsonErrorMessage } from "./json-message.js";

function messageOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonErrorMessage(text, error);
  }
  throw new Error(`${text} parsed`);
}

describe("jsonErrorMessage", () => {
  it("gives the line and column of the fault, the same on Node 20, 22 and 24", () => {
    expect(messageOf('{"shape": [2, 2]')).toBe(
      "Expected ',' or '}' after property value in JSON at position 16 (line 1 column 17)",
    );
    expect(messageOf('{"a":\n 1,,}')).toBe(
      "Expected double-quoted property name in JSON at position 9 (line 2 column 4)",
    );
    expect(messageOf('{"a":1}x')).toBe(
      "Unexpected non-whitespace character after JSON at position 7 (line 1 column 8)",
    );
  });

  it("passes messages without a position unchanged", () => {
    expect(messageOf("")).toBe("Unexpected end of JSON input");
    expect(messageOf('{"a": tru}')).toBe(`Unexpected token '}', "{"a": tru}" is not valid JSON`);
  });
});
