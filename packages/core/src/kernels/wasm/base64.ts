/** Decoding the base64 text in which the prebuilt WebAssembly modules ship. */

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * Standard base64 (with padding) to bytes; atob is not in core's lib and Buffer is Node-only.
 * Throws on a character outside the alphabet (a damaged module), never decodes it to junk.
 */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, "");
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    const value = BASE64.indexOf(clean[i]);
    if (value < 0) {
      throw new Error(`character ${JSON.stringify(clean[i])} at ${i} is not base64`);
    }
    bits = (bits << 6) | value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes[at++] = (bits >> count) & 0xff;
    }
  }
  return bytes;
}
