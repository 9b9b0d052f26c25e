/**
 * Training in the page: a trivariate network on the embedded digits, trained by core in a Web
 * Worker (worker/train-worker.ts), with a slider per atom weight that takes effect at the
 * next batch. The view shows the network respond batch by batch: accuracy, the goal, the
 * atom bands, the neuron map, receptive fields and one neuron; the settings live in the
 * address; Export saves the run as a zip that `infomorph report` and the lab open.
 */

import { formatGoal, goalFromVector } from "@infomorph/core";
import { type AtomClass, atomClasses } from "../analysis/atom-classes.js";
import { el, figure, legend, percent } from "../app/dom.js";
import { lineChart } from "../charts/line-chart.js";
import { GoalEditor } from "../goal/goal-editor.js";
import { BatchHistory } from "../play/batch-history.js";
import { FieldsGrid } from "../play/fields-grid.js";
import { settingsForm } from "../play/settings-form.js";
import { queryFromSettings, settingsFromQuery } from "../play/url-state.js";
import { BAND, MEAN, MEDIAN, column } from "../run/atoms.js";
import { SPLIT_COLOURS } from "../run/curves.js";
import { NeuronMap } from "../run/neuron-map.js";
import { drawNeuronWeights } from "../run/neuron-weights.js";
import type { FromWorker, PlayLayer, PlaySettings } from "../worker/protocol.js";
import type { View } from "./view.js";

/** The map shows each neuron's atoms averaged over this many recent batches. */
const MAP_BATCHES = 5;

type State = "idle" | "loading" | "training" | "stopped" | "finished" | "error";

export class PlayView implements View {
  readonly root = el("main", { class: "play-view" });
  private settings: PlaySettings;
  private worker: Worker | null = null;
  private state: State = "idle";
  private readonly status = el("p", { id: "play-status", class: "status" }, [
    "Choose the settings and press Start.",
  ]);
  private readonly inUse = el("p", { id: "goal-in-use", class: "canon" });
  private readonly pending = el("p", { id: "goal-next", class: "note" });
  private readonly editor: GoalEditor;
  private readonly buttons = {
    start: el("button", { type: "button", id: "play-start" }, ["Start"]),
    stop: el("button", { type: "button", id: "play-stop", disabled: true }, ["Stop"]),
    resume: el("button", { type: "button", id: "play-continue", disabled: true }, ["Continue"]),
    export: el("button", { type: "button", id: "play-export", disabled: true }, [
      "Export run (.zip)",
    ]),
  };
  private readonly charts = {
    accuracy: el("canvas", { "data-chart": "play-accuracy" }),
    goal: el("canvas", { "data-chart": "play-goal" }),
    neuron: el("canvas", { "data-chart": "play-neuron" }),
  };
  private readonly atomGrid = el("div", { class: "grid" });
  private atomCanvases: HTMLCanvasElement[] = [];
  private readonly map = new NeuronMap();
  private readonly fields = new FieldsGrid();
  private readonly neuronTitle = el("h3", { id: "play-neuron-title" });
  private readonly neuronWeights = el("div", { class: "weights" });
  private layer: PlayLayer | null = null;
  private classes: readonly AtomClass[] = [];
  private weights: { name: string; weights: Float32Array }[] = [];
  private selected = 0;
  private frame = 0;
  private startedAt = 0;
  private batchesSeen = 0;
  private history = new BatchHistory(1);
  /** Batch timings of this training (benchmarks read them): ms per batch as the worker measured it, and when batches arrived. */
  readonly stats = { batchMs: [] as number[], batches: 0, firstBatchAt: 0, lastBatchAt: 0 };

