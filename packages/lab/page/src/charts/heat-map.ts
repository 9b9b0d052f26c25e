/** A confusion matrix as a heat map: counts shaded by their share of the row (rows true classes, columns predictions). */

import { AXIS, FONT, FRAME, setupCanvas } from "./canvas.js";

export function heatMap(
  canvas: HTMLCanvasElement,
  matrix: readonly (readonly number[])[],
  labels: readonly string[],
): void {
  const n = matrix.length;
  const cell = Math.max(14, Math.min(34, Math.floor(340 / n)));
  const left = 44;
  const top = 8;
  const W = left + n * cell + 8;
  const H = top + n * cell + 36;
  const ctx = setupCanvas(canvas, W, H);
  ctx.font = FONT;
  matrix.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((count, q) => {
      const f = total > 0 ? count / total : 0;
      // white (0) to the accent blue (1), by the row's fraction
      ctx.fillStyle = `rgb(${Math.round(255 - f * (255 - 31))},${Math.round(255 - f * (255 - 95))},${Math.round(255 - f * (255 - 153))})`;
      ctx.fillRect(left + q * cell, top + t * cell, cell, cell);
      if (cell >= 20 && count > 0) {
        ctx.fillStyle = f > 0.55 ? "#ffffff" : "#1d232b";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(String(count), left + (q + 0.5) * cell, top + (t + 0.5) * cell);
      }
    });
  });
  ctx.strokeStyle = FRAME;
  ctx.strokeRect(left + 0.5, top + 0.5, n * cell, n * cell);
  ctx.fillStyle = AXIS;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let i = 0; i < n; i++) ctx.fillText(labels[i], left - 5, top + (i + 0.5) * cell);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (let j = 0; j < n; j++) ctx.fillText(labels[j], left + (j + 0.5) * cell, top + n * cell + 4);
  ctx.fillText("predicted", left + (n * cell) / 2, top + n * cell + 19);
  ctx.save();
  ctx.translate(11, top + (n * cell) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText("true", 0, 0);
  ctx.restore();
}
