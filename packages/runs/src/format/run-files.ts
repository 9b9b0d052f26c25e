/**
 * The bytes of a run folder's files, made in one place for every writer: RunFolder on disk,
 * and runFolderFiles() in memory for a run trained elsewhere (the lab's page exports one as
 * a zip). A folder made either way reads back the same with readRun and resumes the same.
 */

import {
  type EpochRecord,
  type LayerEpochStats,
  encodeState,
  littleEndianBytes,
} from "@infomorph/core";
import { ATOMS_INDEX_FILE, type AtomsIndex, atomsIndex } from "./atoms-index.js";
import type { RunConfig } from "./config.js";
import { METRICS_FILE, metricLines } from "./metric-line.js";

export const CONFIG_FILE = "config.json";
export const CHECKPOINT_FILE = "checkpoint.json";

/** checkpoint.json, decoded. */
export interface Checkpoint {
  format: 1;
  /** Completed epochs; 0 is the untrained model. */
  epoch: number;
  /** Byte length of each append-only file after `epoch` epochs. */
  files: Record<string, number>;
  state: unknown;
}

/** The report page `infomorph report` writes into a run folder. */
export const REPORT_FILE = "report.html";

/**
 * Whether `name` is one of a run folder's own files (what an archive of a run may hold):
 * config.json, metrics.jsonl, atoms.json, atoms-<layer>.f32, checkpoint.json, report.html.
 */
export function isRunFileName(name: string): boolean {
  return (
    [CONFIG_FILE, METRICS_FILE, ATOMS_INDEX_FILE, CHECKPOINT_FILE, REPORT_FILE].includes(name) ||
    /^atoms-[A-Za-z0-9_-]+\.f32$/.test(name)
  );
}

/** config.json's text. */
export function configText(config: RunConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** atoms.json's text. */
export function atomsIndexText(index: AtomsIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}

/** The lines an epoch appends to metrics.jsonl. */
export function metricsText(record: EpochRecord): string {
  return metricLines(record)
    .map((line) => `${JSON.stringify(line)}\n`)
    .join("");
}

/** The bytes an epoch appends to a layer's atoms file: its atoms as float32, little-endian. */
export function layerAtomsBytes(layer: LayerEpochStats): Uint8Array {
  return littleEndianBytes(Float32Array.from(layer.atoms));
}

/** checkpoint.json's text: the epoch, the append-only files' lengths, the model state encoded. */
export function checkpointText(
  epoch: number,
  files: Record<string, number>,
  state: unknown,
): string {
  return JSON.stringify({ format: 1, epoch, files, state: encodeState(state) });
}

/**
 * The files of a run folder that trained `records` (epochs 1, 2, … in order) and ended in
 * `state`, by name, as RunFolder writes them: config.json, metrics.jsonl, atoms.json with one
 * atoms-<layer>.f32 per layer, and checkpoint.json at the last epoch (the untrained state as
 * epoch 0 when there are no records). No writer.lock: nothing is writing it.
 *
 * @example runFolderFiles(config, records, model.state()).get("checkpoint.json")
 */
export function runFolderFiles(
  config: RunConfig,
  records: readonly EpochRecord[],
  state: unknown,
): Map<string, Uint8Array> {
  const text = new TextEncoder();
  const files = new Map<string, Uint8Array>([[CONFIG_FILE, text.encode(configText(config))]]);
  const metrics = text.encode(records.map(metricsText).join(""));
  files.set(METRICS_FILE, metrics);
  const lengths: Record<string, number> = { [METRICS_FILE]: metrics.length };
  if (records.length > 0) {
    const index = atomsIndex(records[0].layers);
    index.layers.forEach((layer, l) => {
      const parts = records.map((record) => layerAtomsBytes(record.layers[l]));
      const bytes = concat(parts);
      files.set(layer.file, bytes);
      lengths[layer.file] = bytes.length;
    });
    index.epochs = records.length;
    files.set(ATOMS_INDEX_FILE, text.encode(atomsIndexText(index)));
  }
  const epoch = records.at(-1)?.epoch ?? 0;
  files.set(CHECKPOINT_FILE, text.encode(checkpointText(epoch, lengths, state)));
  return files;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
