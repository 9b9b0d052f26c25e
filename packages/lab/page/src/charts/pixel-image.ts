/** An RGBA image (rows × cols, 4 bytes a pixel) drawn scaled up without smoothing: a receptive field. */

import { FRAME, setupCanvas } from "./canvas.js";

export function pixelImage(
  canvas: HTMLCanvasElement,
  rgba: Uint8Array | Uint8ClampedArray,
  rows: number,
  cols: number,
  size: number,
): void {
  const ctx = setupCanvas(canvas, size, size);
  const image = new ImageData(cols, rows);
  image.data.set(rgba.subarray(0, rows * cols * 4));
  const small = document.createElement("canvas");
  small.width = cols;
  small.height = rows;
  (small.getContext("2d") as CanvasRenderingContext2D).putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, size, size);
  ctx.strokeStyle = FRAME;
  ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
}
