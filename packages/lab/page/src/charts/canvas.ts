/** What every chart shares: a canvas sized for the screen's pixel ratio, round tick values, the extent of the data, the fonts and axis colours. */

export const FONT = "11px system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
export const AXIS = "#5f6b7a";
export const GRID = "#eceff3";
export const FRAME = "#9aa5b1";

/** Size `canvas` to width × height CSS pixels at the screen's pixel ratio; a cleared context in CSS pixels. */
export function setupCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

/** About `count` round tick values covering [lo, hi], and their step. */
export function niceTicks(
  lo: number,
  hi: number,
  count: number,
): { values: number[]; step: number } {
  const span = hi - lo;
  let step = 10 ** Math.floor(Math.log10(span / count));
  const err = (count / span) * step;
  if (err <= 0.15) step *= 10;
  else if (err <= 0.35) step *= 5;
  else if (err <= 0.75) step *= 2;
  const values: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    values.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return { values, step };
}

/** A tick label with as many decimals as the step needs. */
export function formatTick(v: number, step: number): string {
  if (v === 0) return "0";
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  if (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && digits > 4)) return v.toExponential(1);
  return v.toFixed(Math.min(digits, 6));
}

/** Numbers, typed or plain, with gaps (null). */
export type Series = ArrayLike<number | null>;

/** [min, max] of the finite values (0 included when asked), padded a little; [0, 1] when there are none. */
export function extent(
  arrays: readonly (Series | null | undefined)[],
  includeZero = false,
): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const xs of arrays) {
    if (!xs) continue;
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      if (v === null || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (includeZero) {
    if (lo > 0) lo = 0;
    if (hi < 0) hi = 0;
  }
  if (lo === Number.POSITIVE_INFINITY) return [0, 1];
  if (hi - lo < 1e-12) {
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1e-3;
    return [lo - pad, hi + pad];
  }
  const margin = (hi - lo) * 0.06;
  return [includeZero && lo === 0 ? 0 : lo - margin, includeZero && hi === 0 ? 0 : hi + margin];
}

/** `n` distinct colours around the hue circle, alternating lightness. */
export function palette(n: number): string[] {
  return Array.from(
    { length: n },
    (_, i) => `hsl(${Math.round((i * 360) / n + 210) % 360}, 62%, ${i % 2 ? 38 : 50}%)`,
  );
}
