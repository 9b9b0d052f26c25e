/** Reading a run folder's JSON files with errors that name the file, the line and the column of a syntax error, whatever the JavaScript engine's own message says. */

import { readFileSync } from "node:fs";
import { InfomorphError } from "@infomorph/core";

/**
 * The parsed contents of the JSON file at `path`. Bad JSON throws InfomorphError `code` whose
 * message is `PATH:LINE:COLUMN: not valid JSON (the engine's reason). ` followed by `fix`.
 */
export function readJsonFile(path: string, code: string, fix: string): unknown {
  return parseJson(readFileSync(path, "utf8"), path, code, fix);
}

/** JSON.parse(text) with readJsonFile's error for the file `path`. */
export function parseJson(text: string, path: string, code: string, fix: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const { line, column } = lineAndColumn(text, jsonErrorOffset(text));
    throw new InfomorphError({
      code,
      path: [path, line],
      message: `${path}:${line}:${column}: not valid JSON (${jsonReason((err as Error).message)}). ${fix}`,
    });
  }
}

/** 1-based line and column of character `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** V8's message without its quote of the text and its position (line and column say where). */
export function jsonReason(message: string): string {
  return message
    .split("\n")[0]
    .split(/, (?:\.\.\.)?"/)[0]
    .replace(/ at position \d+.*$/, "")
    .replace(/ \(line \d+ column \d+\)$/, "");
}

/**
 * The character offset at which `text` stops being JSON (text.length when it ends too
 * early), found by a small recursive-descent scan (V8's messages do not always say where).
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.slice(i, i + word.length) !== word) fail();
    i += word.length;
  };
  const string = () => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text[i] === "\\" ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail();
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{") container("}", member);
    else if (c === "[") container("]", value);
    else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else number();
  };
  const member = () => {
    space();
    if (text[i] !== '"') fail();
    string();
    space();
    if (text[i] !== ":") fail();
    i++;
    value();
  };
  const container = (close: string, item: () => void) => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ",") fail();
      i++;
    }
  };
  try {
    value();
    space();
    return i < text.length ? i : text.length;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}
