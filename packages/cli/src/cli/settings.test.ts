import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSettingsFile, resolveSettings, validateSettings } from "./settings.js";

const dir = mkdtempSync(join(tmpdir(), "infomorph-config-"));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("train settings", () => {
  it("reads YAML and JSON with the same keys", () => {
    const yaml = file("a.yaml", "preset: readout\nepochs: 3\nbatchSize: 64\nseed: 0\n");
    const json = file("a.json", '{"preset": "readout", "epochs": 3, "batchSize": 64, "seed": 0}');
    expect(readSettingsFile(yaml)).toEqual({
      preset: "readout",
      epochs: 3,
      batchSize: 64,
      seed: 0,
    });
    expect(readSettingsFile(json)).toEqual(readSettingsFile(yaml));
    expect(readSettingsFile(file("empty.yaml", ""))).toEqual({});
  });

  it("names the file and key of a bad value", () => {
    const path = file("train.yaml", "epochs: -1\n");
    expect(() => readSettingsFile(path)).toThrow(
      `${path}: epochs must be a positive integer (got -1).`,
    );
    expect(() => validateSettings({ hidden: "ten" }, "train.yaml")).toThrow(
      'train.yaml: hidden must be a positive integer (got "ten").',
    );
    expect(() => validateSettings({ seed: 1.5 }, "x.json")).toThrow(
      "x.json: seed must be a non-negative integer (got 1.5).",
    );
    expect(() => validateSettings({ preset: "trivarate" }, "x.json")).toThrow(
      /^x\.json: preset must be one of trivariate, .*, backprop\b.* \(got "trivarate"\)\.$/,
    );
    expect(() => validateSettings({ model: { kind: "mlp" } }, "x.json")).toThrow(
      /^x\.json: model must be a complete model config object/,
    );
  });

  it("lists the valid keys on an unknown one, with a hint for kebab-case", () => {
    expect(() => validateSettings({ epoch: 3 }, "train.yaml")).toThrow(
      'train.yaml: unknown key "epoch". Valid keys: preset, hidden, epochs, batchSize, seed, dataset, dataDir, out, trainSamples, model, goal, outputGoal.',
    );
    expect(() => validateSettings({ "batch-size": 3 }, "train.yaml")).toThrow(
      'train.yaml: unknown key "batch-size" (did you mean batchSize?). Valid keys:',
    );
    expect(() => validateSettings([1, 2], "train.yaml")).toThrow(
      "train.yaml: the config must be a mapping of keys to values (got a list).",
    );
  });

  it("reports syntax errors and missing files by name", () => {
    const bad = file("bad.json", "{ epochs: 3 ");
    expect(() => readSettingsFile(bad)).toThrow(new RegExp(`^${bad} is not valid JSON: `));
    const missing = join(dir, "nope.yaml");
    expect(() => readSettingsFile(missing)).toThrow(
      `config file ${missing} does not exist. Check the path given to --config.`,
    );
  });

  it("resolves defaults < file < flags", () => {
    expect(resolveSettings({ epochs: 5, seed: 3 }, { epochs: 2 })).toEqual({
      preset: "trivariate",
      hidden: 100,
      epochs: 2,
      batchSize: 1024,
      seed: 3,
      dataset: "embedded",
    });
  });
});
