import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { idxImagesBytes, idxLabelsBytes, tempDir } from "../../testing/idx-fixtures.js";
import { mnistForTests } from "../../testing/mnist.js";
import { loadIdxPair, readIdxImages, readIdxLabels } from "./idx.js";

const dir = tempDir();
const write = (name: string, bytes: Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const pixels = Uint8Array.from([0, 51, 102, 255, 255, 0, 0, 0]);

describe("readIdxImages / readIdxLabels", () => {
  it("reads raw and gzipped files alike", () => {
    const raw = readIdxImages(write("raw-images", idxImagesBytes(2, 2, 2, pixels)));
    const gz = readIdxImages(write("gz-images.gz", gzipSync(idxImagesBytes(2, 2, 2, pixels))));
    for (const images of [raw, gz]) {
      expect([images.count, images.rows, images.cols]).toEqual([2, 2, 2]);
      expect(Array.from(images.pixels)).toEqual(Array.from(pixels));
    }
    const labels = readIdxLabels(
      write("labels.gz", gzipSync(idxLabelsBytes(Uint8Array.from([7, 2])))),
    );
    expect(Array.from(labels)).toEqual([7, 2]);
  });

  it("names the file and the sizes when it is truncated", () => {
    const bytes = idxImagesBytes(60000, 28, 28, new Uint8Array(1218));
    const path = write("train-images-idx3-ubyte", bytes);
    expect(() => readIdxImages(path)).toThrow(
      "train-images-idx3-ubyte is truncated: header says 60000 images of 28×28 (47040016 bytes) " +
        "but the file holds 1234 bytes. Delete it and download again, or pass --data-dir with a complete copy.",
    );
  });

  it("says 'once unzipped' when a gzipped file is short", () => {
    const path = write(
      "t10k-labels-idx1-ubyte.gz",
      gzipSync(idxLabelsBytes(new Uint8Array(3)).subarray(0, 9)),
    );
    expect(() => readIdxLabels(path)).toThrow(
      "t10k-labels-idx1-ubyte.gz is truncated: header says 3 labels (11 bytes) but the file holds 9 bytes once unzipped.",
    );
  });

  it("rejects a broken gzip stream", () => {
    const gz = gzipSync(idxLabelsBytes(new Uint8Array(100)));
    const path = write("cut.gz", gz.subarray(0, 20));
    expect(() => readIdxLabels(path)).toThrow(
      "cut.gz is not a valid gzip file (unexpected end of file). Delete it and download again",
    );
  });

  it("rejects a header that is too short", () => {
    const path = write("tiny", Uint8Array.from([0, 0, 8, 3, 0]));
    expect(() => readIdxImages(path)).toThrow(
      "tiny is truncated: an IDX images header needs 16 bytes but the file holds 5 bytes.",
    );
  });

  it("rejects a wrong magic number, and says when images and labels are swapped", () => {
    const labelsPath = write("swapped", idxLabelsBytes(new Uint8Array(20)));
    expect(() => readIdxImages(labelsPath)).toThrow(
      "swapped is not an IDX images file: magic number 2049, expected 2051. Images and labels files are swapped",
    );
    const junk = write("junk.idx", Buffer.from("hello, this is no idx file"));
    expect(() => readIdxLabels(junk)).toThrow(
      "junk.idx is not an IDX labels file: magic number 1751477356, expected 2049. It is not an IDX file, or it is corrupt.",
    );
  });

  it("rejects trailing bytes", () => {
    const path = write(
      "long",
      Buffer.concat([idxLabelsBytes(new Uint8Array(2)), Buffer.from([1])]),
    );
    expect(() => readIdxLabels(path)).toThrow(
      "long is corrupt: header says 2 labels (10 bytes) but the file holds 11 bytes.",
    );
  });
});

describe("loadIdxPair", () => {
  it("scales pixels to [0, 1] and counts classes", () => {
    const images = write("pair-images", idxImagesBytes(2, 2, 2, pixels));
    const labels = write("pair-labels", idxLabelsBytes(Uint8Array.from([4, 1])));
    const ds = loadIdxPair(images, labels, "tiny/train");
    expect(ds).toMatchObject({
      name: "tiny/train",
      count: 2,
      dim: 4,
      classes: 5,
      imageShape: [2, 2],
    });
    expect(Array.from(ds.features)).toEqual(Array.from(pixels, (p) => Math.fround(p / 255)));
    expect(Array.from(ds.labels)).toEqual([4, 1]);
  });

  it("rejects images and labels of different counts", () => {
    const images = write("train-images-idx3-ubyte.gz", gzipSync(idxImagesBytes(2, 2, 2, pixels)));
    const labels = write("t10k-labels-idx1-ubyte.gz", gzipSync(idxLabelsBytes(new Uint8Array(3))));
    expect(() => loadIdxPair(images, labels, "x")).toThrow(
      "train-images-idx3-ubyte.gz holds 2 images but t10k-labels-idx1-ubyte.gz holds 3 labels. " +
        "Use the images and labels files of the same split.",
    );
  });
});

const mnist = mnistForTests();

describe(`MNIST IDX files (${mnist.label})`, () => {
  const split = (name: "train" | "t10k") =>
    loadIdxPair(
      join(mnist.dir, `${name}-images-idx3-ubyte.gz`),
      join(mnist.dir, `${name}-labels-idx1-ubyte.gz`),
      `mnist/${name}`,
    );

  it.each([
    ["train", mnist.train],
    ["t10k", mnist.test],
  ] as const)("%s holds the documented digits, labels and pixel mean", (name, facts) => {
    const ds = split(name);
    expect([ds.count, ds.dim, ds.classes, ds.imageShape]).toEqual([facts.count, 784, 10, [28, 28]]);
    expect(Array.from(ds.labels.subarray(0, 10))).toEqual(facts.firstLabels);
    const counts = new Array(10).fill(0);
    for (const label of ds.labels) counts[label]++;
    expect(counts).toEqual(facts.classCounts);
    let sum = 0;
    for (const x of ds.features) sum += x;
    expect(Math.abs(sum / ds.features.length - facts.pixelMean)).toBeLessThan(1e-5);
  });
});
