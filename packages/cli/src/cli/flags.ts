/** The one flag system: a command declares its flags as a table, and parsing, validation, config keys and --help all follow from it. */

import { parseArgs } from "node:util";
import { InfomorphError } from "@infomorph/core";

export type FlagType = "string" | "boolean" | "integer" | "number" | "list";

/** One row of a command's flag table. */
export interface FlagSpec {
  /** kebab-case, without the dashes: "batch-size" is --batch-size. */
  readonly name: string;
  readonly type: FlagType;
  /** One line for --help. */
  readonly description: string;
  /** Used when the flag is absent; shown in --help and in "Try --x …" hints. Booleans default to false. */
  readonly default?: string | number | boolean | readonly string[];
  /** The config field this flag sets, a camelCase path such as "train.batchSize". */
  readonly configKey?: string;
  /** The allowed values (for a list: of each item). */
  readonly choices?: readonly string[];
  /** The smallest allowed value of an integer or number flag. */
  readonly min?: number;
  /** The value's name in --help, e.g. "DIR"; default from the type (N, X, A,B, VALUE). */
  readonly placeholder?: string;
  /** A one-letter alias, e.g. "h" for -h. */
  readonly short?: string;
}

/** A positional argument, in order. */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

/** What parsing and --help need to know about a command. */
export interface CommandSpec<F extends readonly FlagSpec[] = readonly FlagSpec[]> {
  /** As typed after `infomorph`, e.g. "pid". */
  readonly name: string;
  /** One sentence for `infomorph --help` and the top of the command's --help. */
  readonly summary: string;
  readonly flags: F;
  readonly positionals?: readonly PositionalSpec[];
  /** A command line that works on a fresh install; ends --help. */
  readonly example: string;
}

/** Flags every command accepts; they end every --help. */
export const COMMON_FLAGS = [
  { name: "help", short: "h", type: "boolean", description: "show this help" },
  { name: "verbose", type: "boolean", description: "show stack traces on errors" },
] as const satisfies readonly FlagSpec[];

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type ValueOf<T extends FlagType> = T extends "boolean"
  ? boolean
  : T extends "integer" | "number"
    ? number
    : T extends "list"
      ? string[]
      : string;

/** The parsed values of a flag table, keyed by camelCase name; absent flags without default are undefined. */
export type FlagValues<T extends readonly FlagSpec[]> = {
  [F in T[number] as CamelCase<F["name"]>]: F extends { type: "boolean" }
    ? boolean
    : F extends { default: unknown }
      ? ValueOf<F["type"]>
      : ValueOf<F["type"]> | undefined;
};

export interface ParsedArgs<T extends readonly FlagSpec[] = readonly FlagSpec[]> {
  flags: FlagValues<T> & FlagValues<typeof COMMON_FLAGS>;
  /** Names (kebab-case) of the flags given on the command line, as opposed to defaulted. */
  given: ReadonlySet<string>;
  positionals: string[];
}

/** "batch-size" → "batchSize". */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Parse `argv` (the words after the command name) against the command's flag table and
 * the common flags. Every value is converted and checked here, so a command receives
 * only valid input. Bad usage throws InfomorphError with a code starting "usage/".
 *
 * @example parseFlags(dataCommand, ["--seed", "3"]).flags.seed // 3
 */
export function parseFlags<T extends readonly FlagSpec[]>(
  command: CommandSpec<T>,
  argv: readonly string[],
): ParsedArgs<T> {
  const table: readonly FlagSpec[] = [...command.flags, ...COMMON_FLAGS];
  const byName = new Map(table.map((f) => [f.name, f]));
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const f of table) {
    options[f.name] = { type: f.type === "boolean" ? "boolean" : "string" };
    if (f.short) options[f.name].short = f.short;
  }
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const raw = new Map<string, string[]>();
  const positionals: string[] = [];
  const seeHelp = `See: infomorph ${command.name} --help.`;
  for (const token of tokens) {
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== "option") continue;
    const spec = byName.get(token.name);
    if (!spec) {
      throw usage(
        "usage/unknown-flag",
        [token.rawName],
        `unknown flag ${token.rawName} for 'infomorph ${command.name}'. ${seeHelp}`,
      );
    }
    const flag = `--${spec.name}`;
    if (spec.type === "boolean") {
      if (token.value !== undefined) {
        throw usage(
          "usage/unexpected-value",
          [spec.name],
          `${flag} takes no value (got ${flag}=${token.value}). Use ${flag} alone.`,
        );
      }
      raw.set(spec.name, []);
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith("--"))) {
      throw usage("usage/missing-value", [spec.name], `${flag} needs a value.${tryHint(spec)}`);
    }
    const previous = raw.get(spec.name);
    if (previous && spec.type !== "list") {
      throw usage(
        "usage/repeated-flag",
        [spec.name],
        `${flag} was given twice (${previous[0]} and ${token.value}). Give it once.`,
      );
    }
    raw.set(spec.name, [...(previous ?? []), token.value]);
  }

  const declared = command.positionals ?? [];
  if (positionals.length > declared.length) {
    const extra = positionals[declared.length];
    throw usage(
      "usage/unexpected-argument",
      [extra],
      `unexpected argument '${extra}' for 'infomorph ${command.name}'. ${seeHelp}`,
    );
  }
  const missing = declared.slice(positionals.length).find((p) => p.required);
  if (missing && !raw.has("help")) {
    throw usage(
      "usage/missing-argument",
      [missing.name],
      `'infomorph ${command.name}' needs ${missing.name} (${missing.description}). ${seeHelp}`,
    );
  }

  const values: Record<string, unknown> = {};
  for (const spec of table) {
    const given = raw.get(spec.name);
    values[camelCase(spec.name)] = given === undefined ? defaultValue(spec) : convert(spec, given);
  }
  return {
    flags: values as ParsedArgs<T>["flags"],
    given: new Set(raw.keys()),
    positionals,
  };
}

