/**
 * A run folder on disk:
 *
 *   config.json          the complete, resolved config (RunConfig); written atomically
 *   metrics.jsonl        one line per epoch and split (MetricLine); append-only
 *   atoms-<layer>.f32    per layer, float32 little-endian, appended per epoch: [epoch][neuron][atom + 1]
 *   atoms.json           layer names, sizes, sources, atom names and aliases, epochs stored; atomic
 *   checkpoint.json      epoch, the byte length of every append-only file at that epoch, and
 *                        the model state (typed arrays as {dtype, base64}); atomic
 *
 * Each epoch appends metrics and atoms, then rewrites atoms.json, then the checkpoint. A
 * crash at any moment leaves every atomic file whole; the append-only files may hold a tail
 * past the checkpoint, which a reader skips (atoms.json's epochs; the checkpoint's lengths)
 * and which resuming cuts off.
 */

import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  type EpochRecord,
  InfomorphError,
  type LayerEpochStats,
  type SplitMetrics,
  lattice,
} from "@infomorph/core";
import { decodeState, encodeState, littleEndianBytes } from "./codec.js";
import { type RunConfig, validateRunConfig } from "./config.js";
import { appendDurable, fileSize, truncateTo, writeFileAtomic } from "./files.js";

export const CONFIG_FILE = "config.json";
export const METRICS_FILE = "metrics.jsonl";
export const ATOMS_INDEX_FILE = "atoms.json";
export const CHECKPOINT_FILE = "checkpoint.json";

/** One line of metrics.jsonl. */
export interface MetricLine {
  epoch: number;
  split: "train" | "validation" | "test";
  accuracy: number;
  /** train: mean goal per layer over the epoch's batches (backprop: [cross-entropy]). */
  goals?: number[];
  /** validation, test: [true class][predicted class] counts. */
  confusion?: number[][];
  /** The epoch's wall-clock seconds: training, and evaluation of validation and test together. */
  seconds: { train: number; evaluate: number };
}

/** One layer in atoms.json. */
export interface AtomsLayer {
  name: string;
  size: number;
  sources: string[];
  /** The trajectory file, relative to the run folder. */
  file: string;
  /** Canonical atom names, in storage order; H_res is stored after them. */
  atoms: string[];
  /** The same atoms named by source, e.g. "(F)(C)". */
  aliases: string[];
  /** Values per neuron per epoch: atoms + 1 (H_res). */
  stride: number;
}

/** atoms.json. */
export interface AtomsIndex {
  format: 1;
  /** Epochs stored in every layer's file; read only epochs × size × stride float32 values. */
  epochs: number;
  dtype: "float32";
  byteOrder: "little";
  layout: "[epoch][neuron][atom + 1], atoms in canonical order, H_res last";
  layers: AtomsLayer[];
}

/** checkpoint.json, decoded. */
export interface Checkpoint {
  format: 1;
  /** Completed epochs; 0 is the untrained model. */
  epoch: number;
  /** Byte length of each append-only file after `epoch` epochs. */
  files: Record<string, number>;
  state: unknown;
}

export class RunFolder {
  private atoms: AtomsIndex | null;
  private files: Record<string, number>;
  private epoch: number;

  private constructor(
    readonly dir: string,
    readonly config: RunConfig,
    checkpoint: Checkpoint,
    atoms: AtomsIndex | null,
  ) {
    this.epoch = checkpoint.epoch;
    this.files = { ...checkpoint.files };
    this.atoms = atoms;
  }

