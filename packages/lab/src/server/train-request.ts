/**
 * A training the page asks for (POST api/trainings), checked field by field before any
 * process starts, and turned into `infomorph train` arguments. Goals are parsed with core's
 * parseGoal against the preset's layers, as `--goal` is, so a typo gets the parser's own
 * message (which lists the valid atoms). Only named datasets are offered: a page may not
 * make the server read files by path.
 */

import {
  OUTPUT_SOURCE_NAMES,
  PRESET_NAMES,
  hiddenSourceNames,
  parseGoal,
  presetConfig,
} from "@infomorph/core";
import { badRequest } from "./http-error.js";
import { checkRunName } from "./run-paths.js";

export const DATASETS = ["embedded", "mnist", "fashion-mnist"] as const;

/** The fields, with their limits. */
const INTEGERS = {
  hidden: { min: 1, max: 10_000, flag: "--hidden", required: true },
  epochs: { min: 1, max: 100_000, flag: "--epochs", required: true },
  batchSize: { min: 1, max: 65_536, flag: "--batch-size", required: false },
  seed: { min: 0, max: 2 ** 31 - 1, flag: "--seed", required: false },
  trainSamples: { min: 1, max: 10_000_000, flag: "--train-samples", required: false },
} as const;

const FIELDS = ["name", "preset", "dataset", "goal", "outputGoal", ...Object.keys(INTEGERS)];

export interface TrainRequest {
  name: string;
  /** Arguments for `infomorph train` (without --out). */
  args: string[];
}

/** The training `body` asks for; 400 naming the first field that is wrong and how to fix it. */
export function trainRequest(body: unknown): TrainRequest {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest(
      'the body must be a JSON object such as {"name": "demo", "preset": "trivariate", "dataset": "embedded", "hidden": 100, "epochs": 10}.',
    );
  }
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) {
    throw badRequest(`unknown field "${unknown}"; a training takes ${FIELDS.join(", ")}.`);
  }
  const name = checkRunName(b.name);
  const preset = b.preset ?? "trivariate";
  if (typeof preset !== "string" || !(PRESET_NAMES as readonly string[]).includes(preset)) {
    throw badRequest(
      `preset must be one of ${PRESET_NAMES.join(", ")} (got ${JSON.stringify(preset)}).`,
    );
  }
  const dataset = b.dataset ?? "embedded";
  if (typeof dataset !== "string" || !(DATASETS as readonly string[]).includes(dataset)) {
    throw badRequest(
      `dataset must be one of ${DATASETS.join(", ")} (got ${JSON.stringify(dataset)}).`,
    );
  }
  const args = ["--preset", preset, "--dataset", dataset];
  const numbers: Record<string, number> = {};
  for (const [key, rule] of Object.entries(INTEGERS)) {
    const value = b[key];
    if (value === undefined) {
      if (rule.required)
        throw badRequest(`${key} is missing; give an integer from ${rule.min} to ${rule.max}.`);
      continue;
    }
    if (
      typeof value !== "number" ||
      !Number.isInteger(value) ||
      value < rule.min ||
      value > rule.max
    ) {
      throw badRequest(
        `${key} must be an integer from ${rule.min} to ${rule.max} (got ${JSON.stringify(value)}).`,
      );
    }
    numbers[key] = value;
    args.push(rule.flag, String(value));
  }
  const model = presetConfig(preset, { hidden: numbers.hidden, inputs: 784, classes: 10 });
  for (const [key, flag] of [
    ["goal", "--goal"],
    ["outputGoal", "--output-goal"],
  ] as const) {
    const goal = b[key];
    if (goal === undefined) continue;
    if (typeof goal !== "string" || goal.trim() === "") {
      throw badRequest(
        `${key} must be a goal as --goal takes it, e.g. "(F)(C)=1, (F)=0.1" or trivariate-heuristic.`,
      );
    }
    if (goal.trim().startsWith("@"))
      throw badRequest(
        `${key}: a goal file (@FILE) cannot be given from the page; write the weights.`,
      );
    const names =
      key === "outputGoal"
        ? OUTPUT_SOURCE_NAMES
        : model.kind === "infomorphic" && model.hidden?.kind === "infomorphic"
          ? hiddenSourceNames(model.hidden)
          : null;
    if (names === null)
      throw badRequest(`preset ${preset} has no hidden layer that learns a goal; leave goal out.`);
    if (model.kind !== "infomorphic")
      throw badRequest(`preset ${preset} has no goals; leave ${key} out.`);
    try {
      parseGoal(goal, { sources: names.length, classNames: names });
    } catch (err) {
      throw badRequest(`${key}: ${(err as Error).message}`);
    }
    args.push(flag, goal);
  }
  return { name, args };
}
