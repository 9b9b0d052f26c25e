/**
 * Fuzz tests: random malformed inputs at every public entry point. Each call must throw a
 * typed InfomorphError or give a correct result — never a raw exception, NaN or a silent
 * wrong answer. The seed is printed at the start; a failure prints fast-check's seed and
 * shrunk path (replay with FUZZ_SEED=<seed>).
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blobs } from "../../testing/blobs.js";
import { fuzzSeed, junk, pathsOf, replaceAt, typedErrorOr } from "../../testing/fuzz.js";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { createModel } from "../network/create.js";
import { PRESET_NAMES, presetConfig } from "../network/presets.js";
import { loadModel, saveModel } from "../network/save.js";
import { pidOfSamples } from "../pid/empirical.js";
import { pidOfTable } from "../pid/table.js";
import { labelledData } from "../train/data.js";
import { evaluate, trainModel } from "../train/loop.js";

const seed = fuzzSeed("packages/core/src/validate/entry-points.fuzz.test.ts");
fc.configureGlobal({ seed, numRuns: 60, endOnFailure: true });

const train = blobs(60, 1);
const validation = blobs(30, 2);
const kernels = naiveKernels();
const readout = () =>
  createModel(presetConfig("readout", { inputs: 6, classes: 3 }), 30, kernels, 1);

/** A random path of `value` and a junk value to put there. */
function mutation(value: unknown): fc.Arbitrary<{ path: (string | number)[]; next: unknown }> {
  // not the root: the tests below read their input's parts (junk in place of a whole argument is the junk() cases)
  const paths = pathsOf(value).filter((path) => path.length > 0);
  return fc.record({ path: fc.constantFrom(...paths), next: junk() });
}

function expectAccuracy(accuracy: number): void {
  expect(Number.isFinite(accuracy)).toBe(true);
  expect(accuracy).toBeGreaterThanOrEqual(0);
  expect(accuracy).toBeLessThanOrEqual(1);
}

