/** Readers for the IDX format of MNIST and Fashion-MNIST (gzip-compressed or raw), with errors that name the file. */

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { gunzipSync } from "node:zlib";
import { InfomorphError } from "@infomorph/core";
import type { Dataset } from "./dataset.js";

/** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
const IMAGES_MAGIC = 2051;
/** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
const LABELS_MAGIC = 2049;

const REFETCH = "Delete it and download again, or pass --data-dir with a complete copy.";

/** Images as stored: count × rows × cols unsigned bytes, row-major. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array;
}

/** Read an IDX images file (magic 2051). */
export function readIdxImages(path: string): IdxImages {
  const file = basename(path);
  const { bytes, held } = readIdxBytes(path);
  checkHeader(bytes, file, IMAGES_MAGIC, 16, held);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  const expected = 16 + count * rows * cols;
  checkLength(bytes, file, expected, `${count} images of ${rows}×${cols}`, held);
  return { count, rows, cols, pixels: bytes.subarray(16) };
}

/** Read an IDX labels file (magic 2049). */
export function readIdxLabels(path: string): Uint8Array {
  const file = basename(path);
  const { bytes, held } = readIdxBytes(path);
  checkHeader(bytes, file, LABELS_MAGIC, 8, held);
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4);
  checkLength(bytes, file, 8 + count, `${count} labels`, held);
  return bytes.subarray(8);
}

/**
 * Read a matching pair of IDX images and labels files into a Dataset.
 * Pixels are scaled from 0..255 to [0, 1]; classes = largest label + 1.
 */
export function loadIdxPair(imagesPath: string, labelsPath: string, name: string): Dataset {
  const images = readIdxImages(imagesPath);
  const labels = readIdxLabels(labelsPath);
  if (labels.length !== images.count) {
    throw new InfomorphError({
      code: "idx/count-mismatch",
      path: [labelsPath],
      message:
        `${basename(imagesPath)} holds ${images.count} images but ${basename(labelsPath)} ` +
        `holds ${labels.length} labels. Use the images and labels files of the same split.`,
    });
  }
  const features = new Float32Array(images.pixels.length);
  for (let i = 0; i < features.length; i++) features[i] = images.pixels[i] / 255;
  let classes = 0;
  for (const label of labels) classes = Math.max(classes, label + 1);
  return {
    name,
    features,
    labels: Uint8Array.from(labels),
    count: images.count,
    dim: images.rows * images.cols,
    classes,
    imageShape: [images.rows, images.cols],
  };
}

/**
 * The file's content, gunzipped when it starts with the gzip magic bytes 1f 8b, and
 * `held`: how an error should describe its size ("1234 bytes", "1234 bytes once unzipped").
 */
function readIdxBytes(path: string): { bytes: Uint8Array; held: (n: number) => string } {
  const raw = readFileSync(path);
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) {
    return { bytes: raw, held: (n) => `${n} bytes` };
  }
  try {
    return { bytes: gunzipSync(raw), held: (n) => `${n} bytes once unzipped` };
  } catch (err) {
    throw new InfomorphError({
      code: "idx/bad-gzip",
      path: [path],
      message: `${basename(path)} is not a valid gzip file (${(err as Error).message}). ${REFETCH}`,
    });
  }
}

function checkHeader(
  bytes: Uint8Array,
  file: string,
  magic: number,
  headerBytes: number,
  held: (n: number) => string,
): void {
  const kind = magic === IMAGES_MAGIC ? "images" : "labels";
  if (bytes.length < headerBytes) {
    throw new InfomorphError({
      code: "idx/truncated",
      path: [file],
      message:
        `${file} is truncated: an IDX ${kind} header needs ${headerBytes} bytes ` +
        `but the file holds ${held(bytes.length)}. ${REFETCH}`,
    });
  }
  const got = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (got !== magic) {
    const hint =
      got === IMAGES_MAGIC || got === LABELS_MAGIC
        ? "Images and labels files are swapped: pass the *-images-* file as images and the *-labels-* file as labels."
        : "It is not an IDX file, or it is corrupt. " + REFETCH;
    throw new InfomorphError({
      code: "idx/bad-magic",
      path: [file],
      message: `${file} is not an IDX ${kind} file: magic number ${got}, expected ${magic}. ${hint}`,
    });
  }
}

function checkLength(
  bytes: Uint8Array,
  file: string,
  expected: number,
  what: string,
  held: (n: number) => string,
): void {
  if (bytes.length < expected) {
    throw new InfomorphError({
      code: "idx/truncated",
      path: [file],
      message:
        `${file} is truncated: header says ${what} (${expected} bytes) ` +
        `but the file holds ${held(bytes.length)}. ${REFETCH}`,
    });
  }
  if (bytes.length > expected) {
    throw new InfomorphError({
      code: "idx/trailing-bytes",
      path: [file],
      message:
        `${file} is corrupt: header says ${what} (${expected} bytes) ` +
        `but the file holds ${held(bytes.length)}. ${REFETCH}`,
    });
  }
}
