/** Labelled data for training and evaluation: the one constructor from a user's own arrays, and the one check every entry point that takes data runs. */

import {
  type ArgumentPath,
  argumentError,
  checkFiniteEntries,
  checkInteger,
  checkLabels,
  checkLength,
  checkObject,
  checkTypedArray,
  describeValue,
} from "../validate/arguments.js";

/** Labelled samples, row-major float32 features [count × dim], labels in 0…classes−1. */
export interface LabelledData {
  readonly features: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly dim: number;
  readonly classes: number;
}

/** The most classes: labels are bytes. */
const MAX_LABEL_CLASSES = 256;

/** What labelledData() takes: features as rows or flat, labels as class indices. */
export interface LabelledDataInput {
  /**
   * The features: an array of rows (`[[0.1, 2], [0.3, 1], …]`, each row one sample), or one
   * flat row-major array of count × dim numbers (a Float32Array is used without a copy).
   */
  readonly features: ArrayLike<number> | readonly ArrayLike<number>[];
  /** One class index per sample, 0 … classes − 1. */
  readonly labels: ArrayLike<number>;
  /** Features per sample: required for flat features, checked against rows. */
  readonly dim?: number;
  /** Number of classes (default: the largest label + 1, at least 2). */
  readonly classes?: number;
}

/**
 * Labelled data from a user's own arrays, checked: every row the same length, every feature
 * a finite number that fits float32, one integer label per sample in 0 … classes − 1.
 * Features are stored as float32 (the precision of the networks' inputs), labels as bytes.
 * Errors name the argument and the entry: `features[3][1] is NaN; …`.
 *
 * @example labelledData({ features: [[0, 1], [1, 0]], labels: [0, 1] }) // count 2, dim 2, classes 2
 * @example labelledData({ features: pixels, dim: 784, labels, classes: 10 })
 */
export function labelledData(input: LabelledDataInput): LabelledData {
  const o = checkObject(input, ["data"], "Pass { features, labels, dim?, classes? }.");
  const rawLabels = o.labels;
  if (!isArrayLike(rawLabels)) {
    throw argumentError(
      "argument/wrong-type",
      ["labels"],
      `must be an array of class indices (got ${describeValue(rawLabels)})`,
      "Pass one integer label per sample, e.g. [0, 1, 1, 0].",
    );
  }
  const count = rawLabels.length;
  if (count === 0) {
    throw argumentError("argument/empty", ["labels"], "is empty", "Give at least one sample.");
  }
  const { features, dim } = flatFeatures(o.features, o.dim, count);
  const labels = rawLabels as ArrayLike<number>;
  let classes: number;
  if (o.classes === undefined) {
    checkLabels(labels, count, MAX_LABEL_CLASSES, ["labels"]);
    let largest = 0;
    for (let i = 0; i < count; i++) largest = Math.max(largest, labels[i]);
    classes = Math.max(2, largest + 1);
  } else {
    classes = checkInteger(
      o.classes,
      ["classes"],
      { min: 2, max: MAX_LABEL_CLASSES },
      "classes is the number of classes (labels are 0 … classes − 1).",
    );
    checkLabels(labels, count, classes, ["labels"]);
  }
  return { features, labels: Uint8Array.from(labels), count, dim, classes };
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** Features as one float32 row-major array, and their dim. */
function flatFeatures(
  value: unknown,
  dimValue: unknown,
  count: number,
): { features: Float32Array; dim: number } {
  if (!isArrayLike(value)) {
    throw argumentError(
      "argument/wrong-type",
      ["features"],
      `must be an array of rows or a flat array of numbers (got ${describeValue(value)})`,
      "Pass e.g. [[0.1, 2], [0.3, 1]], or a Float32Array with dim.",
    );
  }
  const rows = Array.isArray(value) && value.length > 0 && isArrayLike(value[0]);
  if (rows) {
    const list = value as readonly unknown[];
    checkLength(list, count, ["features"], `one row per label (${count} labels)`);
    const first = list[0] as ArrayLike<number>;
    const dim =
      dimValue === undefined
        ? first.length
        : checkInteger(dimValue, ["dim"], { min: 1 }, "dim is the number of features per sample.");
    if (dim < 1) {
      throw argumentError(
        "argument/empty",
        ["features", 0],
        "is an empty row",
        "Each sample needs at least one feature.",
      );
    }
    const features = new Float32Array(count * dim);
    list.forEach((row, r) => {
      if (!isArrayLike(row)) {
        throw argumentError(
          "argument/wrong-type",
          ["features", r],
          `must be a row of numbers (got ${describeValue(row)})`,
          "Every row is an array of numbers.",
        );
      }
      checkLength(row, dim, ["features", r], `dim = ${dim} (the length of row 0)`, {
        fix: "Every row needs the same number of features.",
      });
      checkNumbers(row as ArrayLike<number>, ["features", r], dim);
      features.set(row as ArrayLike<number>, r * dim);
    });
    checkFloat32(features, count * dim, dim);
    return { features, dim };
  }
  const dim = checkInteger(
    dimValue,
    ["dim"],
    { min: 1 },
    "Flat features need dim, the number of features per sample (or pass an array of rows).",
  );
  const flat = value as ArrayLike<number>;
  checkLength(flat, count * dim, ["features"], `count × dim = ${count} × ${dim}`, {
    fix: "Pass count × dim numbers, row after row, or check dim.",
  });
  checkNumbers(flat, ["features"], dim);
  const features = flat instanceof Float32Array ? flat : Float32Array.from(flat);
  checkFloat32(features, count * dim, dim);
  return { features, dim };
}

/** Every entry a finite number (strings, null and NaN are named with their index). */
function checkNumbers(values: ArrayLike<unknown>, path: ArgumentPath, dim: number): void {
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== "number") {
      throw argumentError(
        "argument/not-finite",
        [...path, i],
        `is ${describeValue(values[i])}; every feature must be a finite number`,
        "Convert the values to numbers first.",
      );
    }
  }
  checkFiniteEntries(values as ArrayLike<number>, path, {
    rowLength: path.length === 1 ? dim : undefined,
  });
}

