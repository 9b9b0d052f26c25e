/**
 * Standard base64 (RFC 4648, with padding) to and from bytes, in plain TypeScript: the same
 * text as Node's Buffer in browsers and Node alike. Table-driven (two characters per 12 bits,
 * the text made in one TextDecoder call), so a 10 MB checkpoint encodes in about 0.1 s.
 */

import { InfomorphError } from "../errors.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const PAD = 61; // "="

/** Character code of each 6-bit value. */
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** 6-bit value of each character code, 255 for characters outside the alphabet. */
const DECODE = new Uint8Array(256).fill(255);
ENCODE.forEach((code, value) => {
  DECODE[code] = value;
});

/** Two base64 characters per 12-bit value, as one 16-bit unit in this platform's byte order. */
const PAIRS = (() => {
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const pairs = new Uint16Array(4096);
  for (let v = 0; v < 4096; v++) {
    const first = ENCODE[v >>> 6];
    const second = ENCODE[v & 63];
    pairs[v] = littleEndian ? first | (second << 8) : (first << 8) | second;
  }
  return pairs;
})();

/** ASCII text of bytes: an ASCII byte is its own character, in one call (no per-character strings). */
const ascii = new TextDecoder("latin1");
const utf8 = new TextEncoder();

const SAVE_AGAIN = "Save the data again (saveModel, or the run's checkpoint).";

/**
 * Bytes from standard base64 text (padding optional). Throws `codec/bad-base64` for a
 * character outside the alphabet or a length no encoder writes (4k + 1 characters); its
 * message ends with `repair`, the fix that fits where the text came from.
 *
 * @example decodeBase64("AQID") // Uint8Array [1, 2, 3]
 */
export function decodeBase64(text: string, repair = SAVE_AGAIN): Uint8Array {
  const badBase64 = (what: string) =>
    new InfomorphError({
      code: "codec/bad-base64",
      message: `the base64 text is damaged: ${what}.${repair ? ` ${repair}` : ""}`,
    });
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  if (end % 4 === 1) throw badBase64(`its length ${text.length} is not a valid base64 length`);
  // Non-ASCII characters become several bytes here and fail the length check.
  const chars = utf8.encode(text);
  if (chars.length !== text.length) throw badBase64(firstBad(text));
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let i = 0;
  let bad = 0;
  for (; i + 4 <= end; i += 4) {
    const a = DECODE[chars[i]];
    const b = DECODE[chars[i + 1]];
    const c = DECODE[chars[i + 2]];
    const d = DECODE[chars[i + 3]];
    bad |= a | b | c | d;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 255;
    out[o++] = n & 255;
  }
  if (end - i >= 2) {
    const a = DECODE[chars[i]];
    const b = DECODE[chars[i + 1]];
    const c = end - i === 3 ? DECODE[chars[i + 2]] : 0;
    bad |= a | b | c;
    const n = (a << 18) | (b << 12) | (c << 6);
    out[o++] = n >>> 16;
    if (end - i === 3) out[o++] = (n >>> 8) & 255;
  }
  // Valid values are below 64; the marker 255 sets bit 7.
  if (bad & 128) throw badBase64(firstBad(text.slice(0, end)));
  return out;
}

/**
 * Standard base64 text, with padding, of `bytes`.
 *
 * @example encodeBase64(Uint8Array.of(1, 2, 3)) // "AQID"
 */
export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const pairs = new Uint16Array(out.buffer);
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    pairs[o++] = PAIRS[n >>> 12];
    pairs[o++] = PAIRS[n & 4095];
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const n = (bytes[whole] << 16) | (rest === 2 ? bytes[whole + 1] << 8 : 0);
    const at = o * 2;
    out[at] = ENCODE[n >>> 18];
    out[at + 1] = ENCODE[(n >>> 12) & 63];
    out[at + 2] = rest === 2 ? ENCODE[(n >>> 6) & 63] : PAD;
    out[at + 3] = PAD;
  }
  return ascii.decode(out);
}

/** "character 4 ("!") is not base64": the first character outside the alphabet. */
function firstBad(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 256 || DECODE[code] === 255)
      return `character ${i} (${JSON.stringify(text[i])}) is not base64`;
  }
  return "it holds a character that is not base64";
}
