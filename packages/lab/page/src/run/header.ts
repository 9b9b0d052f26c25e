/** The run's header: what was trained (preset, data, sizes, seed, kernels), its best and last accuracies, and in live mode who trains it. */

import { el, factList, percent } from "../app/dom.js";
import type { RunData } from "./run-data.js";

export class HeaderSection {
  readonly root = el("section", { id: "header" });
  /** Live mode: the status line and its buttons, filled by the view. */
  readonly controls = el("div", { class: "run-controls" });
  private shown = "";

  update(data: RunData): void {
    const { config } = data;
    const c = data.curves();
    const last = c.epochs.length - 1;
    let best = -1;
    c.validation.forEach((v, i) => {
      if (best < 0 || v > c.validation[best]) best = i;
    });
    const target = data.status?.target || config.training.epochs;
    const done = c.epochs.length;
    const facts: [string, string][] = [
      ["preset", config.preset],
      ["model", config.model.kind],
      ["dataset", config.data.dataset],
      ["hidden neurons", String(config.hidden)],
      ["epochs", done === target ? String(done) : `${done} of ${target}`],
      ["batch size", String(config.training.batchSize)],
      ["train samples", String(config.data.counts.train > 0 ? trainSamples(data) : "-")],
      ["seed", String(config.training.seed)],
      ["kernels", config.kernels],
      ["created", config.created],
      ["infomorph", config.versions.infomorph],
      ["data source", config.data.source],
    ];
    const scores: [string, string][] = [];
    if (last >= 0) {
      const e = c.epochs[last];
      scores.push([percent(c.train[last]), `train, epoch ${e}`]);
      scores.push([percent(c.validation[last]), `validation, epoch ${e}`]);
      if (c.test[last] !== null) scores.push([percent(c.test[last]), `test, epoch ${e}`]);
      scores.push([percent(c.validation[best]), `best validation, epoch ${c.epochs[best]}`]);
      if (c.test[best] !== null)
        scores.push([percent(c.test[best]), `test at epoch ${c.epochs[best]}`]);
    }
    const key = JSON.stringify([facts, scores]);
    if (key === this.shown) return;
    this.shown = key;
    this.root.replaceChildren(
      el("h1", {}, ["infomorph ", el("span", { class: "run" }, [data.name])]),
      this.controls,
      factList(facts, ["data source"]),
      el(
        "div",
        { class: "scores" },
        scores.length === 0
          ? [el("p", { class: "note" }, ["No epoch has completed yet."])]
          : scores.map(([value, what]) =>
              el("div", { class: "score" }, [el("b", {}, [value]), el("span", {}, [what])]),
            ),
      ),
    );
  }
}

function trainSamples(data: RunData): number {
  const limit = data.config.training.trainSamples;
  const all = data.config.data.counts.train;
  return limit === null ? all : Math.min(limit, all);
}
