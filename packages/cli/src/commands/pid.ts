/** `infomorph pid FILE`: the I^sx PID of a joint table (JSON) or of the empirical distribution of samples (CSV), as an aligned table or JSON. */

import { readFileSync } from "node:fs";
import { extname } from "node:path";
import {
  InfomorphError,
  MAX_SOURCES,
  type PidResult,
  pidOfSamples,
  pidOfTable,
} from "@infomorph/core";
import { defineCommand } from "../cli/command.js";
import { jsonErrorMessage } from "../cli/json-message.js";

const DEFAULT_CLASS_NAMES = ["F", "C", "L"];
const EXAMPLE_NAMES = ["A", "B", "C", "D", "E"];

/** What FILE holds, before validation: a joint table (JSON) or samples, one column per axis (CSV). */
type PidInput =
  | { kind: "table"; p: ArrayLike<number>; shape: number[] }
  | { kind: "samples"; columns: string[][] };

/** The decomposition and what its table's axes hold. */
interface Decomposed {
  pid: PidResult;
  /** Values per axis, for samples (their original text); null for a table. */
  values: readonly (readonly (string | number)[])[] | null;
  /** Number of samples; null for a table. */
  samples: number | null;
  /** Values of the target. */
  targetValues: number;
}

export const pidCommand = defineCommand({
  name: "pid",
  summary: "decompose a joint table or a CSV of samples into I^sx PID atoms, in bits.",
  positionals: [
    {
      name: "FILE",
      description:
        'JSON {"shape": […], "p": […]} (flat, C order, target last) or CSV of samples (target last)',
      required: true,
    },
  ],
  flags: [
    { name: "json", type: "boolean", description: "print only JSON: atoms, H_res, H, mi" },
    {
      name: "pointwise",
      type: "boolean",
      description: "also print the pointwise atoms of every non-zero cell",
    },
    {
      name: "normalize",
      type: "boolean",
      description: "divide the table by its sum (accept counts or weights)",
    },
    {
      name: "names",
      type: "list",
      placeholder: "F,C,L",
      description: "one class name per source for the alias column (default F,C,L for n ≤ 3)",
    },
  ],
  example: "infomorph pid packages/cli/examples/xor.json",
  async run(args, io) {
    const file = args.positionals[0];
    const input = readInput(file);
    const n = input.kind === "table" ? input.shape.length - 1 : input.columns.length - 1;
    const classNames = resolveClassNames(args.flags.names, n);
    const result = decompose(input, file, args.flags.normalize, {
      pointwise: args.flags.pointwise,
    });
    if (args.flags.json) {
      io.stdout.write(`${JSON.stringify(toJson(result.pid, args.flags.pointwise))}\n`);
    } else {
      io.stdout.write(toText(result, file, classNames, args.flags.pointwise));
    }
  },
});

/** Bad input exits 2 like bad usage (the contract), so its errors carry a "usage/" code. */
function badInput(code: string, path: (string | number)[], message: string): InfomorphError {
  return new InfomorphError({ code: `usage/pid-${code}`, path, message });
}

function readInput(file: string): PidInput {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : String(err);
    throw badInput(
      "unreadable",
      [file],
      `cannot read ${file}: ${reason}; give a JSON table {"shape": […], "p": […]} or a CSV of samples.`,
    );
  }
  const ext = extname(file).toLowerCase();
  const isJson = ext === ".json" || (ext !== ".csv" && text.trimStart().startsWith("{"));
  return isJson ? parseJsonTable(text, file) : parseCsvSamples(text, file);
}

/** {"shape": [...], "p": [...]}; "p_flat" (as in pid_vectors.json) is accepted for "p". */
function parseJsonTable(text: string, file: string): PidInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw badInput(
      "bad-json",
      [file],
      `${file} is not valid JSON (${jsonErrorMessage(text, err)}).`,
    );
  }
  const record = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if ("p" in record && "p_flat" in record) {
    throw badInput("bad-table", [file], `${file} has both "p" and "p_flat"; give only one.`);
  }
  const shape = record.shape;
  const key = "p" in record ? "p" : "p_flat";
  const p = record[key];
  if (!Array.isArray(shape) || !Array.isArray(p)) {
    throw badInput(
      "bad-table",
      [file],
      `${file} needs "shape" and "p" arrays, e.g. {"shape": [2, 2, 2], "p": [0.25, 0, 0, 0.25, 0, 0.25, 0.25, 0]} (source axes first, target last).`,
    );
  }
  const wrong = p.findIndex((v) => typeof v !== "number");
  if (wrong >= 0) {
    throw badInput(
      "bad-table",
      [file, key, wrong],
      `${file}: "${key}" must hold numbers, but entry ${wrong} is ${JSON.stringify(p[wrong])}.`,
    );
  }
  checkSources(shape.length - 1, file);
  return { kind: "table", p: p as number[], shape: shape as number[] };
}