  constructor(
    query: string,
    private readonly setQuery: (query: string) => void,
  ) {
    this.settings = settingsFromQuery(query);
    this.editor = new GoalEditor(["F", "C", "L"], this.settings.goal);
    this.editor.onChange = (goal) => {
      const same = goal === this.settings.goal;
      this.settings.goal = goal;
      this.setQuery(queryFromSettings(this.settings));
      const idle = ["loading", "idle", "error"].includes(this.state);
      if (!this.worker || idle || same) return;
      this.worker.postMessage({ type: "set-goal", goal });
      if (this.state === "training")
        this.history.changes.push({ x: this.history.last, label: "goal" });
    };
    this.root.append(
      el("section", { id: "play" }, [
        el("h1", {}, ["Train in the page"]),
        el("p", { class: "note" }, [
          "A trivariate infomorphic network (F = the digit's pixels, C = its label, L = the other hidden neurons) learns on the embedded digits (the CLI's --dataset embedded) in a worker of this page. Every neuron ascends the goal below; move a slider and the next batch ascends the new goal.",
        ]),
        settingsForm(this.settings, () => this.setQuery(queryFromSettings(this.settings))),
        el("div", { class: "controls" }, Object.values(this.buttons)),
        this.status,
      ]),
      el("section", { id: "play-goal" }, [
        el("h2", {}, ["Goal of the hidden layer"]),
        this.editor.root,
        el("p", { class: "note" }, ["The worker ascended, in the newest batch:"]),
        this.inUse,
        this.pending,
      ]),
      el("section", { id: "play-curves" }, [
        el("h2", {}, ["The network"]),
        el("div", { class: "row" }, [
          figure(
            [
              el("b", {}, ["accuracy"]),
              " per batch as trained (label present) and per epoch on held-out digits",
            ],
            [
              legend([
                { label: "batch (train)", color: SPLIT_COLOURS.train },
                { label: "validation", color: SPLIT_COLOURS.validation },
                { label: "test", color: SPLIT_COLOURS.test },
              ]),
              this.charts.accuracy,
            ],
          ),
          figure(
            [
              el("b", {}, ["hidden layer"]),
              " mean goal G per batch (bits); red lines: goal changes",
            ],
            [this.charts.goal],
          ),
        ]),
      ]),
      el("section", { id: "play-atoms" }, [
        el("h2", {}, ["Atoms of the hidden neurons, batch by batch"]),
        legend([
          { label: "median over neurons", color: MEDIAN },
          { label: "10–90 % band", color: BAND, band: true },
          { label: "mean", color: MEAN },
        ]),
        this.atomGrid,
      ]),
      el("section", { id: "play-neurons" }, [
        el("h2", {}, ["Neurons"]),
        el("p", { class: "note" }, [
          `Each neuron coloured by the atom class dominating its output information over the last ${MAP_BATCHES} batches; receptive fields (F weights); click either to pick a neuron.`,
        ]),
        el("div", { class: "row" }, [this.map.root, this.fields.root]),
        this.neuronTitle,
        el("div", { class: "row" }, [
          figure([el("b", {}, ["atoms over the batches"]), " (bits)"], [this.charts.neuron]),
          this.neuronWeights,
        ]),
      ]),
    );
    this.map.onSelect = (n) => this.pick(n);
    this.fields.onSelect = (n) => this.pick(n);
    this.buttons.start.addEventListener("click", () => this.start());
    this.buttons.stop.addEventListener("click", () => this.worker?.postMessage({ type: "stop" }));
    this.buttons.resume.addEventListener("click", () => {
      this.setState("training", "continuing…");
      this.worker?.postMessage({ type: "continue", epochs: this.settings.epochs });
    });
    this.buttons.export.addEventListener("click", () =>
      this.worker?.postMessage({ type: "export" }),
    );
  }

  close(): void {
    this.worker?.terminate();
    this.worker = null;
    if (this.frame) cancelAnimationFrame(this.frame);
  }