  /** Start a new run in `dir` (created; must be empty) with its config and the untrained state as epoch 0. */
  static create(dir: string, config: RunConfig, initialState: unknown): RunFolder {
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new InfomorphError({
        code: "run/exists",
        path: [dir],
        message: existsSync(join(dir, CHECKPOINT_FILE))
          ? `${dir} already holds a run. Continue it with --resume ${dir}, or choose another --out.`
          : `${dir} is not empty. Choose another --out, or empty the folder.`,
      });
    }
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(join(dir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
    writeFileAtomic(join(dir, METRICS_FILE), "");
    const checkpoint: Checkpoint = {
      format: 1,
      epoch: 0,
      files: { [METRICS_FILE]: 0 },
      state: initialState,
    };
    const folder = new RunFolder(dir, config, checkpoint, null);
    folder.writeCheckpoint(0, initialState);
    return folder;
  }

  /**
   * Open an existing run to continue it: read config.json and checkpoint.json, cut every
   * append-only file back to its length at the checkpoint, and rewrite atoms.json to match.
   */
  static open(dir: string): { folder: RunFolder; checkpoint: Checkpoint } {
    requireRunFolder(dir, "run/not-found");
    const config = validateRunConfig(readJson(join(dir, CONFIG_FILE)), join(dir, CONFIG_FILE));
    const checkpoint = readCheckpoint(dir);
    for (const [name, bytes] of Object.entries(checkpoint.files))
      truncateTo(join(dir, name), bytes);
    const index = existsSync(join(dir, ATOMS_INDEX_FILE))
      ? (readJson(join(dir, ATOMS_INDEX_FILE)) as AtomsIndex)
      : null;
    const atoms = index && checkpoint.epoch > 0 ? { ...index, epochs: checkpoint.epoch } : null;
    const folder = new RunFolder(dir, config, checkpoint, atoms);
    if (atoms) folder.writeAtomsIndex();
    return { folder, checkpoint };
  }

  /** Completed epochs, as of the last checkpoint. */
  get epochs(): number {
    return this.epoch;
  }

  /** Replace config.json (e.g. with more epochs when extending a run). */
  writeConfig(config: RunConfig): void {
    Object.assign(this.config, config);
    writeFileAtomic(join(this.dir, CONFIG_FILE), `${JSON.stringify(this.config, null, 2)}\n`);
  }

  /** Append an epoch's metrics and atoms. Call writeCheckpoint afterwards to commit it. */
  appendEpoch(record: EpochRecord): void {
    if (record.epoch !== this.epoch + 1) {
      throw new InfomorphError({
        code: "run/epoch-order",
        message: `epoch ${record.epoch} follows epoch ${this.epoch} in ${this.dir}; epochs must be appended in order.`,
      });
    }
    const lines = metricLines(record)
      .map((line) => `${JSON.stringify(line)}\n`)
      .join("");
    appendDurable(join(this.dir, METRICS_FILE), lines);
    this.files[METRICS_FILE] = (this.files[METRICS_FILE] ?? 0) + Buffer.byteLength(lines);

    if (!this.atoms) {
      // The first epoch: a crash during an earlier attempt at it may have left layer files.
      this.atoms = atomsIndex(record.layers);
      for (const layer of this.atoms.layers) truncateTo(join(this.dir, layer.file), 0);
    }
    for (const [l, layer] of record.layers.entries()) {
      const spec = this.atoms.layers[l];
      const expected = spec ? spec.size * spec.stride : 0;
      if (!spec || spec.name !== layer.name || layer.atoms.length !== expected) {
        throw new InfomorphError({
          code: "run/layer-shape",
          message: `epoch ${record.epoch}: layer ${layer.name} reports ${layer.atoms.length} atom values; ${this.dir}/${ATOMS_INDEX_FILE} expects ${spec?.name ?? "no layer"} with ${expected}.`,
        });
      }
      const bytes = littleEndianBytes(Float32Array.from(layer.atoms));
      appendDurable(join(this.dir, spec.file), bytes);
      this.files[spec.file] = (this.files[spec.file] ?? 0) + bytes.length;
    }
    this.atoms.epochs = record.epoch;
    this.writeAtomsIndex();
  }

  /** Commit `epoch`: the model state and the lengths of the append-only files, atomically. */
  writeCheckpoint(epoch: number, state: unknown): void {
    const checkpoint = { format: 1, epoch, files: this.files, state: encodeState(state) };
    writeFileAtomic(join(this.dir, CHECKPOINT_FILE), JSON.stringify(checkpoint));
    this.epoch = epoch;
  }

  /** The committed metrics lines (those up to the checkpoint). */
  readMetrics(): MetricLine[] {
    const path = join(this.dir, METRICS_FILE);
    const text = readFileSync(path, "utf8").slice(0, this.files[METRICS_FILE] ?? 0);
    return text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as MetricLine);
  }

  private writeAtomsIndex(): void {
    writeFileAtomic(join(this.dir, ATOMS_INDEX_FILE), `${JSON.stringify(this.atoms, null, 2)}\n`);
  }
}

