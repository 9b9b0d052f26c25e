/**
 * The map of a layer: one cell per neuron, coloured by the atom class that dominates its
 * output information (analysis/atom-classes.ts): unique (specialises), redundant (aligns),
 * synergistic (collaborates), grey when it carries (almost) none; the stronger the class's
 * share, the deeper the colour. Hover a cell for its numbers, click it to pick the neuron.
 */

import {
  ATOM_CLASSES,
  type AtomClass,
  CLASS_MEANING,
  type ClassShares,
  classShares,
} from "../analysis/atom-classes.js";
import { el, fixed } from "../app/dom.js";
import { FRAME, setupCanvas } from "../charts/canvas.js";

export const CLASS_COLOURS: Readonly<Record<AtomClass, [number, number, number]>> = {
  unique: [46, 139, 87],
  redundant: [31, 95, 153],
  synergistic: [217, 130, 43],
};
const NONE = "#d5dae0";

/** One state of a layer to draw: every neuron's values [neuron × stride] (atoms, then H_res). */
export interface MapFrame {
  size: number;
  stride: number;
  classes: readonly AtomClass[];
  values: ArrayLike<number>;
  /** Atom aliases, for the tooltip. */
  aliases: readonly string[];
}

export class NeuronMap {
  readonly root: HTMLElement;
  readonly canvas = el("canvas", { "data-chart": "neuron-map", class: "neuron-map" });
  private readonly counts = el("p", { class: "map-counts", "data-map-counts": "" });
  private readonly tip = el("p", { class: "map-tip note" }, [
    "Hover a neuron for its information by class; click it to pick it.",
  ]);
  private frame: MapFrame | null = null;
  private shares: ClassShares[] = [];
  private cell = 10;
  private cols = 1;
  selected = 0;
  onSelect: ((neuron: number) => void) | null = null;

  constructor() {
    const swatches = ATOM_CLASSES.map((c) => {
      const swatch = el("i", { class: "band" });
      swatch.style.background = `rgb(${CLASS_COLOURS[c].join(",")})`;
      return el("span", {}, [swatch, `${c} (${CLASS_MEANING[c]})`]);
    });
    const none = el("i", { class: "band" });
    none.style.background = NONE;
    this.root = el("div", { class: "neuron-map-box" }, [
      el("div", { class: "legend" }, [...swatches, el("span", {}, [none, "no information"])]),
      this.canvas,
      this.counts,
      this.tip,
    ]);
    this.canvas.addEventListener("mousemove", (e) => this.hover(e));
    this.canvas.addEventListener("click", (e) => {
      const n = this.neuronAt(e);
      if (n === null) return;
      this.selected = n;
      this.redraw();
      this.onSelect?.(n);
    });
  }

  /** The class shares of the neurons last drawn. */
  get current(): readonly ClassShares[] {
    return this.shares;
  }

  draw(frame: MapFrame): void {
    this.frame = frame;
    this.shares = Array.from({ length: frame.size }, (_, n) =>
      classShares(frame.values, frame.classes, n * frame.stride),
    );
    const tally = { unique: 0, redundant: 0, synergistic: 0, none: 0 };
    for (const s of this.shares) tally[s.dominant ?? "none"]++;
    this.counts.textContent = `${tally.unique} unique · ${tally.redundant} redundant · ${tally.synergistic} synergistic · ${tally.none} without information`;
    for (const [k, v] of Object.entries(tally)) this.counts.dataset[k] = String(v);
    this.redraw();
  }

  private redraw(): void {
    const frame = this.frame;
    if (!frame) return;
    const n = frame.size;
    this.cols = Math.ceil(Math.sqrt(n * 1.6));
    const rows = Math.ceil(n / this.cols);
    this.cell = Math.max(6, Math.min(40, Math.floor(560 / this.cols)));
    const gap = this.cell >= 10 ? 1 : 0;
    const ctx = setupCanvas(this.canvas, this.cols * this.cell + 1, rows * this.cell + 1);
    for (let i = 0; i < n; i++) {
      const s = this.shares[i];
      const x = (i % this.cols) * this.cell;
      const y = Math.floor(i / this.cols) * this.cell;
      if (s.dominant === null) {
        ctx.fillStyle = NONE;
      } else {
        const depth = Math.max(0.3, Math.min(1, s.share));
        const [r, g, b] = CLASS_COLOURS[s.dominant];
        ctx.fillStyle = `rgb(${mix(r, depth)},${mix(g, depth)},${mix(b, depth)})`;
      }
      ctx.fillRect(x + gap, y + gap, this.cell - gap, this.cell - gap);
    }
    if (this.selected < n) {
      ctx.strokeStyle = "#1d232b";
      ctx.lineWidth = 2;
      const x = (this.selected % this.cols) * this.cell;
      const y = Math.floor(this.selected / this.cols) * this.cell;
      ctx.strokeRect(x + 1, y + 1, this.cell - 1, this.cell - 1);
    }
    ctx.strokeStyle = FRAME;
    ctx.lineWidth = 1;
  }

  private neuronAt(e: MouseEvent): number | null {
    const box = this.canvas.getBoundingClientRect();
    const col = Math.floor((e.clientX - box.left) / this.cell);
    const row = Math.floor((e.clientY - box.top) / this.cell);
    const n = row * this.cols + col;
    return col >= 0 && col < this.cols && row >= 0 && this.frame && n < this.frame.size ? n : null;
  }

  private hover(e: MouseEvent): void {
    const n = this.neuronAt(e);
    const frame = this.frame;
    if (n === null || !frame) return;
    const s = this.shares[n];
    let top = 0;
    for (let a = 1; a < frame.classes.length; a++) {
      if (frame.values[n * frame.stride + a] > frame.values[n * frame.stride + top]) top = a;
    }
    this.tip.textContent =
      `neuron ${n}: ${s.dominant ?? "no information"}; unique ${fixed(s.unique, 3)}, redundant ${fixed(s.redundant, 3)}, ` +
      `synergistic ${fixed(s.synergistic, 3)} bits of I = ${fixed(s.information, 3)}; largest atom ${frame.aliases[top]} ` +
      `${fixed(frame.values[n * frame.stride + top], 3)} bits`;
  }
}

/** A channel mixed towards white: depth 1 is the colour, 0 white. */
function mix(channel: number, depth: number): number {
  return Math.round(255 - depth * (255 - channel));
}