/** Finite numbers beyond float32's range become ±Infinity when stored: name them. */
function checkFloat32(features: Float32Array, length: number, dim: number): void {
  checkFiniteEntries(features, ["features"], {
    length,
    rowLength: dim,
    fix: "The value does not fit float32 (|x| < 3.4e38): rescale the features.",
  });
}

/**
 * Check labelled data for `model` (features per sample and classes), as trainModel and
 * evaluate take it: typed arrays of exactly count × dim features and count labels, every
 * feature finite, every label a class of the model, at least one sample.
 */
export function checkLabelledData(
  data: unknown,
  path: ArgumentPath,
  model: { readonly inputs: number; readonly classes: number },
): LabelledData {
  const d = checkObject(
    data,
    path,
    "Pass labelled data: labelledData({ features, labels, dim?, classes? }).",
  );
  const count = checkInteger(
    d.count,
    [...path, "count"],
    { min: 1 },
    "Data needs at least one sample.",
  );
  const dim = checkInteger(
    d.dim,
    [...path, "dim"],
    { min: 1 },
    "dim is the number of features per sample.",
  );
  if (dim !== model.inputs) {
    throw argumentError(
      "argument/wrong-dim",
      [...path, "dim"],
      `is ${dim} but the model takes ${model.inputs} features per sample`,
      `Build the model with inputs: ${dim}, or give data of ${model.inputs} features.`,
    );
  }
  const classes = checkInteger(
    d.classes,
    [...path, "classes"],
    { min: 2, max: MAX_LABEL_CLASSES },
    "classes is the number of classes.",
  );
  if (classes !== model.classes) {
    throw argumentError(
      "argument/wrong-classes",
      [...path, "classes"],
      `is ${classes} but the model has ${model.classes} classes`,
      `Build the model with classes: ${classes}, or set the data's classes to ${model.classes}.`,
    );
  }
  const features = checkTypedArray<Float32Array>(
    d.features,
    "Float32Array",
    [...path, "features"],
    "Build the data with labelledData(), which converts arrays to float32.",
  );
  checkLength(features, count * dim, [...path, "features"], `count × dim = ${count} × ${dim}`);
  const labels = checkTypedArray<Uint8Array>(
    d.labels,
    "Uint8Array",
    [...path, "labels"],
    "Build the data with labelledData(), which converts labels to bytes.",
  );
  checkLength(labels, count, [...path, "labels"], `count = ${count}`);
  checkFiniteEntries(features, [...path, "features"], { rowLength: dim });
  checkLabels(labels, count, classes, [...path, "labels"]);
  return d as unknown as LabelledData;
}