/** The three metrics lines of an epoch. */
export function metricLines(record: EpochRecord): MetricLine[] {
  const seconds = { train: record.seconds.train, evaluate: record.seconds.evaluate };
  const lines: MetricLine[] = [
    {
      epoch: record.epoch,
      split: "train",
      accuracy: record.train.accuracy,
      goals: [...record.train.goals],
      seconds,
    },
    {
      epoch: record.epoch,
      split: "validation",
      ...splitMetrics(record.validation),
      seconds,
    },
  ];
  if (record.test) {
    lines.push({ epoch: record.epoch, split: "test", ...splitMetrics(record.test), seconds });
  }
  return lines;
}

function splitMetrics(metrics: SplitMetrics): { accuracy: number; confusion: number[][] } {
  const classes = Math.round(Math.sqrt(metrics.confusion.length));
  const confusion = Array.from({ length: classes }, (_, t) =>
    Array.from(metrics.confusion.subarray(t * classes, (t + 1) * classes)),
  );
  return { accuracy: metrics.accuracy, confusion };
}

/** atoms.json for these layers, with no epochs stored yet. */
export function atomsIndex(layers: readonly LayerEpochStats[]): AtomsIndex {
  return {
    format: 1,
    epochs: 0,
    dtype: "float32",
    byteOrder: "little",
    layout: "[epoch][neuron][atom + 1], atoms in canonical order, H_res last",
    layers: layers.map((layer) => {
      const sources = [...layer.sources];
      const lat = lattice(sources.length);
      return {
        name: layer.name,
        size: layer.size,
        sources,
        file: `atoms-${layer.name.replace(/[^A-Za-z0-9_-]/g, "_")}.f32`,
        atoms: [...lat.names],
        aliases: lat.names.map((_, i) => lat.alias(i, sources)),
        stride: lat.names.length + 1,
      };
    }),
  };
}

function readCheckpoint(dir: string): Checkpoint {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) {
    throw new InfomorphError({
      code: "run/no-checkpoint",
      path: [path],
      message: `${dir} has no ${CHECKPOINT_FILE}; the run stopped before it was set up. Start a new run.`,
    });
  }
  const raw = readJson(path) as Partial<Checkpoint>;
  const files = raw.files;
  const ok =
    raw.format === 1 &&
    typeof raw.epoch === "number" &&
    Number.isInteger(raw.epoch) &&
    raw.epoch >= 0 &&
    files !== null &&
    typeof files === "object" &&
    Object.entries(files).every(
      ([name, n]) => !name.includes("/") && !name.includes("\\") && Number.isInteger(n),
    );
  if (!ok) {
    throw new InfomorphError({
      code: "run/bad-checkpoint",
      path: [path],
      message: `${path} is not a checkpoint written by 'infomorph train' (format, epoch or files missing). Start a new run.`,
    });
  }
  for (const [name, bytes] of Object.entries(files)) {
    if (fileSize(join(dir, name)) < bytes) {
      throw new InfomorphError({
        code: "run/truncated",
        path: [join(dir, name)],
        message: `${join(dir, name)} is shorter (${fileSize(join(dir, name))} bytes) than its checkpoint says (${bytes}); the folder was changed. Start a new run.`,
      });
    }
  }
  return { format: 1, epoch: raw.epoch as number, files, state: decodeState(raw.state) };
}

/** Throw, with `code`, unless `dir` is a run folder (it holds config.json). */
export function requireRunFolder(dir: string, code: string): void {
  if (existsSync(join(dir, CONFIG_FILE))) return;
  throw new InfomorphError({
    code,
    path: [dir],
    message: existsSync(dir)
      ? `${dir} holds no ${CONFIG_FILE}, so it is not a run folder. Give the folder 'infomorph train' printed.`
      : `run folder ${dir} does not exist. Give the folder 'infomorph train' printed.`,
  });
}

function readJson(path: string): unknown {
  const text = readFileSync(path, "utf8");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InfomorphError({
      code: "run/bad-json",
      path: [path],
      message: `${path} is not valid JSON (${(err as Error).message}). The folder was changed by hand; start a new run.`,
    });
  }
}
