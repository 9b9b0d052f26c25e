/**
 * A run folder on disk:
 *
 *   config.json          the complete, resolved config (RunConfig); written atomically
 *   metrics.jsonl        one line per epoch and split (MetricLine); append-only
 *   atoms-<layer>.f32    per layer, float32 little-endian, appended per epoch: [epoch][neuron][atom + 1]
 *   atoms.json           layer names, sizes, sources, atom names and aliases, epochs stored; atomic
 *   checkpoint.json      epoch, the byte length of every append-only file at that epoch, and
 *                        the model state (typed arrays as {dtype, base64}); atomic
 *   writer.lock          the process writing the folder (lock.ts); there while it trains
 *
 * Each epoch appends metrics and atoms, then rewrites atoms.json, then the checkpoint. A
 * crash at any moment leaves every atomic file whole; the append-only files may hold a tail
 * past the checkpoint, which a reader skips (atoms.json's epochs; the checkpoint's lengths)
 * and which resuming cuts off. One process writes a folder at a time (RunLock); create() and
 * open() take the lock, close() gives it up.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { type EpochRecord, InfomorphError, decodeState } from "@infomorph/core";
import { readAtomsIndex } from "./atoms.js";
import { appendDurable, fileSize, truncateTo, writeFileAtomic } from "./files.js";
import { ATOMS_INDEX_FILE, type AtomsIndex, atomsIndex } from "./format/atoms-index.js";
import { type RunConfig, validateRunConfig } from "./format/config.js";
import { METRICS_FILE, type MetricLine } from "./format/metric-line.js";
import {
  CHECKPOINT_FILE,
  CONFIG_FILE,
  type Checkpoint,
  atomsIndexText,
  checkpointText,
  configText,
  layerAtomsBytes,
  metricsText,
} from "./format/run-files.js";
import { readJsonFile } from "./json-file.js";
import { RunLock, claimNewRunFolder } from "./lock.js";
import { readMetrics } from "./metrics.js";

/** A run folder being written by this process, which holds its lock until close(). */
export class RunFolder {
  private atoms: AtomsIndex | null;
  private files: Record<string, number>;
  private epoch: number;

  private constructor(
    readonly dir: string,
    readonly config: RunConfig,
    checkpoint: Checkpoint,
    atoms: AtomsIndex | null,
    private readonly lock: RunLock,
  ) {
    this.epoch = checkpoint.epoch;
    this.files = { ...checkpoint.files };
    this.atoms = atoms;
  }

  /**
   * Start a new run in `dir` (created; must be empty) with its config and the untrained state
   * as epoch 0. Throws "run/in-use" while another process writes there, "run/exists" when it
   * holds anything else.
   */
  static create(dir: string, config: RunConfig, initialState: unknown): RunFolder {
    const lock = claimNewRunFolder(dir, CHECKPOINT_FILE);
    try {
      writeFileAtomic(join(dir, CONFIG_FILE), configText(config));
      writeFileAtomic(join(dir, METRICS_FILE), "");
      const checkpoint: Checkpoint = {
        format: 1,
        epoch: 0,
        files: { [METRICS_FILE]: 0 },
        state: initialState,
      };
      const folder = new RunFolder(dir, config, checkpoint, null, lock);
      folder.writeCheckpoint(0, initialState);
      return folder;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /**
   * Open an existing run to continue it: take its lock, read config.json and checkpoint.json,
   * check the committed metrics and atoms (a damaged line or file is named before anything
   * changes), cut every append-only file back to its length at the checkpoint, and rewrite
   * atoms.json to match.
   */
  static open(dir: string): { folder: RunFolder; checkpoint: Checkpoint } {
    requireRunFolder(dir, "run/not-found");
    const lock = RunLock.acquire(dir);
    try {
      const configPath = join(dir, CONFIG_FILE);
      const config = validateRunConfig(readJson(configPath), configPath);
      const checkpoint = readCheckpoint(dir);
      readMetrics(dir, checkpoint.files[METRICS_FILE] ?? 0);
      const index = readAtomsIndex(dir);
      const atoms = index && checkpoint.epoch > 0 ? { ...index, epochs: checkpoint.epoch } : null;
      for (const [name, bytes] of Object.entries(checkpoint.files)) {
        truncateTo(join(dir, name), bytes);
      }
      const folder = new RunFolder(dir, config, checkpoint, atoms, lock);
      if (atoms) folder.writeAtomsIndex();
      return { folder, checkpoint };
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Give up the folder's lock; the folder can still be read but no longer written. Safe to call twice. */
  close(): void {
    this.lock.release();
    this.closed = true;
  }

  private closed = false;

  private checkOpen(): void {
    if (this.closed) {
      throw new InfomorphError({
        code: "run/closed",
        path: [this.dir],
        message: `${this.dir} was closed; open it again with RunFolder.open() to write to it.`,
      });
    }
  }

  /** Completed epochs, as of the last checkpoint. */
  get epochs(): number {
    return this.epoch;
  }

  /** Replace config.json (e.g. with more epochs when extending a run). */
  writeConfig(config: RunConfig): void {
    this.checkOpen();
    Object.assign(this.config, config);
    writeFileAtomic(join(this.dir, CONFIG_FILE), configText(this.config));
  }

  /** Append an epoch's metrics and atoms. Call writeCheckpoint afterwards to commit it. */
  appendEpoch(record: EpochRecord): void {
    this.checkOpen();
    if (record.epoch !== this.epoch + 1) {
      throw new InfomorphError({
        code: "run/epoch-order",
        message: `epoch ${record.epoch} follows epoch ${this.epoch} in ${this.dir}; epochs must be appended in order.`,
      });
    }
    const lines = metricsText(record);
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
      const bytes = layerAtomsBytes(layer);
      appendDurable(join(this.dir, spec.file), bytes);
      this.files[spec.file] = (this.files[spec.file] ?? 0) + bytes.length;
    }
    this.atoms.epochs = record.epoch;
    this.writeAtomsIndex();
  }

  /** Commit `epoch`: the model state and the lengths of the append-only files, atomically. */
  writeCheckpoint(epoch: number, state: unknown): void {
    this.checkOpen();
    writeFileAtomic(join(this.dir, CHECKPOINT_FILE), checkpointText(epoch, this.files, state));
    this.epoch = epoch;
  }

  /** The committed metrics lines (those up to the checkpoint). */
  readMetrics(): MetricLine[] {
    return readMetrics(this.dir, this.files[METRICS_FILE] ?? 0);
  }

  private writeAtomsIndex(): void {
    writeFileAtomic(join(this.dir, ATOMS_INDEX_FILE), atomsIndexText(this.atoms as AtomsIndex));
  }
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
  return readJsonFile(
    path,
    "run/bad-json",
    "The folder was changed by hand; restore the file, or start a new run.",
  );
}
