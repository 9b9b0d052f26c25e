/**
 * CIFAR-10 in its binary version: five training batches and one test batch of 10,000 records,
 * each 1 label byte (0–9) and 3072 pixel bytes (the 32×32 red, then green, then blue plane,
 * row-major). Found in a folder, or downloaded once (sha256-checked) and unpacked into the cache.
 */

import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { InfomorphError, type Rng, splitTrainValidation } from "@infomorph/core";
import type { Dataset, DatasetSplits } from "./dataset.js";
import { type DownloadFile, type DownloadOptions, ensureDownloaded } from "./download.js";
import { tarFiles } from "./tar.js";

/** The official archive (https://www.cs.toronto.edu/~kriz/cifar.html; 170,052,171 bytes, md5 c32a1d4ab5d03f1284b67883e8d87530). */
export const CIFAR10_ARCHIVE: DownloadFile = {
  name: "cifar-10-binary.tar.gz",
  url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
  sha256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
};

/** The folder the archive unpacks to. */
export const CIFAR10_FOLDER = "cifar-10-batches-bin";
export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`);
export const CIFAR10_TEST_FILE = "test_batch.bin";

const PIXELS = 3 * 32 * 32;
const RECORD = 1 + PIXELS;
const CLASSES = 10;
/** Validation share of the 50,000 training images (the reference's frac_val): 40,000 / 10,000. */
const VALIDATION_SHARE = 0.2;

/**
 * One or more batch files as a Dataset: pixels scaled from 0..255 to [0, 1], features in
 * file order (red plane, green plane, blue plane; the reference flattens the same way).
 * Throws "data/cifar-bad-size" for a length that is not whole records, "data/cifar-bad-label"
 * for a label above 9; both name the file.
 */
export function loadCifarBatches(paths: readonly string[], name: string): Dataset {
  const batches = paths.map((path) => {
    const bytes = readFileSync(path);
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      throw new InfomorphError({
        code: "data/cifar-bad-size",
        path: [path],
        message: `${basename(path)} has ${bytes.length} bytes, not a whole number of ${RECORD}-byte CIFAR-10 records (1 label + 3072 pixels). It is truncated or not a CIFAR-10 binary batch: delete it and fetch it again.`,
      });
    }
    return bytes;
  });
  const count = batches.reduce((n, b) => n + b.length / RECORD, 0);
  const features = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let i = 0;
  batches.forEach((bytes, b) => {
    for (let at = 0; at < bytes.length; at += RECORD, i++) {
      const label = bytes[at];
      if (label >= CLASSES) {
        throw new InfomorphError({
          code: "data/cifar-bad-label",
          path: [paths[b]],
          message: `${basename(paths[b])}: record ${at / RECORD} has label ${label}, but CIFAR-10 labels are 0–9. The file is damaged or not CIFAR-10 (CIFAR-100 batches have two label bytes): use the files of cifar-10-binary.tar.gz.`,
        });
      }
      labels[i] = label;
      const out = i * PIXELS;
      for (let p = 0; p < PIXELS; p++) features[out + p] = bytes[at + 1 + p] / 255;
    }
  });
  return { name, features, labels, count, dim: PIXELS, classes: CLASSES, imageShape: null };
}

/**
 * The folder holding every batch file: `dir` itself or its cifar-10-batches-bin subfolder;
 * null when neither holds any. A folder with some but not all is an error naming the missing.
 */
export function findCifarFolder(dir: string): string | null {
  for (const candidate of [resolve(dir), resolve(dir, CIFAR10_FOLDER)]) {
    const names = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
    const present = names.filter((n) => isFile(join(candidate, n)));
    if (present.length === names.length) return candidate;
    if (present.length > 0) {
      const missing = names.filter((n) => !present.includes(n));
      throw new InfomorphError({
        code: "data/incomplete",
        path: [candidate],
        message: `cifar-10: ${candidate} lacks ${missing.join(", ")}. Add the missing files (all six come in ${CIFAR10_ARCHIVE.name}), or point to a folder that holds all of them.`,
      });
    }
  }
  return null;
}

export interface CifarSearch {
  /** Searched alone when given. */
  readonly dataDir?: string;
  /** $INFOMORPH_DATA, searched before the cache. */
  readonly envDir?: string;
  /** Where the batches are unpacked after a download (the dataset's own cache folder). */
  readonly cacheDir: string;
  /** The archive to download when the batches are nowhere (tests serve their own). */
  readonly archive?: DownloadFile;
  readonly onProgress?: DownloadOptions["onProgress"];
}

/**
 * CIFAR-10 as splits: the 50,000 training images split 40,000 train / 10,000 validation
 * (seeded), test the 10,000 test images. Searched in dataDir (alone, when given), else
 * $INFOMORPH_DATA and the cache; downloaded into the cache when found nowhere: the archive
 * is sha256-checked, its six batch files unpacked (each written to a temporary name and
 * renamed), then the archive is deleted.
 */
export async function loadCifar10(
  where: CifarSearch,
  rng: Rng,
): Promise<Omit<DatasetSplits, "standardization">> {
  const searched: string[] = [];
  const search = (dir: string): string | null => {
    searched.push(resolve(dir));
    return findCifarFolder(dir);
  };
  let folder: string | null;
  if (where.dataDir !== undefined) {
    folder = search(where.dataDir);
    if (!folder) {
      throw new InfomorphError({
        code: "data/not-found",
        path: ["dataDir"],
        message: `cifar-10 not found in --data-dir: searched ${searched.join(" and its ")}/${CIFAR10_FOLDER} for ${CIFAR10_TRAIN_FILES.join(", ")}, ${CIFAR10_TEST_FILE}. Give the folder that holds them.`,
      });
    }
  } else {
    folder = (where.envDir ? search(where.envDir) : null) ?? search(where.cacheDir);
    folder ??= await downloadCifar10(where);
  }
  const trainAll = loadCifarBatches(
    CIFAR10_TRAIN_FILES.map((n) => join(folder, n)),
    "cifar-10/train",
  );
  const test = loadCifarBatches([join(folder, CIFAR10_TEST_FILE)], "cifar-10/test");
  const { train, validation } = splitTrainValidation(
    trainAll,
    Math.round(trainAll.count * VALIDATION_SHARE),
    rng,
  );
  return { train, validation, test, source: folder };
}

async function downloadCifar10(where: CifarSearch): Promise<string> {
  const archive = where.archive ?? CIFAR10_ARCHIVE;
  const [path] = await ensureDownloaded([archive], where.cacheDir, {
    offlineHint: `download ${CIFAR10_ARCHIVE.url} elsewhere, unpack it, and pass --data-dir with the ${CIFAR10_FOLDER} folder (or set INFOMORPH_DATA).`,
    onProgress: where.onProgress,
  });
  const names = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
  const files = tarFiles(gunzipSync(readFileSync(path)), archive.name, (n) =>
    names.includes(basename(n)),
  );
  const missing = names.filter((n) => ![...files.keys()].some((k) => basename(k) === n));
  if (missing.length > 0) {
    throw new InfomorphError({
      code: "data/bad-archive",
      path: [path],
      message: `${archive.name} lacks ${missing.join(", ")}. It is not the CIFAR-10 binary archive: delete it and download ${CIFAR10_ARCHIVE.url} again.`,
    });
  }
  const folder = join(where.cacheDir, CIFAR10_FOLDER);
  mkdirSync(folder, { recursive: true });
  for (const [name, data] of files) {
    const target = join(folder, basename(name));
    const temp = `${target}.${process.pid}.part`;
    writeFileSync(temp, data);
    renameSync(temp, target);
  }
  rmSync(path, { force: true });
  return folder;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