/**
 * One sample per line: a column per source, the target last; any values. Each column's
 * distinct values, sorted (numerically when all are numbers), become 0…k−1. The first
 * row is a header when it holds some text and either one of its text fields heads a
 * column of numbers, or none of its fields appears again in its column.
 */
function parseCsvSamples(text: string, file: string): PidInput {
  const rows = text
    .split(/\r?\n/)
    .map((line, i) => ({ line: i + 1, fields: line.split(",").map(unquote) }))
    .filter((row) => row.fields.some((f) => f !== ""));
  const width = rows[0]?.fields.length ?? 0;
  if (width < 2) {
    throw badInput(
      "too-few-columns",
      [file],
      `${file} has ${width} column${width === 1 ? "" : "s"}; a CSV of samples needs one column per source and the target last (at least 2 columns).`,
    );
  }
  for (const row of rows) {
    if (row.fields.length !== width) {
      throw badInput(
        "ragged-csv",
        [file, row.line],
        `${file} line ${row.line} has ${row.fields.length} fields, expected ${width} as on line ${rows[0].line}.`,
      );
    }
  }
  checkSources(width - 1, file);
  const body = isHeader(rows.map((r) => r.fields)) ? rows.slice(1) : rows;
  return {
    kind: "samples",
    columns: Array.from({ length: width }, (_, c) => body.map((row) => row.fields[c])),
  };
}

