/** One neuron: pick a layer and a neuron (or click one on the map), see its atoms over training and its weights at the checkpoint. */

import { el, figure, legend } from "../app/dom.js";
import { palette } from "../charts/canvas.js";
import { lineChart } from "../charts/line-chart.js";
import { column } from "./atoms.js";
import { NeuronMap } from "./neuron-map.js";
import { drawNeuronWeights } from "./neuron-weights.js";
import type { LayerData, RunData } from "./run-data.js";

export class NeuronSection {
  readonly root = el("section", { id: "neuron" }, [
    el("h2", {}, ["Neurons"]),
    el("p", { class: "note" }, [
      "The map colours each neuron by the class of PID atoms that dominates its output information at the chosen epoch: unique (one source alone), redundant (several sources each), synergistic (sources only jointly). See docs/INTERPRETING.md.",
    ]),
  ]);
  private readonly layerSelect = el("select", { id: "neuron-layer" });
  private readonly index = el("input", {
    id: "neuron-index",
    type: "number",
    min: "0",
    step: "1",
    value: "0",
  });
  private readonly slider = el("input", {
    id: "neuron-slider",
    type: "range",
    min: "0",
    step: "1",
    value: "0",
  });
  private readonly epochSlider = el("input", {
    id: "map-epoch",
    type: "range",
    min: "1",
    step: "1",
    value: "1",
  });
  private readonly epochLabel = el("span", { class: "note" });
  readonly map = new NeuronMap();
  private readonly panel = el("div", { id: "neuron-panel" });
  private readonly empty = el("p", { class: "note" }, [
    "No layer with atoms to pick a neuron from.",
  ]);
  private data: RunData | null = null;
  /** The map follows the newest epoch until the user picks another. */
  private followLatest = true;
  private shownLayers = "";

  constructor() {
    const controls = el("div", { class: "controls" }, [
      el("label", {}, ["layer ", this.layerSelect]),
      el("label", {}, ["neuron ", this.index]),
      this.slider,
      el("label", {}, ["map at epoch ", this.epochSlider]),
      this.epochLabel,
    ]);
    this.root.append(
      this.empty,
      controls,
      el("div", { class: "row" }, [this.map.root, this.panel]),
    );
    this.index.addEventListener("input", () => this.pick(Number(this.index.value)));
    this.slider.addEventListener("input", () => this.pick(Number(this.slider.value)));
    this.layerSelect.addEventListener("change", () => this.pick(Number(this.index.value)));
    this.epochSlider.addEventListener("input", () => {
      this.followLatest = Number(this.epochSlider.value) >= Number(this.epochSlider.max);
      this.drawMap();
    });
    this.map.onSelect = (n) => this.pick(n);
  }

  private get layer(): LayerData | null {
    return this.data?.layers.find((l) => l.name === this.layerSelect.value) ?? null;
  }

  update(data: RunData): void {
    this.data = data;
    const layers = data.layers.filter((l) => l.epochs.length > 0);
    this.empty.hidden = layers.length > 0;
    const names = layers.map((l) => `${l.name} (${l.size})`).join();
    if (names !== this.shownLayers) {
      this.shownLayers = names;
      const keep = this.layerSelect.value;
      this.layerSelect.replaceChildren(
        ...layers.map((l) => el("option", { value: l.name }, [`${l.name} (${l.size})`])),
      );
      if (layers.some((l) => l.name === keep)) this.layerSelect.value = keep;
    }
    const layer = this.layer;
    if (!layer) return;
    this.epochSlider.max = String(layer.epochs.length);
    if (this.followLatest) this.epochSlider.value = String(layer.epochs.length);
    this.pick(Number(this.index.value));
  }

  /** Show neuron n of the chosen layer (clamped to it). */
  pick(n: number): void {
    const layer = this.layer;
    if (!layer) return;
    this.index.max = this.slider.max = String(layer.size - 1);
    const neuron = Math.max(0, Math.min(layer.size - 1, Number.isFinite(n) ? Math.round(n) : 0));
    this.index.value = this.slider.value = String(neuron);
    this.map.selected = neuron;
    this.drawMap();
    this.drawPanel(layer, neuron);
  }

  private drawMap(): void {
    const layer = this.layer;
    if (!layer || layer.epochs.length === 0) return;
    const e = Math.max(1, Math.min(layer.epochs.length, Number(this.epochSlider.value))) - 1;
    this.epochLabel.textContent = `${e + 1} of ${layer.epochs.length}${this.followLatest ? " (follows the newest)" : ""}`;
    this.map.draw({
      size: layer.size,
      stride: layer.stride,
      classes: layer.classes,
      values: layer.epochs[e],
      aliases: layer.aliases,
    });
  }

  /** What the panel shows now: a data update redraws only what changed. */
  private shown: {
    layer: LayerData;
    neuron: number;
    atoms: HTMLCanvasElement;
    weightsBox: HTMLElement;
    epochs: number;
    weights: LayerData["weights"];
  } | null = null;

  private drawPanel(layer: LayerData, n: number): void {
    let shown = this.shown;
    if (!shown || shown.layer !== layer || shown.neuron !== n) {
      const colours = this.colours(layer);
      const atoms = el("canvas", { "data-chart": "neuron-atoms" });
      const weightsBox = el("div", { class: "weights" });
      const trajectory = figure(
        [el("b", {}, ["atoms over training"]), " (bits; dashed = H_res)"],
        [atoms, legend(layer.aliases.map((a, v) => ({ label: a, color: colours[v] })))],
      );
      trajectory.style.maxWidth = "560px";
      this.panel.replaceChildren(
        el("h3", { id: "neuron-title" }, [
          `${layer.name} neuron ${n} of ${layer.size} (0–${layer.size - 1})`,
        ]),
        el("div", { class: "row" }, [trajectory, weightsBox]),
      );
      shown = { layer, neuron: n, atoms, weightsBox, epochs: -1, weights: [] };
      this.shown = shown;
    }
    const E = layer.epochs.length;
    if (shown.epochs !== E) {
      shown.epochs = E;
      const V = layer.stride;
      const values = layer.neuron(n);
      const colours = this.colours(layer);
      lineChart(shown.atoms, {
        width: 540,
        height: 280,
        x: Array.from({ length: E }, (_, e) => e + 1),
        series: Array.from({ length: V }, (_, v) => ({
          values: column(values, v, V, E),
          color: colours[v],
          width: 1.6,
          dash: v === V - 1 ? [4, 3] : undefined,
        })),
        zero: true,
        xLabel: "epoch",
        yLabel: "bits",
      });
    }
    if (shown.weights !== layer.weights) {
      shown.weights = layer.weights;
      drawNeuronWeights(shown.weightsBox, layer.weights, n, this.data?.config.data.dim ?? 0);
    }
  }

  private colours(layer: LayerData): string[] {
    return [...palette(layer.stride - 1), "#8a94a0"];
  }
}
