/** The little arithmetic every benchmark prints with. */

/** The median of `values` (not modified); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `v` rounded to `digits` decimals (default 2), for JSON lines people read. */
export function round(v: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(v * scale) / scale;
}
