/** Learning curves: accuracy per epoch on train, validation and test, and each layer's mean training goal, with the goal changes of an in-page run marked. */

import { el, figure, legend } from "../app/dom.js";
import { lineChart } from "../charts/line-chart.js";
import type { RunData } from "./run-data.js";

export const SPLIT_COLOURS = { train: "#1f5f99", validation: "#e07b00", test: "#2e8b57" };
const GOAL_COLOUR = "#5b3a8e";

export class CurvesSection {
  readonly root = el("section", { id: "curves" }, [el("h2", {}, ["Learning curves"])]);
  private readonly body = el("div", { class: "row" });
  private readonly empty = el("p", { class: "note" }, ["No epoch has completed yet."]);
  private readonly accuracy = el("canvas", { "data-chart": "accuracy" });
  private readonly accuracyLegend = el("div");
  private goals: HTMLCanvasElement[] = [];

  constructor() {
    this.root.append(this.empty, this.body);
    this.body.append(
      figure([el("b", {}, ["accuracy"]), " per epoch"], [this.accuracyLegend, this.accuracy]),
    );
  }

  update(data: RunData): void {
    const c = data.curves();
    this.empty.hidden = c.epochs.length > 0;
    this.body.hidden = c.epochs.length === 0;
    if (c.epochs.length === 0) return;
    const series = [
      { label: "train", values: c.train, color: SPLIT_COLOURS.train },
      { label: "validation", values: c.validation, color: SPLIT_COLOURS.validation },
    ];
    if (c.test.some((v) => v !== null))
      series.push({ label: "test", values: c.test as number[], color: SPLIT_COLOURS.test });
    this.accuracyLegend.replaceChildren(legend(series));
    const markers = data.goalChanges.slice(1).map((change) => ({
      x: change.epoch - 1 + (change.batch - 1) / Math.max(1, batchesPerEpoch(data)),
      label: "goal",
    }));
    lineChart(this.accuracy, {
      width: 400,
      height: 240,
      x: c.epochs,
      series,
      y: [0, 1],
      percent: true,
      xLabel: "epoch",
      markers,
    });
    while (this.goals.length < c.goals.length) {
      const canvas = el("canvas", { "data-chart": "goal" });
      this.goals.push(canvas);
      const goal = c.goals[this.goals.length - 1];
      const what =
        c.goalKind === "loss"
          ? " training loss (cross-entropy, nats)"
          : " mean training goal G (bits)";
      this.body.append(
        figure(
          [el("b", {}, [goal.label]), what],
          [legend([{ label: goal.label, color: GOAL_COLOUR }]), canvas],
        ),
      );
    }
    c.goals.forEach((goal, i) => {
      lineChart(this.goals[i], {
        width: 330,
        height: 240,
        x: c.epochs,
        xLabel: "epoch",
        series: [{ values: goal.values, color: GOAL_COLOUR }],
        markers: i === 0 ? markers : [],
      });
    });
  }
}

function batchesPerEpoch(data: RunData): number {
  const { trainSamples, batchSize } = data.config.training;
  const train = Math.min(
    trainSamples ?? data.config.data.counts.train,
    data.config.data.counts.train,
  );
  return Math.ceil(train / batchSize);
}
