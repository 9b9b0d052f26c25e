/** A line chart on canvas: lines with gaps, bands between two series, axes with round ticks, optional vertical markers (e.g. goal changes). */

import {
  AXIS,
  FONT,
  FRAME,
  GRID,
  type Series,
  extent,
  formatTick,
  niceTicks,
  setupCanvas,
} from "./canvas.js";

export interface LineSeries {
  /** A line. */
  values?: Series;
  color?: string;
  width?: number;
  dash?: number[];
  /** A band from lo to hi. */
  lo?: Series;
  hi?: Series;
  fill?: string;
}

export interface LineChartOptions {
  width: number;
  height: number;
  x: ArrayLike<number>;
  series: readonly LineSeries[];
  /** [min, max] of y; default: the data's extent. */
  y?: [number, number] | null;
  /** Include 0 in the y range. */
  zero?: boolean;
  xLabel?: string;
  yLabel?: string;
  /** y as percent. */
  percent?: boolean;
  /** Label fractional x ticks too (a load α); by default only whole numbers are labelled, as for epochs. */
  xContinuous?: boolean;
  /** Vertical lines at these x values, with a label each. */
  markers?: readonly { x: number; label: string }[];
}

export function lineChart(canvas: HTMLCanvasElement, opts: LineChartOptions): void {
  const { width: W, height: H, x } = opts;
  const ctx = setupCanvas(canvas, W, H);
  const left = opts.yLabel ? 52 : 44;
  const right = 10;
  const top = 8;
  const bottom = opts.xLabel ? 34 : 22;
  const pw = W - left - right;
  const ph = H - top - bottom;
  let x0 = x.length > 0 ? x[0] : 0;
  let x1 = x.length > 0 ? x[x.length - 1] : 1;
  if (x1 === x0) {
    x0 -= 0.5;
    x1 += 0.5;
  }
  const [y0, y1] =
    opts.y ??
    extent(
      opts.series.flatMap((s) => [s.values, s.lo, s.hi]),
      opts.zero ?? false,
    );
  const px = (v: number) => left + ((v - x0) / (x1 - x0)) * pw;
  const py = (v: number) => top + (1 - (v - y0) / (y1 - y0)) * ph;

  ctx.font = FONT;
  ctx.lineWidth = 1;
  const yt = niceTicks(y0, y1, Math.max(2, Math.round(ph / 34)));
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of yt.values) {
    if (v < y0 - 1e-12 || v > y1 + 1e-12) continue;
    ctx.strokeStyle = v === 0 ? "#c5ccd4" : GRID;
    ctx.beginPath();
    ctx.moveTo(left, Math.round(py(v)) + 0.5);
    ctx.lineTo(left + pw, Math.round(py(v)) + 0.5);
    ctx.stroke();
    ctx.fillStyle = AXIS;
    const label = opts.percent ? `${formatTick(v * 100, yt.step * 100)}%` : formatTick(v, yt.step);
    ctx.fillText(label, left - 5, py(v));
  }
  const xt = niceTicks(x0, x1, Math.max(2, Math.round(pw / 60)));
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const v of xt.values) {
    if (!opts.xContinuous && Math.abs(v - Math.round(v)) > 1e-9) continue;
    ctx.fillStyle = AXIS;
    const label = opts.xContinuous ? formatTick(v, xt.step) : String(Math.round(v));
    ctx.fillText(label, px(v), top + ph + 5);
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(Math.round(px(v)) + 0.5, top + ph);
    ctx.lineTo(Math.round(px(v)) + 0.5, top + ph + 3);
    ctx.stroke();
  }
  ctx.strokeStyle = FRAME;
  ctx.strokeRect(left + 0.5, top + 0.5, pw, ph);
  if (opts.xLabel) {
    ctx.fillStyle = AXIS;
    ctx.fillText(opts.xLabel, left + pw / 2, H - 13);
  }
  if (opts.yLabel) {
    ctx.save();
    ctx.translate(11, top + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(opts.yLabel, 0, 0);
    ctx.restore();
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(left - 3, top, pw + 6, ph); // room for the dots at the first and last point
  ctx.clip();
  for (const m of opts.markers ?? []) {
    ctx.strokeStyle = "#b3261e";
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    ctx.moveTo(Math.round(px(m.x)) + 0.5, top);
    ctx.lineTo(Math.round(px(m.x)) + 0.5, top + ph);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = "#b3261e";
    ctx.textAlign = "left";
    ctx.fillText(m.label, px(m.x) + 3, top + 2);
  }
  for (const s of opts.series) {
    if (!s.lo || !s.hi) continue;
    const lo = s.lo;
    const hi = s.hi;
    ctx.fillStyle = s.fill ?? "rgba(31, 95, 153, 0.18)";
    ctx.beginPath();
    for (let i = 0; i < x.length; i++) ctx.lineTo(px(x[i]), py(lo[i] ?? 0));
    for (let j = x.length - 1; j >= 0; j--) ctx.lineTo(px(x[j]), py(hi[j] ?? 0));
    ctx.closePath();
    ctx.fill();
    if (x.length === 1)
      ctx.fillRect(px(x[0]) - 3, py(hi[0] ?? 0), 6, py(lo[0] ?? 0) - py(hi[0] ?? 0));
  }
  for (const s of opts.series) {
    const values = s.values;
    if (!values) continue;
    ctx.strokeStyle = s.color ?? AXIS;
    ctx.fillStyle = s.color ?? AXIS;
    ctx.lineWidth = s.width ?? 1.6;
    ctx.setLineDash(s.dash ?? []);
    ctx.beginPath();
    let open = false;
    for (let i = 0; i < x.length; i++) {
      const v = values[i];
      if (v === null || v === undefined || !Number.isFinite(v)) {
        open = false;
        continue;
      }
      if (open) ctx.lineTo(px(x[i]), py(v));
      else ctx.moveTo(px(x[i]), py(v));
      open = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    if (x.length <= 12) {
      for (let k = 0; k < x.length; k++) {
        const v = values[k];
        if (v === null || v === undefined || !Number.isFinite(v)) continue;
        ctx.beginPath();
        ctx.arc(px(x[k]), py(v), 2.2, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  }
  ctx.restore();
}
