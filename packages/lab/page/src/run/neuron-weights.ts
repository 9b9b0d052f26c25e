/** One neuron's weights, source by source: the feed-forward weights of an image input as a receptive field (core's receptiveField), other sources (the label C, the neighbours L) as signed bars, and a summary table. */

import { receptiveField, weightSummary } from "@infomorph/core";
import { el, figure, fixed, percent } from "../app/dom.js";
import { barStrip } from "../charts/bar-strip.js";
import { pixelImage } from "../charts/pixel-image.js";

/** A source of a layer's weights: [neuron × inputs] (null when too large to send), a bias per neuron. */
export interface NeuronSource {
  name: string;
  inputs: number;
  weights: Float32Array | null;
  bias: Float32Array;
  summary?: {
    norm: ArrayLike<number>;
    mean: ArrayLike<number>;
    maxAbs: ArrayLike<number>;
    positiveFraction: ArrayLike<number>;
  };
}

/**
 * Fill `box` with neuron n's weights. `imageInputs` is the input dimension of the data: a
 * feed-forward source with that many square-count inputs is drawn as an image.
 */
export function drawNeuronWeights(
  box: HTMLElement,
  sources: readonly NeuronSource[],
  n: number,
  imageInputs: number,
): void {
  box.replaceChildren();
  if (sources.length === 0) {
    box.append(el("p", { class: "note" }, ["The checkpoint holds no weights for this layer."]));
    return;
  }
  const table = el("table", {}, [
    el(
      "tr",
      {},
      ["source", "inputs", "‖w‖₂", "mean w", "max |w|", "w > 0"].map((h, i) =>
        el("th", { class: i > 0 ? "num" : null }, [h]),
      ),
    ),
  ]);
  for (const source of sources) {
    const row = source.weights?.subarray(n * source.inputs, (n + 1) * source.inputs) ?? null;
    const summary =
      source.summary ??
      (source.weights ? weightSummary({ weights: source.weights, bias: source.bias }) : null);
    if (summary) {
      table.append(
        el("tr", {}, [
          el("td", {}, [source.name]),
          el("td", { class: "num" }, [String(source.inputs)]),
          el("td", { class: "num" }, [fixed(summary.norm[n], 3)]),
          el("td", { class: "num" }, [fixed(summary.mean[n], 4)]),
          el("td", { class: "num" }, [fixed(summary.maxAbs[n], 3)]),
          el("td", { class: "num" }, [percent(summary.positiveFraction[n])]),
        ]),
      );
    }
    const side = Math.round(Math.sqrt(source.inputs));
    if (
      source.weights &&
      source.name === "F" &&
      source.inputs === imageInputs &&
      side * side === source.inputs
    ) {
      const image = receptiveField({ weights: source.weights, bias: source.bias }, n, {
        rows: side,
        cols: side,
        scale: "neuron",
      });
      const canvas = el("canvas", { "data-chart": "receptive-field" });
      box.append(
        figure(
          [
            el("b", {}, [`${source.name} weights`]),
            ` as a ${side}×${side} image; full colour at |w| = ${fixed(image.scale, 3)} (blue < 0 < red)`,
          ],
          [canvas],
        ),
      );
      pixelImage(canvas, image.rgba, side, side, 196);
    } else if (row) {
      const canvas = el("canvas", { "data-chart": "weights", "data-source": source.name });
      const what =
        source.name === "L" ? "the other neurons" : source.name === "C" ? "the classes" : "inputs";
      box.append(
        figure(
          [
            el("b", {}, [`${source.name} weights`]),
            ` from ${source.inputs} ${what} (red > 0, blue < 0)`,
          ],
          [canvas],
        ),
      );
      barStrip(canvas, row, { width: 360, height: 90 });
    } else {
      box.append(
        el("p", { class: "note" }, [
          `${source.name}: ${source.inputs} inputs per neuron, too many to send; see the summary below.`,
        ]),
      );
    }
  }
  box.append(table);
}
