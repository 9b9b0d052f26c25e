/** Confusion matrices of the newest epoch: validation and test, rows true classes, columns predictions. */

import { el, figure, percent } from "../app/dom.js";
import { heatMap } from "../charts/heat-map.js";
import type { RunData } from "./run-data.js";

export class ConfusionSection {
  readonly root = el("section", { id: "confusion" }, [el("h2", {}, ["Confusion matrices"])]);
  private readonly body = el("div");

  constructor() {
    this.root.append(this.body);
  }

  private shownEpoch: number | null = -1;

  update(data: RunData): void {
    const last = data.lastEpoch();
    const epoch = last?.epoch ?? null;
    if (epoch === this.shownEpoch) return;
    this.shownEpoch = epoch;
    const pairs = (["validation", "test"] as const)
      .map((split) => [split, last?.lines[split]?.confusion] as const)
      .filter((p): p is readonly ["validation" | "test", number[][]] => Array.isArray(p[1]));
    if (!last || pairs.length === 0) {
      if (this.body.dataset.empty === "1") return;
      this.body.dataset.empty = "1";
      this.body.replaceChildren(
        el("p", { class: "note" }, ["No validation or test confusion matrix was recorded."]),
      );
      return;
    }
    this.body.dataset.empty = "0";
    const row = el("div", { class: "row" });
    for (const [split, matrix] of pairs) {
      let total = 0;
      let right = 0;
      matrix.forEach((r, t) =>
        r.forEach((count, p) => {
          total += count;
          if (p === t) right += count;
        }),
      );
      const canvas = el("canvas", { "data-chart": "confusion" });
      row.append(
        figure(
          [
            el("b", {}, [split]),
            ` (${total} samples, ${percent(total ? right / total : 0)} correct)`,
          ],
          [canvas],
        ),
      );
      heatMap(
        canvas,
        matrix,
        matrix.map((_, i) => String(i)),
      );
    }
    this.body.replaceChildren(
      el("p", { class: "note" }, [
        `Epoch ${last.epoch}. Rows are true classes, columns predictions; shading is the fraction of the row.`,
      ]),
      row,
    );
  }
}
