/** The check behind every restore(): a saved state must have the structure of the model's own state — the same keys, typed arrays of the same type and length, numbers where numbers are. */

import { type ArgumentPath, argumentError, describeValue, pathText } from "./arguments.js";

/**
 * Check that `given` has the structure of `template` (a model's own `state()`): objects with
 * the same keys, arrays of the same length, typed arrays of the same type and length,
 * finite numbers where the template has a number (a `null` in the template admits null or a
 * finite number), equal strings where it has a string. Values are otherwise free. Throws
 * `state/mismatch` at the first difference, naming its path; `fix` says what to do.
 *
 * @example checkStateShape(model.state(), JSON.parse(text), ["state"], "Load it with loadModel().")
 */
export function checkStateShape(
  template: unknown,
  given: unknown,
  path: ArgumentPath,
  fix: string,
): void {
  const mismatch = (expected: string): never => {
    throw argumentError(
      "state/mismatch",
      path,
      `should be ${expected} but is ${describeValue(given)}`,
      fix,
    );
  };
  if (template === null) {
    if (given !== null && !(typeof given === "number" && Number.isFinite(given))) {
      mismatch("null or a finite number");
    }
    return;
  }
  if (typeof template === "number") {
    if (typeof given !== "number" || !Number.isFinite(given)) mismatch("a finite number");
    return;
  }
  if (typeof template === "string" || typeof template === "boolean") {
    if (given !== template) mismatch(JSON.stringify(template));
    return;
  }
  if (ArrayBuffer.isView(template)) {
    const tag = Object.prototype.toString.call(template);
    const length = (template as unknown as ArrayLike<number>).length;
    const name = tag.slice(8, -1);
    if (Object.prototype.toString.call(given) !== tag) mismatch(`a ${name} of ${length} entries`);
    if ((given as ArrayLike<number>).length !== length) mismatch(`a ${name} of ${length} entries`);
    return;
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(given) || given.length !== template.length) {
      mismatch(`an array of ${template.length} entries`);
    }
    const items = given as unknown[];
    template.forEach((t, i) => checkStateShape(t, items[i], [...path, i], fix));
    return;
  }
  if (typeof template === "object") {
    if (given === null || typeof given !== "object" || Array.isArray(given)) {
      mismatch(`an object with keys ${Object.keys(template).join(", ")}`);
    }
    const record = given as Record<string, unknown>;
    for (const [key, t] of Object.entries(template)) {
      if (!(key in record)) {
        throw argumentError(
          "state/mismatch",
          [...path, key],
          `is missing (${pathText(path)} has ${Object.keys(record).join(", ") || "no keys"})`,
          fix,
        );
      }
      checkStateShape(t, record[key], [...path, key], fix);
    }
    return;
  }
  mismatch(describeValue(template));
}
