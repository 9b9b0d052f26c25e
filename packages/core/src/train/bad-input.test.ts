import { describe, expect, it } from "vitest";
import { blobs } from "../../testing/blobs.js";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { InfomorphError } from "../errors.js";
import { createModel } from "../network/create.js";
import { presetConfig } from "../network/presets.js";
import { pidOfTable } from "../pid/table.js";
import { labelledData } from "./data.js";
import { evaluate, trainModel } from "./loop.js";

// Each malformed input of issue 10, with the argument its typed error names.
const train = blobs(200, 1);
const validation = blobs(100, 2);
const model = () =>
  createModel(presetConfig("readout", { inputs: 6, classes: 3 }), 100, naiveKernels(), 1);
const options = { epochs: 1, batchSize: 100, seed: 1 };

async function rejection(run: () => unknown): Promise<InfomorphError> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(InfomorphError);
    return err as InfomorphError;
  }
  throw new Error("expected an InfomorphError, but the call succeeded");
}

describe("the issue's malformed inputs get a typed error naming the argument", () => {
  it("too-short labels", async () => {
    const short = { ...train, labels: train.labels.subarray(0, 150) };
    const err = await rejection(() => trainModel(model(), { train: short, validation }, options));
    expect(err.path).toEqual(["data", "train", "labels"]);
    expect(err.message).toBe(
      "data.train.labels has 150 entries but count = 200 needs 200. Check the array and the sizes passed with it.",
    );
  });

  it("too-short features", async () => {
    const short = { ...train, features: train.features.subarray(0, 1000) };
    const err = await rejection(() => trainModel(model(), { train: short, validation }, options));
    expect(err.path).toEqual(["data", "train", "features"]);
    expect(err.code).toBe("argument/wrong-length");
  });

  it("too-short scores", async () => {
    const err = await rejection(() =>
      model().predict(validation.features, 100, new Float32Array(299)),
    );
    expect(err.path).toEqual(["scores"]);
    expect(err.message).toBe(
      "scores has 299 entries but count × classes = 100 × 3 needs at least 300. Allocate new Float32Array(300).",
    );
  });

  it("evaluate with the wrong dim", async () => {
    const wrong = { ...validation, dim: 4, count: 150 };
    const err = await rejection(() => evaluate(model(), wrong));
    expect(err.path).toEqual(["data", "dim"]);
    expect(err.message).toBe(
      "data.dim is 4 but the model takes 6 features per sample. Build the model with inputs: 4, or give data of 6 features.",
    );
  });

  it("the wrong dim in training", async () => {
    const wrong = { ...train, dim: 5, count: 240 };
    const err = await rejection(() => trainModel(model(), { train: wrong, validation }, options));
    expect(err.path).toEqual(["data", "train", "dim"]);
  });

  it("NaN features in training", async () => {
    const features = train.features.slice();
    features[6 * 17 + 2] = Number.NaN;
    const err = await rejection(() =>
      trainModel(model(), { train: { ...train, features }, validation }, options),
    );
    expect(err.path).toEqual(["data", "train", "features", 104]);
    expect(err.message).toBe(
      "data.train.features[104] is NaN (row 17, column 2); every entry must be a finite number. Remove or impute the missing or infinite values first.",
    );
  });

  it("NaN in predict and evaluate", async () => {
    const features = validation.features.slice();
    features[7] = Number.POSITIVE_INFINITY;
    const scores = new Float32Array(300);
    expect((await rejection(() => model().predict(features, 100, scores))).path).toEqual(["x", 7]);
    expect((await rejection(() => evaluate(model(), { ...validation, features }))).path).toEqual([
      "data",
      "features",
      7,
    ]);
  });

  it("epochs: 0", async () => {
    const err = await rejection(() =>
      trainModel(model(), { train, validation }, { ...options, epochs: 0 }),
    );
    expect(err.path).toEqual(["options", "epochs"]);
    expect(err.message).toBe(
      "options.epochs must be an integer from 1 (got 0). Train for at least one epoch, e.g. epochs: 10.",
    );
  });

  it('context: "labels" is a config error, not a goal error', async () => {
    const config = presetConfig("trivariate", { hidden: 4, inputs: 6, classes: 3 });
    const typo = { ...config, hidden: { ...(config.hidden as object), context: "labels" } };
    const err = await rejection(() => createModel(typo as never, 10, naiveKernels(), 1));
    expect(err.path).toEqual(["config", "hidden", "context"]);
    expect(err.message).toBe(
      'config.hidden.context must be "none", "label" or "feedback" (got "labels"). Use one of "none", "label", "feedback".',
    );
  });

  it("restoring into a mismatched model, and a state that went through JSON.stringify", async () => {
    const small = createModel(
      presetConfig("trivariate", { hidden: 4, inputs: 6, classes: 3 }),
      10,
      naiveKernels(),
      1,
    );
    const large = createModel(
      presetConfig("trivariate", { hidden: 5, inputs: 6, classes: 3 }),
      10,
      naiveKernels(),
      1,
    );
    const err = await rejection(() => small.restore(large.state()));
    expect(err.code).toBe("state/mismatch");
    expect(err.path).toEqual(["state", "hidden", "parameters", 0, "weights"]);
    const stringified = JSON.parse(JSON.stringify(small.state()));
    const lost = await rejection(() => small.restore(stringified));
    expect(lost.path).toEqual(["state", "hidden", "parameters", 0, "weights"]);
    expect(lost.message).toMatch(
      /^state\.hidden\.parameters\[0\]\.weights should be a Float32Array of 24 entries but is an object\. .*saveModel\(\)/,
    );
  });

  it("a batch larger than the model's capacity", async () => {
    const err = await rejection(() =>
      trainModel(model(), { train, validation }, { ...options, batchSize: 101 }),
    );
    expect(err.path).toEqual(["options", "batchSize"]);
  });

  it("labels outside the classes, in labelledData and in trainBatch", async () => {
    expect(
      (await rejection(() => labelledData({ features: [[1], [2]], labels: [0, 3], classes: 3 })))
        .path,
    ).toEqual(["labels", 1]);
    const labels = new Uint8Array(100).fill(3);
    expect((await rejection(() => model().trainBatch(train.features, labels, 100))).path).toEqual([
      "labels",
      0,
    ]);
  });
});

