/** Atom trajectories: per layer, a small chart per atom (and H_res) with the median over neurons, the 10–90 % band and the mean, per epoch; γ beside each atom's name. */

import { el, figure, legend, weightText } from "../app/dom.js";
import { lineChart } from "../charts/line-chart.js";
import type { LayerData, RunData } from "./run-data.js";

export const BAND = "rgba(31, 95, 153, 0.2)";
export const MEDIAN = "#1f5f99";
export const MEAN = "#9a4d00";

/** Column v of a row-major [epoch × values] array. */
export function column(
  array: ArrayLike<number>,
  v: number,
  values: number,
  epochs: number,
): Float64Array {
  const out = new Float64Array(epochs);
  for (let e = 0; e < epochs; e++) out[e] = array[e * values + v];
  return out;
}

class LayerAtoms {
  readonly root: HTMLElement;
  private readonly canvases: HTMLCanvasElement[] = [];
  private readonly shared = el("input", { type: "checkbox" });

  constructor(private readonly layer: LayerData) {
    const V = layer.stride;
    this.root = el("div", { class: "layer", "data-layer": layer.name }, [
      el("h3", {}, [
        `${layer.name} layer: ${layer.size} neurons, sources ${layer.sources.join(", ")}, ${V - 1} atoms + H_res`,
      ]),
      el("div", { class: "controls" }, [
        legend([
          { label: "median over neurons", color: MEDIAN },
          { label: "10–90 % band", color: BAND, band: true },
          { label: "mean", color: MEAN },
        ]),
        el("label", {}, [this.shared, " same y-scale for every atom (H_res apart)"]),
      ]),
    ]);
    const grid = el("div", { class: "grid" });
    this.root.append(grid);
    for (let v = 0; v < V; v++) {
      const canvas = el("canvas", { "data-chart": "atom" });
      this.canvases.push(canvas);
      const caption: (Node | string)[] = [el("b", {}, [layer.aliases[v]])];
      if (layer.names[v] !== layer.aliases[v])
        caption.push(" ", el("span", { class: "canon" }, [layer.names[v]]));
      const g = layer.goal?.gamma[v] ?? 0;
      if (g !== 0) caption.push(el("span", { class: "gamma" }, [` γ = ${weightText(g)}`]));
      grid.append(figure(caption, [canvas]));
    }
    this.shared.addEventListener("change", () => this.draw());
  }

  draw(): void {
    const layer = this.layer;
    const V = layer.stride;
    const E = layer.epochs.length;
    const x = Array.from({ length: E }, (_, e) => e + 1);
    const { median, q10, q90, mean } = layer.bands;
    let common: [number, number] | null = null;
    if (this.shared.checked) {
      let lo = 0;
      let hi = 0;
      for (let i = 0; i < q10.length; i++) {
        if (i % V === V - 1) continue;
        lo = Math.min(lo, q10[i]);
        hi = Math.max(hi, q90[i]);
      }
      common = [lo, hi > lo ? hi : lo + 1e-3];
    }
    for (let v = 0; v < V; v++) {
      lineChart(this.canvases[v], {
        width: 214,
        height: 130,
        x,
        zero: true,
        y: v === V - 1 ? null : common,
        series: [
          { lo: column(q10, v, V, E), hi: column(q90, v, V, E), fill: BAND },
          { values: column(mean, v, V, E), color: MEAN, width: 1, dash: [3, 3] },
          { values: column(median, v, V, E), color: MEDIAN, width: 1.8 },
        ],
      });
    }
  }
}

export class AtomsSection {
  readonly root = el("section", { id: "atoms" }, [
    el("h2", {}, ["Atom trajectories"]),
    el("p", { class: "note" }, [
      "Per layer, each atom of the Partial Information Decomposition (and H_res) across the layer's neurons per epoch, in bits. Atoms plus H_res of one neuron stack to its H(Y). γ is the atom's weight in the layer's goal (see Goal below).",
    ]),
  ]);
  private readonly layers = new Map<string, LayerAtoms>();
  private readonly empty = el("p", { class: "note" });

  constructor() {
    this.root.append(this.empty);
  }

  update(data: RunData): void {
    const shown = data.layers.filter((l) => l.epochs.length > 0);
    this.empty.hidden = shown.length > 0;
    this.empty.textContent =
      data.config.model.kind === "backprop"
        ? "A backprop run has no PID atoms."
        : "No atoms are stored yet; they are written after every epoch.";
    for (const layer of shown) {
      let view = this.layers.get(layer.name);
      if (!view) {
        view = new LayerAtoms(layer);
        this.layers.set(layer.name, view);
        this.root.append(view.root);
      }
      view.draw();
    }
  }
}
