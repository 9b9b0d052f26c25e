/** Receptive fields of many neurons at once: each neuron's feed-forward weights as a 28×28 image (core's receptiveField, its own scale), in a grid; click one to pick its neuron. */

import { receptiveField } from "@infomorph/core";
import { el } from "../app/dom.js";
import { setupCanvas } from "../charts/canvas.js";

/** Fields shown at most (the first neurons). */
const MAX_FIELDS = 100;
const SIDE = 28;
const SCALE = 2;

export class FieldsGrid {
  readonly canvas = el("canvas", { "data-chart": "fields" });
  readonly root = el("figure", {}, [
    el("figcaption", {}, [
      el("b", {}, ["receptive fields"]),
      " (F weights; blue < 0 < red, each on its own scale)",
    ]),
    this.canvas,
  ]);
  selected = 0;
  onSelect: ((neuron: number) => void) | null = null;
  private cols = 10;
  private shown = 0;

  constructor() {
    this.canvas.addEventListener("click", (e) => {
      const box = this.canvas.getBoundingClientRect();
      const cell = SIDE * SCALE + 2;
      const n =
        Math.floor((e.clientY - box.top) / cell) * this.cols +
        Math.floor((e.clientX - box.left) / cell);
      if (n >= 0 && n < this.shown) this.onSelect?.(n);
    });
  }

  draw(weights: Float32Array, neurons: number): void {
    this.shown = Math.min(neurons, MAX_FIELDS);
    this.cols = Math.min(10, this.shown);
    const rows = Math.ceil(this.shown / this.cols);
    const cell = SIDE * SCALE + 2;
    const ctx = setupCanvas(this.canvas, this.cols * cell, rows * cell);
    const small = document.createElement("canvas");
    small.width = SIDE;
    small.height = SIDE;
    const smallCtx = small.getContext("2d") as CanvasRenderingContext2D;
    const bias = new Float32Array(neurons);
    ctx.imageSmoothingEnabled = false;
    for (let n = 0; n < this.shown; n++) {
      const image = receptiveField({ weights, bias }, n, {
        rows: SIDE,
        cols: SIDE,
        scale: "neuron",
      });
      smallCtx.putImageData(
        new ImageData(image.rgba as Uint8ClampedArray<ArrayBuffer>, SIDE, SIDE),
        0,
        0,
      );
      const x = (n % this.cols) * cell + 1;
      const y = Math.floor(n / this.cols) * cell + 1;
      ctx.drawImage(small, x, y, SIDE * SCALE, SIDE * SCALE);
      if (n === this.selected) {
        ctx.strokeStyle = "#1d232b";
        ctx.lineWidth = 2;
        ctx.strokeRect(x, y, SIDE * SCALE, SIDE * SCALE);
      }
    }
  }
}