describe("labelledData: a user's own arrays", () => {
  it("takes rows or flat features, infers dim and classes, and stores float32 and bytes", () => {
    const rows = labelledData({
      features: [
        [0.5, 1],
        [2, -3],
        [4, 5],
      ],
      labels: [0, 2, 1],
    });
    expect(rows).toEqual({
      features: Float32Array.of(0.5, 1, 2, -3, 4, 5),
      labels: Uint8Array.of(0, 2, 1),
      count: 3,
      dim: 2,
      classes: 3,
    });
    const flat = labelledData({ features: [0.5, 1, 2, -3], dim: 2, labels: [1, 1], classes: 4 });
    expect(flat.count).toBe(2);
    expect(flat.classes).toBe(4);
    const f32 = Float32Array.of(1, 2, 3, 4);
    expect(labelledData({ features: f32, dim: 2, labels: [0, 1] }).features).toBe(f32);
  });

  it.each([
    ["ragged rows", { features: [[1, 2], [3]], labels: [0, 1] }, ["features", 1]],
    ["a string feature", { features: [[1, "2"]], labels: [0] }, ["features", 0, 1]],
    ["NaN", { features: [0, Number.NaN], dim: 1, labels: [0, 1] }, ["features", 1]],
    ["a value beyond float32", { features: [[1e39]], labels: [0] }, ["features", 0]],
    ["flat features without dim", { features: [1, 2], labels: [0, 1] }, ["dim"]],
    [
      "a count that does not fit dim",
      { features: [1, 2, 3], dim: 2, labels: [0, 1] },
      ["features"],
    ],
    ["a fractional label", { features: [[1], [2]], labels: [0, 0.5] }, ["labels", 1]],
    ["a negative label", { features: [[1]], labels: [-1] }, ["labels", 0]],
    ["no samples", { features: [], labels: [] }, ["labels"]],
    ["more rows than labels", { features: [[1], [2]], labels: [0] }, ["features"]],
  ])("%s", async (_, input, path) => {
    expect((await rejection(() => labelledData(input as never))).path).toEqual(path);
  });
});

describe("probability tables in float32", () => {
  it("accepts float32 round-off (|Σp − 1| ≤ 1e-6) and renormalises in float64", () => {
    const p = Float32Array.of(0.1, 0.2, 0.3, 0.4 + 3e-7);
    const pid = pidOfTable(p, [2, 2]);
    const exact = pidOfTable(
      Float64Array.from(p, (v) => v / p.reduce((a, b) => a + b, 0)),
      [2, 2],
    );
    expect(pid.atoms).toEqual(exact.atoms);
    expect(() => pidOfTable(Float32Array.of(0.1, 0.2, 0.3, 0.41), [2, 2])).toThrow(
      expect.objectContaining({ code: "table/not-normalised" }),
    );
    // the same numbers as a plain array must sum to 1 ± 1e-9, and the error says what to do
    expect(() => pidOfTable(Array.from(p), [2, 2])).toThrow(/pass it as a Float32Array/);
  });
});

describe("a model larger than the runtime can hold", () => {
  it("is a typed error, not a RangeError", async () => {
    const config = presetConfig("readout", { inputs: 2 ** 31, classes: 3 });
    const err = await rejection(() => createModel(config, 10, naiveKernels(), 1));
    expect(err.code).toBe("model/too-large");
  });
});
