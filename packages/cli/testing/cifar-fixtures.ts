/** Tiny CIFAR-10 binary batches and tar archives, written for the tests of the CIFAR-10 reader. */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A batch of `count` records: record n has label labelOf(n), pixel p = (n·7 + p) mod 256. */
export function cifarBatchBytes(count: number, labelOf: (n: number) => number): Buffer {
  const record = 1 + 3072;
  const bytes = Buffer.alloc(count * record);
  for (let n = 0; n < count; n++) {
    bytes[n * record] = labelOf(n);
    for (let p = 0; p < 3072; p++) bytes[n * record + 1 + p] = (n * 7 + p) % 256;
  }
  return bytes;
}

/** The six batch files in `dir`: training batch k holds `perBatch` records labelled (k + n) mod 10, test `test`. */
export function writeCifarFolder(dir: string, perBatch: number, test: number): void {
  mkdirSync(dir, { recursive: true });
  for (let k = 1; k <= 5; k++)
    writeFileSync(
      join(dir, `data_batch_${k}.bin`),
      cifarBatchBytes(perBatch, (n) => (k + n) % 10),
    );
  writeFileSync(
    join(dir, "test_batch.bin"),
    cifarBatchBytes(test, (n) => n % 10),
  );
}

/** An uncompressed ustar archive of regular files (and one directory entry per folder named). */
export function tarBytes(entries: readonly { name: string; data?: Uint8Array }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { name, data } of entries) {
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, "utf8");
    header.write("0000644\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(`${(data?.length ?? 0).toString(8).padStart(11, "0")}\0`, 124);
    header.write("00000000000\0", 136);
    header.write(data ? "0" : "5", 156);
    header.write("ustar\0", 257);
    header.write("00", 263);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(header);
    if (data) blocks.push(Buffer.from(data), Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
