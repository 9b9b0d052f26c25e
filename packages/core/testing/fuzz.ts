/**
 * Test helper for the fuzz tests: one fast-check seed per run, printed so a failure can be
 * replayed (FUZZ_SEED=<seed>; fast-check's own report adds the seed and the shrunk path), the
 * junk values malformed inputs are made of, and the rule every entry point must keep: a typed
 * InfomorphError, or a correct result — never another exception, NaN or a silent wrong answer.
 */

import fc from "fast-check";
import { expect } from "vitest";
import { InfomorphError } from "../src/errors.js";

/** The run's seed: FUZZ_SEED when set (to replay a failure), else a fresh one, printed once. */
export function fuzzSeed(file: string): number {
  const given = process.env.FUZZ_SEED;
  const seed = given !== undefined ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  console.log(
    `fuzz ${file}: fast-check seed ${seed} (replay: FUZZ_SEED=${seed} npx vitest run ${file})`,
  );
  return seed;
}

/** Values a careless caller might pass anywhere. */
export function junk(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.double(),
    // 2³¹: beyond every size a typed array may have (a valid size like 1e9 would allocate gigabytes)
    fc.constantFrom(0, -1, 1, 2, 0.5, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY, -0),
    fc.integer({ min: -5, max: 300 }),
    fc.string({ maxLength: 6 }),
    fc.boolean(),
    fc.constant([]),
    fc.constant({}),
    fc.array(fc.double(), { maxLength: 8 }),
    fc.float32Array({ maxLength: 12 }),
    fc.uint8Array({ maxLength: 12 }),
  );
}

/** Every path to a value inside a JSON-like object (typed arrays are leaves). */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) return [prefix];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value as Record<string, unknown>);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

/** A deep copy of `value` with the entry at `path` replaced (or deleted, for undefined in an object). */
export function replaceAt(
  value: unknown,
  path: readonly (string | number)[],
  next: unknown,
): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  const copy = Array.isArray(value)
    ? [...value]
    : { ...(value as Record<string | number, unknown>) };
  const record = copy as Record<string | number, unknown>;
  if (rest.length === 0 && next === undefined && !Array.isArray(copy)) delete record[head];
  else record[head] = replaceAt(record[head], rest, next);
  return copy;
}

/**
 * Run `call`; it must either return (then `check` judges the result) or throw an
 * InfomorphError with a code, a path and a message that names something (never a raw
 * TypeError or RangeError). Returns the error, or null when the call succeeded.
 */
export async function typedErrorOr<T>(
  call: () => T | Promise<T>,
  check: (result: T) => void,
): Promise<InfomorphError | null> {
  let result: T;
  try {
    result = await call();
  } catch (err) {
    if (!(err instanceof InfomorphError)) {
      throw new Error(`expected an InfomorphError or a result, got ${String(err)}`, { cause: err });
    }
    expect(err.code).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
    expect(err.message.length).toBeGreaterThan(10);
    return err;
  }
  check(result);
  return null;
}
