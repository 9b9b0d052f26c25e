/** Representational complexity of the hidden layer (Ehrlich et al., TMLR 2023): measured by `infomorph report`, or on request in the live lab. */

import type { ReportComplexity } from "../../../src/complexity.js";
import { el } from "../app/dom.js";
import type { RunData } from "./run-data.js";

const INTRO =
  "C is how many of a group's k hidden neurons must be observed jointly, on average, to read the label (Ehrlich et al., TMLR 2023): C ∈ [1, k], where 1 = each neuron alone carries the label information redundantly and k = the information needs all k neurons jointly (negative I^sx atoms can move C outside this range).";

export class ComplexitySection {
  readonly root = el("section", { id: "complexity" }, [
    el("h2", {}, ["Representational complexity"]),
    el("p", { class: "note" }, [INTRO]),
  ]);
  private readonly body = el("div");
  /** Live mode: measures the run's complexity now (the server rebuilds the model at its checkpoint). */
  measure: (() => Promise<void>) | null = null;

  constructor() {
    this.root.append(this.body);
  }

  update(data: RunData): void {
    const c = data.complexity;
    if (c === null) {
      const button = el("button", { type: "button", id: "measure-complexity" }, [
        "Measure at the last checkpoint",
      ]);
      const note = el("p", { class: "note" }, [
        this.measure
          ? "Not measured yet: it reloads the run's validation data and samples its hidden layer (a few seconds)."
          : "Not measured.",
      ]);
      button.hidden = this.measure === null;
      button.addEventListener("click", () => {
        button.disabled = true;
        note.textContent = "Measuring…";
        this.measure?.().catch((err: Error) => {
          note.textContent = err.message;
          button.disabled = false;
        });
      });
      this.body.replaceChildren(note, button);
      return;
    }
    this.body.replaceChildren(...complexityTable(c));
  }
}

function complexityTable(c: ReportComplexity): HTMLElement[] {
  if (c.skipped !== null) return [el("p", { class: "note" }, [`Not measured: ${c.skipped}`])];
  const rows = c.groups.map((g) =>
    el("tr", {}, [
      el("td", {}, [g.method.replace("k neurons", `${g.size} neurons`)]),
      el("td", { class: "num" }, [
        g.mean === null || g.std === null
          ? "undefined"
          : `${g.mean.toFixed(3)} ± ${g.std.toFixed(3)}`,
      ]),
      el("td", { class: "num" }, [
        `${g.groups}${g.uninformative > 0 ? ` (${g.uninformative} without label information, left out)` : ""}`,
      ]),
    ]),
  );
  if (c.layer !== null) {
    rows.push(
      el("tr", {}, [
        el("td", {}, [`the whole layer, all ${c.neurons} neurons (exact)`]),
        el("td", { class: "num" }, [c.layer.complexity.toFixed(3)]),
        el("td", { class: "num" }, ["1"]),
      ]),
    );
  }
  const sampled =
    c.samples < c.validation
      ? `${c.samples} of the ${c.validation} validation samples (drawn with seed ${c.seed})`
      : `all ${c.validation} validation samples`;
  const drawn = c.groups.map((g) => `${g.groups} of ${g.size}`).join(", ");
  const method = [
    `Method: the hidden layer's ±1 samples at the last checkpoint, label withheld as in evaluation, on ${sampled};`,
    "C from the exact I^sx PID of each group's plug-in joint distribution with the label.",
    drawn === ""
      ? ""
      : `Subsampled groups of k neurons: ${drawn} neurons, drawn at random (seed ${c.seed}); C is their mean ± std.`,
    c.layer !== null
      ? ""
      : c.neurons > 5
        ? `The whole layer of ${c.neurons} neurons is too wide for an exact PID (at most 5 sources).`
        : "The whole layer carries no information about the label, so its C is undefined.",
  ];
  return [
    el("table", {}, [
      el("tr", {}, [
        el("th", {}, ["neurons observed"]),
        el("th", { class: "num" }, ["C (neurons)"]),
        el("th", { class: "num" }, ["groups"]),
      ]),
      ...rows,
    ]),
    el("p", { class: "note" }, [method.filter((m) => m !== "").join(" ")]),
  ];
}
