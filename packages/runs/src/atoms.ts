/** The atom trajectories of a run folder: atoms.json (the index of layers) and one float32 file per layer, [epoch][neuron][atom + 1]; written per epoch, read back checked, or followed by byte offset while a run trains. */

import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { InfomorphError, fromLittleEndian } from "@infomorph/core";
import {
  ATOMS_INDEX_FILE,
  type AtomsIndex,
  type AtomsLayer,
  checkAtomsIndex,
  epochBytes,
} from "./format/atoms-index.js";
import { readJsonFile } from "./json-file.js";

/**
 * atoms.json of the run in `dir`, checked, or null when there is none (no epoch written yet,
 * or a model without PID layers). Bad JSON names the file, line and column; a field that
 * does not fit names the field. Both throw InfomorphError "run/corrupt-file".
 */
export function readAtomsIndex(dir: string): AtomsIndex | null {
  const path = join(dir, ATOMS_INDEX_FILE);
  if (!existsSync(path)) return null;
  const fix = "The file was damaged or edited by hand; restore it, or train the run again.";
  const index = readJsonFile(path, "run/corrupt-file", fix);
  const wrong = checkAtomsIndex(index);
  if (wrong !== null) {
    throw new InfomorphError({
      code: "run/corrupt-file",
      path: [path],
      message: `${path}: ${wrong}. ${fix}`,
    });
  }
  return index as AtomsIndex;
}

/**
 * The first `epochs` epochs of `layer` in `dir`, one [neuron × stride] Float32Array each.
 * A file holding fewer throws InfomorphError "run/corrupt-file" naming it and the first
 * missing epoch.
 */
export function readLayerAtoms(dir: string, layer: AtomsLayer, epochs: number): Float32Array[] {
  const path = join(dir, layer.file);
  const { values, complete } = readEpochs(path, layer, 0, epochs);
  if (complete < epochs) {
    throw new InfomorphError({
      code: "run/corrupt-file",
      path: [path],
      message: `${path} holds ${complete} of the ${epochs} epochs that ${ATOMS_INDEX_FILE} promises (epoch ${complete + 1} is missing or cut short; ${layer.size} neurons × ${layer.stride} values × 4 bytes per epoch). The folder was changed; train the run again.`,
    });
  }
  return values;
}

/**
 * The epochs of `layer` appended since byte `offset` (0 at first), for a reader following a
 * run while it trains, and the offset to continue from. Only whole epochs are returned; an
 * epoch still being written is left for the next call.
 */
export function tailLayerAtoms(
  dir: string,
  layer: AtomsLayer,
  offset = 0,
): { epochs: Float32Array[]; offset: number } {
  const per = epochBytes(layer);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset % per !== 0) {
    throw new InfomorphError({
      code: "run/bad-offset",
      path: ["offset"],
      message: `offset ${offset} is not a whole number of epochs of layer ${layer.name} (${per} bytes each). Continue from the offset the last call returned.`,
    });
  }
  const { values, complete } = readEpochs(join(dir, layer.file), layer, offset / per);
  return { epochs: values, offset: offset + complete * per };
}

/** Whole epochs first, first + 1, … (at most `count`) of a layer's file, little-endian float32. */
function readEpochs(
  path: string,
  layer: AtomsLayer,
  first: number,
  count = Number.POSITIVE_INFINITY,
): { values: Float32Array[]; complete: number } {
  const per = epochBytes(layer);
  if (!existsSync(path)) return { values: [], complete: 0 };
  const fd = openSync(path, "r");
  try {
    const available = Math.floor(Math.max(0, fstatSync(fd).size - first * per) / per);
    const complete = Math.min(available, count);
    const bytes = Buffer.alloc(complete * per);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, first * per + read);
      if (n === 0) break;
      read += n;
    }
    const all = fromLittleEndian("float32", bytes.subarray(0, read)) as Float32Array;
    const whole = Math.floor(read / per);
    const values = Array.from({ length: whole }, (_, e) =>
      all.subarray((e * per) / 4, ((e + 1) * per) / 4),
    );
    return { values, complete: whole };
  } finally {
    closeSync(fd);
  }
}
