/** The checks of a model's own entry points (trainBatch, predict, restore), shared by every network kind: shapes, lengths, finiteness and labels, each error naming the argument. */

import { InfomorphError } from "../errors.js";
import {
  checkFiniteEntries,
  checkInteger,
  checkLabels,
  checkLength,
  checkTypedArray,
} from "../validate/arguments.js";
import { checkStateShape } from "../validate/state.js";
import type { ModelEpochStats } from "./model.js";

/** What the checks need to know of a model. */
interface Shape {
  readonly inputs: number;
  readonly classes: number;
  readonly capacity: number;
}

/** trainBatch(x, labels, count): 1 ≤ count ≤ capacity, x holds count × inputs finite features, labels count classes. */
export function checkTrainBatch(model: Shape, x: unknown, labels: unknown, count: unknown): void {
  const n = checkInteger(
    count,
    ["count"],
    { min: 1, max: model.capacity },
    `A batch holds 1 to ${model.capacity} samples (the model's capacity); create the model with a larger capacity for larger batches.`,
  );
  const features = checkFeatures(model, x, n);
  checkFiniteEntries(features, ["x"], {
    length: n * model.inputs,
    rowLength: model.inputs,
    fix: "Every feature must be a finite number: remove or impute NaN and infinite values before training.",
  });
  const y = checkTypedArray<Uint8Array>(
    labels,
    "Uint8Array",
    ["labels"],
    "Pass the class indices as a Uint8Array, e.g. Uint8Array.from(labels).",
  );
  checkLength(y, n, ["labels"], `count = ${n}`, { atLeast: true });
  checkLabels(y, n, model.classes, ["labels"]);
}

/** predict(x, count, scores): count ≥ 0, x holds count × inputs finite features, scores count × classes entries. */
export function checkPredict(model: Shape, x: unknown, count: unknown, scores: unknown): void {
  const n = checkInteger(count, ["count"], { min: 0 }, "Pass the number of samples in x.");
  const features = checkFeatures(model, x, n);
  checkFiniteEntries(features, ["x"], {
    length: n * model.inputs,
    rowLength: model.inputs,
    fix: "Every feature must be a finite number: remove or impute NaN and infinite values first.",
  });
  const out = checkTypedArray<Float32Array>(
    scores,
    "Float32Array",
    ["scores"],
    `Allocate new Float32Array(count × ${model.classes}).`,
  );
  checkLength(out, n * model.classes, ["scores"], `count × classes = ${n} × ${model.classes}`, {
    atLeast: true,
    fix: `Allocate new Float32Array(${n * model.classes}).`,
  });
}

/** hiddenSamples(x, count, out): as predict, with out an Int8Array of count × hidden size entries. */
export function checkHiddenSamples(
  model: Shape,
  x: unknown,
  count: unknown,
  out: unknown,
  size: number,
): void {
  const n = checkInteger(count, ["count"], { min: 0 }, "Pass the number of samples in x.");
  const features = checkFeatures(model, x, n);
  checkFiniteEntries(features, ["x"], { length: n * model.inputs, rowLength: model.inputs });
  const samples = checkTypedArray<Int8Array>(
    out,
    "Int8Array",
    ["out"],
    `Allocate new Int8Array(count × ${size}).`,
  );
  checkLength(samples, n * size, ["out"], `count × hidden neurons = ${n} × ${size}`, {
    atLeast: true,
    fix: `Allocate new Int8Array(${n * size}).`,
  });
}

function checkFeatures(model: Shape, x: unknown, count: number): Float32Array {
  const features = checkTypedArray<Float32Array>(
    x,
    "Float32Array",
    ["x"],
    "Pass the features as a row-major Float32Array [sample × inputs], e.g. Float32Array.from(rows.flat()).",
  );
  checkLength(
    features,
    count * model.inputs,
    ["x"],
    `count × inputs = ${count} × ${model.inputs}`,
    {
      atLeast: true,
      fix: `Each sample needs the model's ${model.inputs} inputs, row after row.`,
    },
  );
  return features;
}

/**
 * restore(state): `state` must have the structure of the model's own `template` state (a
 * state saved from a model with the same config), and the flip entries must be 0 or 1.
 */
export function checkRestore(template: unknown, state: unknown): void {
  const fix =
    "Restore a state saved from a model with the same config, or save with saveModel() and load with loadModel(), which rebuilds the model from its saved config.";
  checkStateShape(template, state, ["state"], fix);
}

/**
 * The last epoch's atoms of a saved model, against the network's layers (name, size, sources
 * and the number of values): the same structure and sizes, else state/mismatch.
 */
export function checkEpochAtoms(
  layers: readonly { name: string; size: number; sources: readonly string[]; values: number }[],
  stats: unknown,
): ModelEpochStats {
  const fix = "The saved atoms do not fit this network; save the model again with saveModel().";
  const template = {
    layers: layers.map((l) => ({
      name: l.name,
      size: l.size,
      sources: l.sources,
      atoms: new Float64Array(l.values),
    })),
  };
  checkStateShape(template, stats, ["atoms"], fix);
  const checked = stats as ModelEpochStats;
  const wrong = checked.layers.findIndex((l, i) => l.size !== layers[i].size);
  if (wrong >= 0) {
    throw new InfomorphError({
      code: "state/mismatch",
      path: ["atoms", "layers", wrong, "size"],
      message: `atoms.layers[${wrong}].size is ${checked.layers[wrong].size} but the ${layers[wrong].name} layer has ${layers[wrong].size} neurons. ${fix}`,
    });
  }
  return checked;
}
