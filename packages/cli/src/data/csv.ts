/** A reader for labelled CSV tables: numeric feature columns plus one label column, with errors that name line and column. */

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { InfomorphError } from "@infomorph/core";
import type { Dataset } from "./dataset.js";

export interface CsvOptions {
  /**
   * The label column: a header name, or a 0-based index (negative counts from the end).
   * Default: the last column.
   */
  labelColumn?: string | number;
  /** Dataset name; default: the file name. */
  name?: string;
}

/** The file's text; a file that cannot be read is an error that names it and says why. */
function readCsvText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "does not exist"
        : code === "EISDIR"
          ? "is a folder, not a file"
          : code === "EACCES"
            ? "cannot be read (permission denied)"
            : `cannot be read (${code ?? String(error)})`;
    throw new InfomorphError({
      code: "csv/unreadable",
      path: [path],
      message: `the CSV file ${path} ${why}. Give the path of a CSV file with one sample per line, as csv:PATH.`,
    });
  }
}

/**
 * Read a comma-separated table. Every column but the label column must hold numbers.
 *
 * - The first row is a header when one of its fields is text (not a number, not empty)
 *   while the same column in the next row is a number, so text labels alone do not make
 *   a header.
 * - Labels may be integers or text. Their distinct values, sorted (numerically when all
 *   are integers), become classes 0..k−1; `labelNames` keeps the original values.
 * - Fields may be double-quoted ("a,b" and "" for a quote). Empty lines are skipped.
 *
 * Errors give 1-based line and column numbers, as spreadsheets and editors show them.
 */
export function loadCsv(path: string, options: CsvOptions = {}): Dataset {
  const file = basename(path);
  const rows = parseRows(readCsvText(path), file);
  if (rows.length === 0) {
    throw new InfomorphError({
      code: "csv/empty",
      path: [path],
      message: `${file} has no rows. Give a CSV file with one sample per line.`,
    });
  }
  const hasHeader = detectHeader(rows);
  const header = hasHeader ? rows[0].fields : null;
  const body = hasHeader ? rows.slice(1) : rows;
  if (body.length === 0) {
    throw new InfomorphError({
      code: "csv/empty",
      path: [path],
      message: `${file} has a header but no data rows. Add one sample per line below the header.`,
    });
  }
  const width = rows[0].fields.length;
  if (width < 2) {
    throw new InfomorphError({
      code: "csv/too-few-columns",
      path: [path],
      message: `${file} has ${width} column; it needs at least one feature column and a label column.`,
    });
  }
  const labelIndex = resolveLabelColumn(options.labelColumn, header, width, file);

  const dim = width - 1;
  const features = new Float32Array(body.length * dim);
  const rawLabels: string[] = [];
  body.forEach((row, r) => {
    if (row.fields.length !== width) {
      throw new InfomorphError({
        code: "csv/ragged",
        path: [path, row.line],
        message:
          `${file} line ${row.line}: ${row.fields.length} fields, expected ${width} as on ` +
          `line ${rows[0].line}. Every row needs the same columns.`,
      });
    }
    let d = 0;
    row.fields.forEach((field, c) => {
      if (c === labelIndex) {
        rawLabels.push(field.trim());
        return;
      }
      const value = parseNumber(field);
      if (value === null) {
        throw new InfomorphError({
          code: "csv/not-a-number",
          path: [path, row.line, c + 1],
          message: `${file} line ${row.line}, column ${c + 1}: "${field}" is not a number.`,
        });
      }
      features[r * dim + d++] = value;
    });
  });

  const { labels, labelNames } = encodeLabels(rawLabels, body, labelIndex, file);
  return {
    name: options.name ?? file,
    features,
    labels,
    count: body.length,
    dim,
    classes: labelNames.length,
    imageShape: null,
    labelNames,
  };
}

interface CsvRow {
  /** 1-based line number in the file. */
  line: number;
  fields: string[];
}

