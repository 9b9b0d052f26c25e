/** Signed bars around a zero line (a neuron's weights from one source): red up for w > 0, blue down for w < 0, scaled to max |w|. */

import { FONT, setupCanvas } from "./canvas.js";

export function barStrip(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  opts: { width: number; height: number; labels?: readonly string[] },
): void {
  const { width: W, height: H } = opts;
  const ctx = setupCanvas(canvas, W, H);
  const n = values.length;
  const labelled = n <= 32;
  const bottom = labelled ? 16 : 4;
  const ph = H - 4 - bottom;
  const mid = 4 + ph / 2;
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(values[i]));
  const slot = W / Math.max(1, n);
  const gap = slot > 4 ? Math.min(3, slot * 0.2) : 0;
  ctx.fillStyle = "#f7f8fa";
  ctx.fillRect(0, 4, W, ph);
  for (let k = 0; k < n; k++) {
    const h = max > 0 ? (values[k] / max) * (ph / 2) : 0;
    ctx.fillStyle = values[k] >= 0 ? "#d6453d" : "#2f6db5";
    const w = Math.max(1, slot - gap);
    if (h >= 0) ctx.fillRect(k * slot + gap / 2, mid - h, w, h);
    else ctx.fillRect(k * slot + gap / 2, mid, w, -h);
  }
  ctx.fillStyle = "#5f6b7a";
  ctx.fillRect(0, Math.round(mid), W, 1);
  if (labelled) {
    ctx.font = FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (let j = 0; j < n; j++)
      ctx.fillText(opts.labels?.[j] ?? String(j), (j + 0.5) * slot, H - 13);
  }
}