/**
 * The flags given on the command line, as a nested config object by their configKey:
 * `--batch-size 64` with configKey "train.batchSize" gives { train: { batchSize: 64 } }.
 * Defaulted flags are left out, so the config's own resolver fills them.
 */
export function configFromFlags(
  table: readonly FlagSpec[],
  parsed: ParsedArgs<readonly FlagSpec[]>,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const values = parsed.flags as Record<string, unknown>;
  for (const spec of table) {
    if (!spec.configKey || !parsed.given.has(spec.name)) continue;
    const keys = spec.configKey.split(".");
    let node = config;
    for (const key of keys.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = values[camelCase(spec.name)];
  }
  return config;
}

/** The command's --help, generated from its flag table; ends with the example. */
export function helpText(command: CommandSpec): string {
  const table: readonly FlagSpec[] = [...command.flags, ...COMMON_FLAGS];
  const positionals = command.positionals ?? [];
  const usageLine = [
    `infomorph ${command.name}`,
    ...positionals.map((p) => (p.required ? p.name : `[${p.name}]`)),
    "[flags]",
  ].join(" ");
  const rows: [string, string][] = [
    ...positionals.map((p): [string, string] => [p.name, p.description]),
    ...table.map((f): [string, string] => [flagLabel(f), flagDescription(f)]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const line = ([label, text]: [string, string]): string => `  ${label.padEnd(width)}${text}`;
  return [
    `infomorph ${command.name}: ${command.summary}`,
    "",
    `Usage: ${usageLine}`,
    ...(positionals.length > 0
      ? ["", "Arguments:", ...rows.slice(0, positionals.length).map(line)]
      : []),
    "",
    "Flags:",
    ...rows.slice(positionals.length).map(line),
    "",
    "Example:",
    `  ${command.example}`,
    "",
  ].join("\n");
}

function flagLabel(f: FlagSpec): string {
  const names = f.short ? `-${f.short}, --${f.name}` : `--${f.name}`;
  if (f.type === "boolean") return names;
  const placeholder =
    f.placeholder ??
    (f.choices && f.type === "string"
      ? f.choices.join("|")
      : { string: "VALUE", integer: "N", number: "X", list: "A,B,…" }[f.type]);
  return `${names} ${placeholder}`;
}

function flagDescription(f: FlagSpec): string {
  const notes: string[] = [];
  if (f.choices && (f.type === "list" || f.placeholder))
    notes.push(`one of ${f.choices.join(", ")}`);
  if (f.min !== undefined) notes.push(`≥ ${f.min}`);
  if (f.default !== undefined && f.type !== "boolean")
    notes.push(`default: ${formatDefault(f.default)}`);
  return notes.length > 0 ? `${f.description} (${notes.join("; ")})` : f.description;
}

function formatDefault(value: NonNullable<FlagSpec["default"]>): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}

function defaultValue(spec: FlagSpec): unknown {
  if (spec.type === "boolean") return spec.default ?? false;
  if (Array.isArray(spec.default)) return [...spec.default];
  return spec.default;
}

function convert(spec: FlagSpec, given: string[]): unknown {
  const flag = `--${spec.name}`;
  switch (spec.type) {
    case "boolean":
      return true;
    case "string":
      checkChoice(spec, given[0]);
      return given[0];
    case "list": {
      const items = given
        .flatMap((v) => v.split(","))
        .map((v) => v.trim())
        .filter((v) => v !== "");
      if (items.length === 0) {
        throw usage(
          "usage/bad-value",
          [spec.name],
          `${flag} needs at least one value.${tryHint(spec)}`,
        );
      }
      for (const item of items) checkChoice(spec, item);
      return items;
    }
    case "integer":
    case "number": {
      const text = given[0].trim();
      const value = Number(text);
      const isInteger = spec.type === "integer";
      const ok =
        text !== "" &&
        Number.isFinite(value) &&
        (!isInteger || /^[+-]?\d+$/.test(text)) &&
        (spec.min === undefined || value >= spec.min);
      if (!ok) {
        const kind = isInteger ? "an integer" : "a number";
        const bound = spec.min === undefined ? "" : ` ≥ ${spec.min}`;
        throw usage(
          "usage/bad-value",
          [spec.name],
          `${flag} must be ${kind}${bound} (got ${given[0]}).${tryHint(spec)}`,
        );
      }
      return value;
    }
  }
}

function checkChoice(spec: FlagSpec, value: string): void {
  if (spec.choices && !spec.choices.includes(value)) {
    throw usage(
      "usage/bad-value",
      [spec.name],
      `--${spec.name} must be one of ${spec.choices.join(", ")} (got ${value}).${tryHint(spec)}`,
    );
  }
}

/** " Try --bins 20." from the default, else the minimum, else the first choice; "" when none. */
function tryHint(spec: FlagSpec): string {
  const example =
    spec.default !== undefined && spec.type !== "boolean"
      ? formatDefault(spec.default)
      : (spec.min ?? spec.choices?.[0]);
  return example === undefined ? "" : ` Try --${spec.name} ${example}.`;
}

function usage(code: string, path: (string | number)[], message: string): InfomorphError {
  return new InfomorphError({ code, path, message });
}