/** Split text into rows of fields (RFC 4180 quoting), skipping empty lines. */
function parseRows(text: string, file: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let sawAny = false;
  const endRow = (): void => {
    if (sawAny || field !== "" || fields.length > 0) {
      fields.push(field);
      rows.push({ line: rowLine, fields });
    }
    fields = [];
    field = "";
    sawAny = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
      sawAny = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      sawAny = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += ch;
    }
  }
  if (quoted) {
    throw new InfomorphError({
      code: "csv/open-quote",
      path: [file, rowLine],
      message: `${file} line ${rowLine}: a quoted field is never closed. Add the closing ".`,
    });
  }
  endRow();
  return rows;
}

/** A finite number, or null; surrounding spaces are allowed, an empty field is not. */
function parseNumber(field: string): number | null {
  const s = field.trim();
  if (s === "") return null;
  const value = Number(s);
  return Number.isFinite(value) ? value : null;
}

function detectHeader(rows: CsvRow[]): boolean {
  const first = rows[0].fields;
  const second = rows[1]?.fields;
  return first.some(
    (field, c) =>
      field.trim() !== "" &&
      parseNumber(field) === null &&
      (!second || parseNumber(second[c] ?? "") !== null),
  );
}

function resolveLabelColumn(
  labelColumn: string | number | undefined,
  header: string[] | null,
  width: number,
  file: string,
): number {
  if (labelColumn === undefined) return width - 1;
  if (typeof labelColumn === "string") {
    if (header === null) {
      throw new InfomorphError({
        code: "csv/no-header",
        path: ["labelColumn"],
        message: `${file} has no header row, so the label column cannot be named "${labelColumn}". Give its index instead (0 = first column, -1 = last).`,
      });
    }
    const index = header.findIndex((name) => name.trim() === labelColumn);
    if (index < 0) {
      throw new InfomorphError({
        code: "csv/unknown-column",
        path: ["labelColumn"],
        message: `${file} has no column "${labelColumn}"; its header is: ${header.map((h) => h.trim()).join(", ")}.`,
      });
    }
    return index;
  }
  const index = labelColumn < 0 ? width + labelColumn : labelColumn;
  if (!Number.isInteger(labelColumn) || index < 0 || index >= width) {
    throw new InfomorphError({
      code: "csv/bad-label-column",
      path: ["labelColumn"],
      message: `label column ${labelColumn} does not exist in ${file}, which has ${width} columns. Give an index from 0 to ${width - 1} (or -1 for the last).`,
    });
  }
  return index;
}

/** Map the distinct label values, sorted, to 0..k−1. */
function encodeLabels(
  raw: string[],
  rows: CsvRow[],
  labelIndex: number,
  file: string,
): { labels: Uint8Array; labelNames: string[] } {
  const allNumeric = raw.every((value) => parseNumber(value) !== null);
  if (allNumeric) {
    const bad = raw.findIndex((value) => !Number.isInteger(Number(value)));
    if (bad >= 0) {
      throw new InfomorphError({
        code: "csv/non-integer-label",
        path: [file, rows[bad].line, labelIndex + 1],
        message: `${file} line ${rows[bad].line}, column ${labelIndex + 1}: label "${raw[bad]}" is not an integer. Class labels must be integers or text; is the label column the right one?`,
      });
    }
  }
  const distinct = [...new Set(allNumeric ? raw.map((v) => String(Number(v))) : raw)];
  distinct.sort(allNumeric ? (a, b) => Number(a) - Number(b) : undefined);
  if (distinct.length > 256) {
    throw new InfomorphError({
      code: "csv/too-many-classes",
      path: ["labelColumn"],
      message: `${file} column ${labelIndex + 1} has ${distinct.length} distinct labels; at most 256 classes are supported. Is the label column the right one?`,
    });
  }
  const index = new Map(distinct.map((value, i) => [value, i]));
  const labels = new Uint8Array(raw.length);
  raw.forEach((value, i) => {
    labels[i] = index.get(allNumeric ? String(Number(value)) : value)!;
  });
  return { labels, labelNames: distinct };
}
