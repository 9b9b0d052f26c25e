/**
 * Reading an append-only JSON-lines file by byte offsets: the committed part of a run's
 * metrics (up to the checkpoint's byte length), or what a live reader has not seen yet.
 * Offsets count bytes, never characters, so a line with non-ASCII text cannot shift them.
 */

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InfomorphError } from "@infomorph/core";
import { jsonReason } from "./json-file.js";

/** Where reading a JSON-lines file continues: the byte offset of the next line and its 1-based number. */
export interface LinesCursor {
  readonly offset: number;
  readonly line: number;
}

/** The start of a file. */
export const FILE_START: LinesCursor = { offset: 0, line: 1 };

/**
 * Checks one parsed line: null when it is a valid record, else a phrase saying what is wrong
 * with it (e.g. "split must be train, validation or test").
 */
export type LineCheck = (value: unknown) => string | null;

/**
 * The complete lines of `path` from `from` up to byte `end` (default: the end of the file),
 * parsed and checked, and the cursor after the last complete line. A last line without its
 * "\n" (still being written) is left for the next call. An empty line, a line that is not
 * JSON, or one that `check` rejects throws InfomorphError "run/corrupt-file" naming the file
 * and the line number: `PATH line N: …`.
 *
 * @example
 * let cursor = FILE_START;
 * const { records, cursor: next } = readJsonLines("runs/a/metrics.jsonl", cursor, check);
 */
export function readJsonLines<T>(
  path: string,
  from: LinesCursor,
  check: LineCheck,
  end?: number,
): { records: T[]; cursor: LinesCursor } {
  const bytes = readRange(path, from.offset, end);
  const last = bytes.lastIndexOf(10);
  if (last < 0) return { records: [], cursor: from };
  const lines = bytes.subarray(0, last).toString("utf8").split("\n");
  const records = lines.map((text, i) => {
    const line = from.line + i;
    const problem = (what: string): InfomorphError =>
      new InfomorphError({
        code: "run/corrupt-file",
        path: [path, line],
        message: `${path} line ${line}: ${what}. The file was damaged or edited by hand; restore it, or train the run again.`,
      });
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const reason = jsonReason((err as Error).message);
      throw problem(
        text.trim() === "" ? "an empty line" : `not valid JSON (${reason}): ${preview(text)}`,
      );
    }
    const wrong = check(value);
    if (wrong !== null) throw problem(`${wrong}: ${preview(text)}`);
    return value as T;
  });
  return {
    records,
    cursor: { offset: from.offset + last + 1, line: from.line + lines.length },
  };
}

/** The bytes of `path` from `offset` to `end` (default: its current size). */
function readRange(path: string, offset: number, end?: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const size = Math.min(fstatSync(fd).size, end ?? Number.POSITIVE_INFINITY);
    const bytes = Buffer.alloc(Math.max(0, size - offset));
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** A line as shown in an error: its first 80 characters. */
function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
