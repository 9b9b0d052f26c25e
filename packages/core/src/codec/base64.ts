/** Standard base64 (RFC 4648, with padding) to and from bytes, without atob/btoa (not in core's lib) or Buffer (Node only). */

import { InfomorphError } from "../errors.js";

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Value of each character code in BASE64, −1 for every other character. */
const VALUES = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE64.length; i++) values[BASE64.charCodeAt(i)] = i;
  return values;
})();

/**
 * Bytes from standard base64 text (padding optional). Throws `codec/bad-base64` for a
 * character outside the alphabet or a length no encoder writes (4k + 1 characters).
 *
 * @example decodeBase64("AQID") // Uint8Array [1, 2, 3]
 */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, "");
  if (clean.length % 4 === 1)
    throw badBase64(`its length ${text.length} is not a valid base64 length`);
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const value = code < 128 ? VALUES[code] : -1;
    if (value < 0) throw badBase64(`character ${i} (${JSON.stringify(clean[i])}) is not base64`);
    bits = ((bits << 6) | value) & 0xffffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes[at++] = (bits >> count) & 0xff;
    }
  }
  return bytes;
}

/**
 * Standard base64 text, with padding, of `bytes`.
 *
 * @example encodeBase64(Uint8Array.of(1, 2, 3)) // "AQID"
 */
export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const word = (a << 16) | (b << 8) | c;
    chunk +=
      BASE64[word >> 18] +
      BASE64[(word >> 12) & 63] +
      (i + 1 < bytes.length ? BASE64[(word >> 6) & 63] : "=") +
      (i + 2 < bytes.length ? BASE64[word & 63] : "=");
    // join in pieces: one long string built by += is slow to flatten in some engines
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = "";
    }
  }
  parts.push(chunk);
  return parts.join("");
}

function badBase64(what: string): InfomorphError {
  return new InfomorphError({
    code: "codec/bad-base64",
    message: `the base64 text is damaged: ${what}. Save the data again (saveModel, or the run's checkpoint).`,
  });
}