describe("fuzz: every entry point throws a typed error or gives a correct result", () => {
  it("createModel with a config changed at a random place", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PRESET_NAMES).chain((preset) => {
          const config = presetConfig(preset, { hidden: 4, inputs: 6, classes: 3 });
          return fc.tuple(fc.constant(config), mutation(config));
        }),
        async ([config, { path, next }]) => {
          const changed = replaceAt(config, path, next);
          await typedErrorOr(
            () => createModel(changed as never, 30, kernels, 1),
            (model) => {
              // whatever was accepted builds a model that predicts finite scores
              const scores = new Float32Array(validation.count * model.classes);
              if (model.inputs !== 6) return;
              model.predict(validation.features, validation.count, scores);
              expect(scores.every(Number.isFinite)).toBe(true);
            },
          );
        },
      ),
    );
  });

  it("createModel's other arguments", async () => {
    const config = presetConfig("readout", { inputs: 6, classes: 3 });
    await fc.assert(
      fc.asyncProperty(junk(), junk(), junk(), async (capacity, k, s) => {
        await typedErrorOr(
          () =>
            createModel(
              config,
              capacity as number,
              (k === null ? kernels : k) as never,
              s as number,
            ),
          (model) => expect(model.capacity).toBe(capacity),
        );
        await typedErrorOr(
          () => createModel({ preset: "readout", inputs: capacity, classes: s, kernels } as never),
          (model) => expect(model.inputs).toBe(capacity),
        );
      }),
    );
  });

  it("trainModel with data or options changed at a random place", async () => {
    const input = { data: { train, validation }, options: { epochs: 1, batchSize: 30, seed: 1 } };
    await fc.assert(
      fc.asyncProperty(mutation(input), async ({ path, next }) => {
        // a valid but long run (epochs: 1e9) is not malformed input: leave it out
        const long =
          path.join(".") === "options.epochs" && Number.isSafeInteger(next) && (next as number) > 3;
        fc.pre(!long);
        const changed = replaceAt(input, path, next) as typeof input;
        await typedErrorOr(
          () => trainModel(readout(), changed.data, changed.options),
          ({ records }) => {
            expect(records.length).toBeGreaterThan(0);
            for (const r of records) {
              expectAccuracy(r.train.accuracy);
              expectAccuracy(r.validation.accuracy);
            }
          },
        );
      }),
    );
  });

  it("evaluate with data changed at a random place: a result agrees with predict", async () => {
    const model = readout();
    await fc.assert(
      fc.asyncProperty(mutation(validation), async ({ path, next }) => {
        const changed = replaceAt(validation, path, next) as typeof validation;
        await typedErrorOr(
          () => evaluate(model, changed),
          ({ accuracy, confusion }) => {
            expectAccuracy(accuracy);
            expect(confusion.reduce((a, b) => a + b, 0)).toBe(changed.count);
            // a valid change: the accuracy is the argmax's, recomputed here
            const scores = new Float32Array(changed.count * 3);
            model.predict(changed.features, changed.count, scores);
            let correct = 0;
            for (let i = 0; i < changed.count; i++) {
              const row = Array.from(scores.subarray(i * 3, i * 3 + 3));
              if (row.indexOf(Math.max(...row)) === changed.labels[i]) correct++;
            }
            expect(accuracy).toBe(correct / changed.count);
          },
        );
      }),
    );
  });

  it("predict and trainBatch with junk arguments", async () => {
    const model = readout();
    const x = fc.oneof(
      junk(),
      fc.float32Array({ maxLength: 200 }),
      fc.constant(validation.features),
    );
    await fc.assert(
      fc.asyncProperty(
        x,
        junk(),
        fc.oneof(junk(), fc.constant(new Float32Array(90))),
        async (features, count, scores) => {
          await typedErrorOr(
            () => model.predict(features as Float32Array, count as number, scores as Float32Array),
            () => {
              const n = (count as number) * 3;
              expect(
                Array.from((scores as Float32Array).subarray(0, n)).every(Number.isFinite),
              ).toBe(true);
            },
          );
          await typedErrorOr(
            () => model.trainBatch(features as Float32Array, scores as never, count as number),
            ({ accuracy }) => expectAccuracy(accuracy),
          );
        },
      ),
    );
  });

  it("restore with a state changed at a random place: on error nothing changed", async () => {
    const model = createModel(
      presetConfig("trivariate", { hidden: 3, inputs: 6, classes: 3 }),
      10,
      kernels,
      1,
    );
    const state = model.state();
    const before = JSON.stringify(saveModel(model).state);
    await fc.assert(
      fc.asyncProperty(mutation(state), async ({ path, next }) => {
        const error = await typedErrorOr(
          () => model.restore(replaceAt(state, path, next)),
          () => {},
        );
        if (error) expect(JSON.stringify(saveModel(model).state)).toBe(before);
        else model.restore(state);
      }),
    );
  });

  it("loadModel with the saved JSON changed at a random place", async () => {
    const model = createModel(
      presetConfig("bivariate-lateral", { hidden: 3, inputs: 6, classes: 3 }),
      10,
      kernels,
      1,
    );
    const saved = JSON.parse(JSON.stringify(saveModel(model)));
    await fc.assert(
      fc.asyncProperty(mutation(saved), async ({ path, next }) => {
        await typedErrorOr(
          () => loadModel(JSON.stringify(replaceAt(saved, path, next)), { kernels }),
          (loaded) => expect(loaded.kind).toBe("infomorphic"),
        );
      }),
    );
  });

  it("labelledData with random rows, labels, dim and classes", async () => {
    const cell = fc.oneof(fc.double(), fc.integer(), junk());
    const input = fc.record({
      features: fc.oneof(
        fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 5 }),
        fc.array(cell, { maxLength: 10 }),
        junk(),
      ),
      labels: fc.oneof(
        fc.array(fc.oneof(fc.integer({ min: -2, max: 300 }), junk()), { maxLength: 5 }),
        junk(),
      ),
      dim: fc.oneof(fc.constant(undefined), fc.integer({ min: -1, max: 4 }), junk()),
      classes: fc.oneof(fc.constant(undefined), fc.integer({ min: -1, max: 300 }), junk()),
    });
    await fc.assert(
      fc.asyncProperty(input, async (value) => {
        await typedErrorOr(
          () => labelledData(value as never),
          (data) => {
            expect(data.features.length).toBe(data.count * data.dim);
            expect(data.labels.length).toBe(data.count);
            expect(data.features.every(Number.isFinite)).toBe(true);
            expect(data.labels.every((l) => l < data.classes)).toBe(true);
            // the numbers are the ones given, as float32
            const flat =
              Array.isArray(value.features) && Array.isArray(value.features[0])
                ? (value.features as number[][]).flat()
                : Array.from(value.features as number[]);
            expect(Array.from(data.features)).toEqual(flat.map((v) => Math.fround(v)));
          },
        );
      }),
    );
  });

  it("pidOfTable with random tables and shapes: atoms sum to the mutual information", async () => {
    const table = fc.record({
      p: fc.oneof(
        fc.array(fc.oneof(fc.double({ min: 0, max: 1 }), junk()), { maxLength: 16 }),
        fc.float32Array({ maxLength: 16 }),
        junk(),
      ),
      shape: fc.oneof(fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 4 }), junk()),
      normalize: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(table, async ({ p, shape, normalize }) => {
        await typedErrorOr(
          () => pidOfTable(p as number[], shape as number[], { normalize }),
          (pid) => {
            const total = pid.atoms.reduce((a, b) => a + b, 0);
            expect(total).toBeCloseTo(pid.mutualInformation((1 << pid.sources) - 1), 9);
            expect(Number.isFinite(pid.hRes)).toBe(true);
          },
        );
      }),
    );
  });

  it("pidOfSamples with random columns", async () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("a", "b"), junk());
    const input = fc.record({
      sources: fc.oneof(fc.array(fc.array(value, { maxLength: 6 }), { maxLength: 6 }), junk()),
      target: fc.oneof(fc.array(value, { maxLength: 6 }), junk()),
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ sources, target }) => {
        await typedErrorOr(
          () => pidOfSamples(sources as never, target as never),
          (pid) => {
            expect(pid.samples).toBe((target as unknown[]).length);
            const total = pid.atoms.reduce((a, b) => a + b, 0);
            expect(total + pid.hRes).toBeCloseTo(pid.entropyBits, 9);
          },
        );
      }),
    );
  });
});