  private start(): void {
    this.worker?.terminate();
    this.batchesSeen = 0;
    Object.assign(this.stats, { batchMs: [], batches: 0, firstBatchAt: 0, lastBatchAt: 0 });
    this.worker = new Worker(new URL("../worker/train-worker.ts", import.meta.url), {
      type: "module",
    });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) =>
      this.setState("error", event.message || "the training worker failed");
    this.settings.goal = this.editor.value;
    this.worker.postMessage({ type: "start", settings: { ...this.settings } });
    this.startedAt = performance.now();
    this.setState("loading", "starting…");
  }

  private setState(state: State, text: string): void {
    this.state = state;
    this.status.dataset.state = state;
    this.status.textContent = text;
    this.buttons.stop.disabled = state !== "training";
    this.buttons.resume.disabled = state !== "stopped" && state !== "finished";
    this.buttons.export.disabled = !(
      state === "stopped" ||
      state === "finished" ||
      state === "training"
    );
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case "loading":
        this.setState("loading", `loading ${message.what}…`);
        return;
      case "ready": {
        const hidden = message.layers[0];
        this.layer = hidden;
        this.classes = atomClasses(hidden.sources.length);
        this.history = new BatchHistory(hidden.names.length);
        this.buildAtomGrid(hidden);
        this.showGamma(message.gamma, 0, 0);
        this.kernelsText = `${message.kernels} kernels on ${message.threads} thread${message.threads === 1 ? "" : "s"}; ${message.counts.train} training, ${message.counts.validation} validation, ${message.counts.test} test digits`;
        this.startedAt = performance.now();
        this.setState("training", `training: ${this.kernelsText}`);
        return;
      }
      case "batch":
        this.onBatch(message);
        return;
      case "epoch":
        this.history.epochs.push({
          x: message.epoch,
          validation: message.validation,
          test: message.test,
        });
        this.schedule();
        return;
      case "weights":
        this.weights = message.sources;
        this.schedule();
        return;
      case "goal": {
        const text = formatGoal(
          goalFromVector(message.gamma, { sources: 3, classNames: ["F", "C", "L"] }),
        );
        this.pending.textContent = `Set in the worker, for the next batch: ${text}`;
        this.pending.dataset.goal = text;
        return;
      }
      case "stopped":
        this.setState(
          "stopped",
          `stopped; back at the end of epoch ${message.epoch} (as Ctrl-C leaves a CLI run). ${this.kernelsText}`,
        );
        return;
      case "finished":
        this.setState("finished", `finished ${message.epoch} epochs. ${this.kernelsText}`);
        return;
      case "export":
        download(message.zip, `${message.name}.zip`);
        return;
      case "error":
        this.setState("error", `error: ${message.message}`);
        return;
    }
  }

  private kernelsText = "";

  private onBatch(m: Extract<FromWorker, { type: "batch" }>): void {
    const layer = this.layer;
    if (!layer) return;
    this.batchesSeen++;
    const now = performance.now();
    if (this.stats.batches === 0) this.stats.firstBatchAt = now;
    this.stats.lastBatchAt = now;
    this.stats.batches++;
    this.stats.batchMs.push(m.ms);
    this.history.addBatch(m.epoch - 1 + m.batch / m.batches, m.accuracy, m.goals[0], m.atoms);
    this.showGamma(m.gamma, m.epoch, m.batch);
    const seconds = (performance.now() - this.startedAt) / 1000;
    const rate = this.batchesSeen / Math.max(seconds, 1e-3);
    this.status.textContent = `training: epoch ${m.epoch} of ${this.settings.epochs}, batch ${m.batch} of ${m.batches}, ${rate.toFixed(1)} batches/s (last ${m.ms.toFixed(0)} ms); ${this.kernelsText}`;
    this.status.dataset.batches = String(this.batchesSeen);
    this.schedule();
  }

  /** What the worker ascends, read back from it: the proof that a slider reached it. */
  private showGamma(gamma: Float64Array, epoch: number, batch: number): void {
    const g = goalFromVector(gamma, { sources: 3, classNames: ["F", "C", "L"] });
    const text = formatGoal(g);
    this.inUse.textContent = `${text}  (batch ${batch} of epoch ${epoch})`;
    this.inUse.dataset.goal = text;
    this.inUse.dataset.epoch = String(epoch);
    this.inUse.dataset.batch = String(batch);
  }

  private buildAtomGrid(layer: PlayLayer): void {
    this.atomCanvases = layer.aliases.map(() => el("canvas", { "data-chart": "play-atom" }));
    this.atomGrid.replaceChildren(
      ...layer.aliases.map((alias, v) =>
        figure(
          [
            el("b", {}, [alias]),
            layer.names[v] !== alias
              ? el("span", { class: "canon" }, [` ${layer.names[v]}`])
              : null,
          ],
          [this.atomCanvases[v]],
        ),
      ),
    );
  }

  private pick(n: number): void {
    this.selected = n;
    this.map.selected = n;
    this.fields.selected = n;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const layer = this.layer;
    const h = this.history;
    if (!layer || h.x.length === 0) return;
    const V = layer.names.length;
    const markers = h.changes.filter((c) => c.x >= h.x[0]);
    lineChart(this.charts.accuracy, {
      width: 440,
      height: 240,
      x: h.x,
      y: [0, 1],
      percent: true,
      xLabel: "epoch",
      series: [{ values: h.accuracy, color: SPLIT_COLOURS.train, width: 1.2 }],
      markers,
    });
    this.drawEpochPoints();
    lineChart(this.charts.goal, {
      width: 440,
      height: 240,
      x: h.x,
      xLabel: "epoch",
      series: [{ values: h.goal, color: "#5b3a8e", width: 1.2 }],
      markers,
    });
    const B = h.x.length;
    const median = h.flat(h.median);
    const q10 = h.flat(h.q10);
    const q90 = h.flat(h.q90);
    const mean = h.flat(h.mean);
    for (let v = 0; v < V; v++) {
      lineChart(this.atomCanvases[v], {
        width: 214,
        height: 120,
        x: h.x,
        zero: true,
        series: [
          { lo: column(q10, v, V, B), hi: column(q90, v, V, B), fill: BAND },
          { values: column(mean, v, V, B), color: MEAN, width: 1, dash: [3, 3] },
          { values: column(median, v, V, B), color: MEDIAN, width: 1.5 },
        ],
      });
    }
    // the map: each neuron's atoms over the last batches
    const smooth = h.recentAtoms(MAP_BATCHES);
    this.map.draw({
      size: layer.size,
      stride: V,
      classes: this.classes,
      values: smooth,
      aliases: layer.aliases,
    });
    const f = this.weights.find((s) => s.name === "F");
    if (f) this.fields.draw(f.weights, layer.size);
    this.drawNeuron(layer);
  }

  /** Validation and test accuracy at each epoch's end, over the batch curve. */
  private drawEpochPoints(): void {
    const h = this.history;
    const canvas = this.charts.accuracy;
    const ctx = canvas.getContext("2d");
    if (!ctx || h.epochs.length === 0 || h.x.length === 0) return;
    const x0 = h.x[0];
    const x1 = h.x[h.x.length - 1] === x0 ? x0 + 1 : h.x[h.x.length - 1];
    const left = 44;
    const pw = 440 - left - 10;
    const ph = 240 - 8 - 34;
    for (const e of h.epochs) {
      if (e.x < x0) continue;
      for (const [value, colour] of [
        [e.validation, SPLIT_COLOURS.validation],
        [e.test, SPLIT_COLOURS.test],
      ] as const) {
        if (value === null) continue;
        ctx.fillStyle = colour;
        ctx.beginPath();
        ctx.arc(left + ((e.x - x0) / (x1 - x0)) * pw, 8 + (1 - value) * ph, 3, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    const last = h.epochs[h.epochs.length - 1];
    canvas.dataset.validation = String(last.validation);
    canvas.title = `epoch ${last.x}: validation ${percent(last.validation)}, test ${percent(last.test)}`;
  }

  private drawNeuron(layer: PlayLayer): void {
    const n = Math.min(this.selected, layer.size - 1);
    const h = this.history;
    const V = layer.names.length;
    this.neuronTitle.textContent = `hidden neuron ${n} of ${layer.size} (0–${layer.size - 1})`;
    const series = Array.from({ length: V }, (_, v) => ({
      values: h.atoms.map((atoms) => atoms[n * V + v]),
      color:
        v === V - 1
          ? "#8a94a0"
          : `hsl(${Math.round((v * 360) / (V - 1) + 210) % 360}, 62%, ${v % 2 ? 38 : 50}%)`,
      width: 1.3,
      dash: v === V - 1 ? [4, 3] : undefined,
    }));
    lineChart(this.charts.neuron, {
      width: 480,
      height: 240,
      x: h.x,
      zero: true,
      xLabel: "epoch",
      yLabel: "bits",
      series,
    });
    const sources = this.weights.map((s) => ({
      name: s.name,
      inputs: s.weights.length / layer.size,
      weights: s.weights,
      bias: new Float32Array(layer.size),
    }));
    drawNeuronWeights(this.neuronWeights, sources, n, 784);
  }
}

/** Save bytes as a file through the browser's download. */
function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/zip" }),
  );
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
