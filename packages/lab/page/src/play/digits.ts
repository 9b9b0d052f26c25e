/** The embedded digits in the page: fetch the build's digits asset, gunzip it (the browser's DecompressionStream), and decode it to the CLI's `embedded` dataset, value for value. */

import { DIGITS_MAGIC, DIGIT_PIXELS, pixelValue } from "./digits-format.js";

/** All digits, in the CLI's order: features [count × 784] in [0, 1], labels 0…9. */
export interface Digits {
  readonly features: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

/** Fetch and decode the digits asset at `url`. */
export async function fetchDigits(url: string): Promise<Digits> {
  const response = await fetch(url);
  if (!response.ok || !response.body) {
    throw new Error(
      `could not load the embedded digits (${url}: HTTP ${response.status}). Reload the page.`,
    );
  }
  const raw = await new Response(
    response.body.pipeThrough(new DecompressionStream("gzip")),
  ).arrayBuffer();
  return decodeDigits(new Uint8Array(raw));
}

/** The digits held in the asset's bytes (after gunzip); throws when they are not the asset. */
export function decodeDigits(bytes: Uint8Array): Digits {
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  const count =
    bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true) : 0;
  if (magic !== DIGITS_MAGIC || bytes.length !== 8 + count * (1 + DIGIT_PIXELS)) {
    throw new Error(
      "the embedded digits asset is damaged (wrong header or length). Reload the page.",
    );
  }
  const labels = bytes.slice(8, 8 + count);
  const pixels = bytes.subarray(8 + count);
  const value = Float32Array.from({ length: 256 }, (_, b) => pixelValue(b));
  const features = new Float32Array(count * DIGIT_PIXELS);
  for (let i = 0; i < features.length; i++) features[i] = value[pixels[i]];
  return { features, labels, count };
}
