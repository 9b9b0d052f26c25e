/** Tiny IDX files written to a temporary folder, for the tests of the IDX reader and the dataset registry. */

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** The bytes of an IDX images file (magic 2051) holding `pixels` as count × rows × cols. */
export function idxImagesBytes(
  count: number,
  rows: number,
  cols: number,
  pixels: Uint8Array,
): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(2051, 0);
  header.writeUInt32BE(count, 4);
  header.writeUInt32BE(rows, 8);
  header.writeUInt32BE(cols, 12);
  return Buffer.concat([header, pixels]);
}

/** The bytes of an IDX labels file (magic 2049). */
export function idxLabelsBytes(labels: Uint8Array): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(2049, 0);
  header.writeUInt32BE(labels.length, 4);
  return Buffer.concat([header, labels]);
}

/** A fresh temporary folder. */
export function tempDir(prefix = "infomorph-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Write an MNIST-like folder: `trainCount` and `testCount` 2×2 images whose pixel i of
 * image n is (n + i) mod 256, labels n mod `classes`; gzipped when `gzip` is true.
 */
export function writeIdxFolder(
  dir: string,
  { trainCount = 10, testCount = 4, classes = 3, gzip = true } = {},
): void {
  const write = (name: string, bytes: Buffer): void => {
    writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  };
  for (const [split, count] of [
    ["train", trainCount],
    ["t10k", testCount],
  ] as const) {
    const pixels = new Uint8Array(count * 4).map((_, k) => (Math.floor(k / 4) + (k % 4)) % 256);
    const labels = new Uint8Array(count).map((_, n) => n % classes);
    write(`${split}-images-idx3-ubyte`, idxImagesBytes(count, 2, 2, pixels));
    write(`${split}-labels-idx1-ubyte`, idxLabelsBytes(labels));
  }
}