function unquote(field: string): string {
  const s = field.trim();
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function isNumber(s: string): boolean {
  return s !== "" && Number.isFinite(Number(s));
}

function isHeader(rows: string[][]): boolean {
  if (rows.length < 2) return false;
  const [first, ...rest] = rows;
  const textOverNumbers = first.some(
    (f, c) => !isNumber(f) && rest.every((row) => isNumber(row[c])),
  );
  if (first.every(isNumber)) return false;
  const unique = first.every((f, c) => rest.every((row) => row[c] !== f));
  return textOverNumbers || unique;
}

function checkSources(n: number, file: string): void {
  if (n > MAX_SOURCES) {
    throw badInput(
      "too-many-sources",
      [file],
      `${file} has ${n} sources, but the I^sx lattice supports at most ${MAX_SOURCES} (7579 atoms); merge sources into fewer columns.`,
    );
  }
}

function resolveClassNames(names: string[] | undefined, n: number): string[] | null {
  if (names === undefined) return n <= 3 ? DEFAULT_CLASS_NAMES.slice(0, n) : null;
  const ok =
    names.length === n &&
    new Set(names).size === n &&
    names.every((name) => !/[(){}\s]/.test(name));
  if (!ok) {
    const example = (n <= 3 ? DEFAULT_CLASS_NAMES : EXAMPLE_NAMES).slice(0, n).join(",");
    throw badInput(
      "bad-names",
      ["names"],
      `--names needs ${n} distinct class names without brackets, one per source (got ${names.join(",")}); try --names ${example}.`,
    );
  }
  return names;
}

/** pidOfTable or pidOfSamples, with their errors (shape, length, not normalised, too many cells) turned into one-sentence input errors. */
function decompose(
  input: PidInput,
  file: string,
  normalize: boolean,
  options: { pointwise: boolean },
): Decomposed {
  try {
    if (input.kind === "samples") {
      const { columns } = input;
      const pid = pidOfSamples(columns.slice(0, -1), columns[columns.length - 1], options);
      return {
        pid,
        values: pid.values,
        samples: pid.samples,
        targetValues: pid.shape[pid.sources],
      };
    }
    const pid = pidOfTable(input.p, input.shape, { normalize, pointwise: options.pointwise });
    return { pid, values: null, samples: null, targetValues: input.shape[input.shape.length - 1] };
  } catch (err) {
    if (!(err instanceof InfomorphError)) throw err;
    if (err.code === "table/not-normalised" && input.kind === "table") {
      let sum = 0;
      for (let i = 0; i < input.p.length; i++) sum += input.p[i];
      throw badInput(
        "not-normalised",
        [file, "p"],
        `${file}: the probabilities sum to ${sum.toPrecision(12)}, not 1; pass --normalize to divide them by their sum (e.g. for counts).`,
      );
    }
    throw badInput(err.code.replace("/", "-"), [file, ...err.path], `${file}: ${err.message}`);
  }
}

/** Atom names → values, in canonical order. */
function byName(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(names.map((name, a) => [name, values[a]]));
}

/** The single-collection antichains {a}, whose I^sx is I(T; S_a), in canonical order. */
function collections(pid: PidResult): { name: string; subset: number; index: number }[] {
  return pid.lattice.antichains
    .filter((a) => a.collections.length === 1)
    .map((a) => ({ name: a.name, subset: a.collections[0], index: a.index }));
}

function toJson(pid: PidResult, pointwise: boolean): Record<string, unknown> {
  const names = pid.lattice.names;
  const json: Record<string, unknown> = {
    atoms: byName(names, pid.atoms),
    informative: byName(names, pid.informative.atoms),
    misinformative: byName(names, pid.misinformative.atoms),
    H_res: pid.hRes,
    H: pid.entropyBits,
    mi: Object.fromEntries(collections(pid).map((c) => [c.name, pid.mutualInformation(c.subset)])),
  };
  if (pointwise && pid.pointwise) {
    const { cells, p, atoms } = pid.pointwise;
    const size = pid.lattice.size;
    json.pointwise = cells.map((cell, c) => ({
      cell,
      p: p[c],
      atoms: byName(names, atoms.subarray(c * size, (c + 1) * size)),
    }));
  }
  return json;
}

/** Bits with 6 decimals; values that round to zero print as 0.000000, never -0.000000. */
function bits(v: number): string {
  return (Math.abs(v) < 5e-7 ? 0 : v).toFixed(6);
}

/** Align rows: the first `textColumns` columns to the left, the rest (numbers) to the right. */
function align(rows: string[][], textColumns: number): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) =>
    row
      .map((cell, c) => (c < textColumns ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("  ")
      .trimEnd(),
  );
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function toText(
  { pid, values, samples, targetValues }: Decomposed,
  file: string,
  classNames: string[] | null,
  pointwise: boolean,
): string {
  const lat = pid.lattice;
  const n = pid.sources;
  const alias = (index: number): string[] => (classNames ? [lat.alias(index, classNames)] : []);
  const aliasHeading = classNames ? ["alias"] : [];
  const textColumns = classNames ? 2 : 1;
  const from = samples === null ? "" : `${plural(samples, "sample")}, `;
  const lines = [
    `PID of ${file} (${from}${plural(n, "source")}, target with ${plural(targetValues, "value")}, ${lat.size} atoms; I^sx redundancy, in bits)`,
    "",
    ...align(
      [
        ["atom", ...aliasHeading, "value", "informative", "misinformative"],
        ...lat.names.map((name, a) => [
          name,
          ...alias(a),
          bits(pid.atoms[a]),
          bits(pid.informative.atoms[a]),
          bits(pid.misinformative.atoms[a]),
        ]),
      ],
      textColumns,
    ),
    "",
    ...align(
      [
        ["collection", ...aliasHeading, "I(T;S_a)"],
        ...collections(pid).map((c) => [
          c.name,
          ...alias(c.index),
          bits(pid.mutualInformation(c.subset)),
        ]),
      ],
      textColumns,
    ),
    "",
  ];
  const total = pid.atoms.reduce((s, v) => s + v, 0);
  const mi = pid.mutualInformation((1 << n) - 1);
  const difference = Math.abs(total - mi);
  const check = difference <= 1e-9 ? "= I(T;S): ok" : "≠ I(T;S): MISMATCH";
  const summary: [string, number, string][] = [
    ["H(T)", pid.entropyBits, ""],
    ["H_res", pid.hRes, "= H(T) − I(T;S)"],
    ["I(T;S)", mi, ""],
    ["Σ atoms", total, `${check} (difference ${difference.toExponential(1)})`],
  ];
  lines.push(
    ...align(
      summary.map(([label, value]) => [label, bits(value)]),
      1,
    ).map((line, i) => `${line}  ${summary[i][2]}`.trimEnd()),
    "",
  );
  if (pointwise && pid.pointwise) {
    const { cells, p, atoms } = pid.pointwise;
    const size = lat.size;
    const cellText = (cell: number[]): string => {
      const shown = cell.map((v, axis) => (values ? String(values[axis][v]) : String(v)));
      return `(${shown.slice(0, n).join(", ")} → ${shown[n]})`;
    };
    lines.push(
      "pointwise atoms per non-zero cell (s1, …, sn → t):",
      ...align(
        [
          ["cell", "p", ...lat.names],
          ...cells.map((cell, c) => [
            cellText(cell),
            bits(p[c]),
            ...Array.from({ length: size }, (_, a) => bits(atoms[c * size + a])),
          ]),
        ],
        1,
      ),
      "",
    );
  }
  return lines.join("\n");
}
