/** The goal of each layer: γ per atom (alias, canonical name), the named goal if it is one, and the goal changes of a run trained in the page. */

import { el } from "../app/dom.js";
import type { LayerData, RunData } from "./run-data.js";

export class GoalSection {
  readonly root = el("section", { id: "goal" }, [
    el("h2", {}, ["Goal"]),
    el("p", { class: "note" }, [
      "γ is shared by every neuron of a layer; each neuron ascends G = Σ γ_α·Π(α) + γ_res·H_res.",
    ]),
  ]);
  private readonly body = el("div", { class: "goals" });
  private readonly changes = el("div");
  private drawn = false;

  constructor() {
    this.root.append(this.body, this.changes);
  }

  update(data: RunData): void {
    if (this.drawn) return;
    this.drawn = true;
    this.body.replaceChildren(...data.layers.map(goalTable));
    const changes = data.goalChanges;
    if (changes.length > 1) {
      this.changes.replaceChildren(
        el("h3", {}, ["Goal changes (hidden layer, in-page training)"]),
        el("table", {}, [
          el("tr", {}, [
            el("th", { class: "num" }, ["from epoch"]),
            el("th", { class: "num" }, ["batch"]),
            el("th", {}, ["goal"]),
          ]),
          ...changes.map((c) =>
            el("tr", {}, [
              el("td", { class: "num" }, [String(c.epoch)]),
              el("td", { class: "num" }, [String(c.batch)]),
              el("td", { class: "canon" }, [c.goal]),
            ]),
          ),
        ]),
        el("p", { class: "note" }, [
          "config.json holds the last goal (what a resume continues with) and this list (goalChanges).",
        ]),
      );
    }
  }
}

function goalTable(layer: LayerData): HTMLElement {
  if (!layer.goal) {
    return el("div", {}, [
      el("h3", {}, [layer.name]),
      el("p", { class: "note" }, ["This layer follows no goal."]),
    ]);
  }
  const { gamma, name } = layer.goal;
  return el("div", {}, [
    el("h3", {}, [
      `${layer.name}: `,
      name === null ? "weights given in the config" : el("span", { class: "canon" }, [name]),
    ]),
    el("table", {}, [
      el("tr", {}, [
        el("th", {}, ["atom"]),
        el("th", {}, ["canonical"]),
        el("th", { class: "num" }, ["γ"]),
      ]),
      ...layer.aliases.map((alias, v) =>
        el("tr", { class: gamma[v] === 0 ? "zero" : null }, [
          el("td", {}, [alias]),
          el("td", { class: "canon" }, [layer.names[v]]),
          el("td", { class: "num" }, [String(gamma[v])]),
        ]),
      ),
    ]),
  ]);
}
