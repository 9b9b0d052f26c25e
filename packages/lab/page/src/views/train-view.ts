/** Start a training from the page: preset, dataset, sizes, epochs, seed and γ per atom; the lab server runs `infomorph train … --out RUNS/<name>` and the page follows the new run. */

import { PRESET_NAMES, hiddenSourceNames, presetConfig } from "@infomorph/core";
import { ApiError, post } from "../api/client.js";
import { el } from "../app/dom.js";
import { GoalEditor } from "../goal/goal-editor.js";
import type { View } from "./view.js";

const DATASETS = ["embedded", "mnist", "fashion-mnist"];

export class TrainView implements View {
  readonly root = el("main", { class: "train-view" });
  private readonly preset = el(
    "select",
    { id: "train-preset", name: "preset" },
    PRESET_NAMES.map((p) => el("option", { value: p }, [p])),
  );
  private readonly fields = {
    name: el("input", {
      id: "train-name",
      name: "name",
      required: true,
      pattern: "[A-Za-z0-9][A-Za-z0-9._\\-]*",
      maxlength: 100,
    }),
    dataset: el(
      "select",
      { id: "train-dataset", name: "dataset" },
      DATASETS.map((d) => el("option", { value: d }, [d])),
    ),
    hidden: el("input", { id: "train-hidden", type: "number", min: 1, value: 100 }),
    epochs: el("input", { id: "train-epochs", type: "number", min: 1, value: 10 }),
    batchSize: el("input", { id: "train-batch", type: "number", min: 1, value: 1024 }),
    seed: el("input", { id: "train-seed", type: "number", min: 0, value: 1 }),
    trainSamples: el("input", { id: "train-samples", type: "number", min: 1, placeholder: "all" }),
  };
  private readonly goalBox = el("div", { id: "train-goal" });
  private editor: GoalEditor | null = null;
  private readonly error = el("p", { class: "error", id: "train-error" });
  private readonly submit = el("button", { type: "submit", id: "train-start" }, ["Start training"]);

  constructor() {
    const label = (text: string, input: HTMLElement) => el("label", {}, [text, " ", input]);
    const form = el("form", { id: "train-form" }, [
      el("div", { class: "controls" }, [
        label("name", this.fields.name),
        label("preset", this.preset),
        label("dataset", this.fields.dataset),
        label("hidden neurons", this.fields.hidden),
        label("epochs", this.fields.epochs),
        label("batch", this.fields.batchSize),
        label("seed", this.fields.seed),
        label("training samples", this.fields.trainSamples),
      ]),
      this.goalBox,
      el("div", { class: "controls" }, [this.submit]),
      this.error,
    ]);
    this.root.append(
      el("section", {}, [
        el("h1", {}, ["New training"]),
        el("p", { class: "note" }, [
          "The lab runs infomorph train with these settings into a new run folder of its runs folder; the run page follows it while it trains, and Stop checkpoints it as Ctrl-C does.",
        ]),
        form,
      ]),
    );
    this.preset.addEventListener("change", () => this.showGoal());
    this.fields.dataset.addEventListener("change", () => this.suggestName());
    this.fields.seed.addEventListener("change", () => this.suggestName());
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.start();
    });
    this.showGoal();
  }

  close(): void {}

  private suggestName(): void {
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, "0");
    const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
    this.fields.name.value = `${this.preset.value}-${this.fields.dataset.value}-s${this.fields.seed.value}-${stamp}`;
  }

  /** The goal editor for the preset's hidden layer (none for presets whose hidden layer does not learn). */
  private showGoal(): void {
    this.suggestName();
    const config = presetConfig(this.preset.value, { inputs: 784, classes: 10, hidden: 2 });
    const hidden =
      config.kind === "infomorphic" && config.hidden?.kind === "infomorphic" ? config.hidden : null;
    if (!hidden) {
      this.editor = null;
      this.goalBox.replaceChildren(
        el("p", { class: "note" }, ["This preset's hidden layer has no goal to set."]),
      );
      return;
    }
    this.editor = new GoalEditor(hiddenSourceNames(hidden), String(hidden.goal));
    this.goalBox.replaceChildren(
      el("h2", {}, [`Goal of the hidden layer (sources ${hiddenSourceNames(hidden).join(", ")})`]),
      this.editor.root,
    );
  }

  private async start(): Promise<void> {
    this.error.textContent = "";
    this.submit.disabled = true;
    const int = (input: HTMLInputElement) => Number(input.value);
    const body: Record<string, unknown> = {
      name: this.fields.name.value,
      preset: this.preset.value,
      dataset: this.fields.dataset.value,
      hidden: int(this.fields.hidden),
      epochs: int(this.fields.epochs),
      batchSize: int(this.fields.batchSize),
      seed: int(this.fields.seed),
    };
    if (this.fields.trainSamples.value !== "") body.trainSamples = int(this.fields.trainSamples);
    if (this.editor) body.goal = this.editor.value;
    try {
      const started = await post<{ name: string }>("trainings", body);
      location.hash = `#/run/${encodeURIComponent(started.name)}`;
    } catch (err) {
      this.error.textContent = err instanceof ApiError ? err.message : String(err);
      this.submit.disabled = false;
    }
  }
}
