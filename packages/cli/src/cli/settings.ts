/** The training settings of a run: read from a YAML or JSON config file, validated with messages that name the file and key, overridden by flags. */

import { readFileSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import {
  type GoalSpec,
  InfomorphError,
  type ModelConfig,
  PRESET_NAMES,
  isPresetName,
} from "@infomorph/core";
import { parse as parseYaml } from "yaml";

/** What a user may set, in a config file (camelCase) or by flags (kebab-case). */
export interface TrainSettings {
  preset: string;
  hidden: number;
  epochs: number;
  batchSize: number;
  seed: number;
  dataset: string;
  dataDir?: string;
  out?: string;
  /** Use only the first N training samples (after the seeded split); for quick runs. */
  trainSamples?: number;
  /** A complete model config, replacing the preset's. */
  model?: ModelConfig;
  /** The hidden layer's goal: weights "(F)(C)=1, (F)=0.1", a named goal, or a mapping (see GoalSpec). */
  goal?: GoalSpec;
  /** The output layer's goal, in the same forms. */
  outputGoal?: GoalSpec;
}

export const DEFAULT_SETTINGS = {
  preset: "trivariate",
  hidden: 100,
  epochs: 10,
  batchSize: 1024,
  seed: 1,
  dataset: "embedded",
} as const satisfies Partial<TrainSettings>;

type Check = (value: unknown) => string | null;

const positiveInteger: Check = (v) =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 1 ? null : "a positive integer";
const nonNegativeInteger: Check = (v) =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? null : "a non-negative integer";
const nonEmptyString: Check = (v) =>
  typeof v === "string" && v.trim() !== "" ? null : "a non-empty string";
const presetName: Check = (v) => (isPresetName(v) ? null : `one of ${PRESET_NAMES.join(", ")}`);
const modelObject: Check = (v) =>
  v !== null &&
  typeof v === "object" &&
  !Array.isArray(v) &&
  ((v as { kind?: unknown }).kind === "infomorphic" ||
    (v as { kind?: unknown }).kind === "backprop")
    ? null
    : 'a complete model config object with kind "infomorphic" or "backprop" (see config.json of a run)';
const goalValue: Check = (v) =>
  (typeof v === "string" && v.trim() !== "") ||
  (v !== null && typeof v === "object" && !Array.isArray(v))
    ? null
    : 'a goal: atom weights such as "(F)(C)=1, (F)=0.1", a named goal, a mapping of atom names to weights, or @FILE';

/** Every key a config file may hold, with its check; the order is the order errors list them in. */
const KEYS: Readonly<Record<keyof TrainSettings, Check>> = {
  preset: presetName,
  hidden: positiveInteger,
  epochs: positiveInteger,
  batchSize: positiveInteger,
  seed: nonNegativeInteger,
  dataset: nonEmptyString,
  dataDir: nonEmptyString,
  out: nonEmptyString,
  trainSamples: positiveInteger,
  model: modelObject,
  goal: goalValue,
  outputGoal: goalValue,
};

export const SETTING_KEYS = Object.keys(KEYS) as (keyof TrainSettings)[];

/**
 * Read a config file: JSON for .json, YAML otherwise. The result is validated; every
 * error names the file and the key: `train.yaml: epochs must be a positive integer (got -1).`
 * A goal written as "@FILE" is read from FILE, relative to the config file's folder.
 */
export function readSettingsFile(path: string): Partial<TrainSettings> {
  const settings = validateSettings(readDataFile(path, "--config") ?? {}, path);
  for (const key of ["goal", "outputGoal"] as const) {
    const value = settings[key];
    if (value !== undefined)
      settings[key] = readGoalArgument(value, dirname(path), `${path}: ${key}`);
  }
  return settings;
}

/**
 * A goal as given: "@FILE" is replaced by the goal FILE holds (JSON for .json, YAML
 * otherwise: a weights string, a named goal, or a mapping), FILE taken relative to `baseDir`;
 * anything else is returned as it is. `origin` names the flag or key in messages.
 */
export function readGoalArgument(value: GoalSpec, baseDir: string, origin: string): GoalSpec {
  if (typeof value !== "string" || !value.trim().startsWith("@")) return value;
  const path = resolve(baseDir, value.trim().slice(1));
  const data = readDataFile(path, origin);
  const problem = goalValue(data);
  if (problem !== null) {
    throw configError([origin], `${path} must hold ${problem} (got ${describe(data)}).`);
  }
  return data as GoalSpec;
}

/** The parsed contents of a JSON (.json) or YAML (anything else) file; `origin` names where its path was given. */
function readDataFile(path: string, origin: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InfomorphError({
      code: "config/unreadable",
      path: [path],
      message:
        code === "ENOENT"
          ? `${origin === "--config" ? "config file" : "file"} ${path} does not exist. Check the path given to ${origin}.`
          : `cannot read ${path} (${code ?? String(err)}). Check its permissions.`,
    });
  }
  const isJson = extname(path).toLowerCase() === ".json";
  try {
    return isJson ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const reason = (err as Error).message.split("\n")[0];
    throw new InfomorphError({
      code: "config/syntax",
      path: [path],
      message: `${path} is not valid ${isJson ? "JSON" : "YAML"}: ${reason}. Fix the syntax.`,
    });
  }
}

/** Check an object against the config keys; `where` (a file name) prefixes every message. */
export function validateSettings(data: unknown, where: string): Partial<TrainSettings> {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw configError(
      [],
      `${where}: the config must be a mapping of keys to values (got ${describe(data)}). Valid keys: ${SETTING_KEYS.join(", ")}.`,
    );
  }
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (Object.hasOwn(KEYS, key)) continue;
    const camel = key.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const hint = camel !== key && Object.hasOwn(KEYS, camel) ? ` (did you mean ${camel}?)` : "";
    throw configError(
      [key],
      `${where}: unknown key "${key}"${hint}. Valid keys: ${SETTING_KEYS.join(", ")}.`,
    );
  }
  for (const key of SETTING_KEYS) {
    if (!Object.hasOwn(record, key)) continue;
    const problem = KEYS[key](record[key]);
    if (problem !== null) {
      throw configError(
        [key],
        `${where}: ${key} must be ${problem} (got ${describe(record[key])}).`,
      );
    }
  }
  return record as Partial<TrainSettings>;
}

/** Defaults, then the config file, then the flags given on the command line. */
export function resolveSettings(
  file: Partial<TrainSettings>,
  flags: Partial<TrainSettings>,
): TrainSettings {
  return { ...DEFAULT_SETTINGS, ...file, ...flags };
}

function configError(path: (string | number)[], message: string): InfomorphError {
  return new InfomorphError({ code: "config/invalid", path, message });
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "a mapping";
  return String(value);
}
