/**
 * A memory run's atoms over the load α: per rule, a small chart per value with the median
 * over neurons and seeds, the 10–90 % band and the mean; the recall atoms of every rule, and
 * for the infomorphic rule the atoms of the goal it trained on.
 */

import { el, figure, legend, noteSection } from "../app/dom.js";
import { lineChart } from "../charts/line-chart.js";
import { BAND, MEAN, MEDIAN, column } from "../run/atoms.js";
import type { MemoryPayload } from "./memory-payload.js";

type Bands = MemoryPayload["rules"][number]["atoms"];

export function memoryAtomsSection(data: MemoryPayload): HTMLElement {
  const root = noteSection(
    "atoms",
    "Atoms",
    "Per neuron, the PID of its one-step recall output Y = sign(h) from each stored pattern, with sources (F) its own pattern bit and (C) its recurrent field h (adaptive bins): the same definition for every rule. Where every pattern is a fixed point, all of H(Y) is redundancy (F)(C). For the infomorphic rule, the atoms of the goal it trained on follow (soft θ, fixed bins). Bits.",
  );
  if (data.rules.length === 0) return root;
  root.append(
    legend([
      { label: "median over neurons and seeds", color: MEDIAN },
      { label: "10–90 % band", color: BAND, band: true },
      { label: "mean", color: MEAN },
    ]),
  );
  for (const r of data.rules) {
    // The recall output is deterministic given the pattern, so its H_res is 0 by construction: left out.
    root.append(
      atomBlock(
        data,
        `${r.rule}: recall atoms (H_res = 0: the recall output is deterministic)`,
        r.loads,
        r.atoms,
        false,
      ),
    );
    if (r.goalAtoms) {
      root.append(
        atomBlock(data, `${r.rule}: atoms of its training goal`, r.loads, r.goalAtoms, true),
      );
    }
  }
  return root;
}

function atomBlock(
  data: MemoryPayload,
  title: string,
  loads: readonly number[],
  bands: Bands,
  withHRes: boolean,
): HTMLElement {
  const V = data.atomNames.length;
  const K = loads.length;
  const grid = el("div", { class: "grid" });
  for (let v = 0; v < (withHRes ? V : V - 1); v++) {
    const canvas = el("canvas", { "data-chart": "memory-atom" });
    const caption: (Node | string)[] = [el("b", {}, [data.atomAliases[v]])];
    if (data.atomNames[v] !== data.atomAliases[v])
      caption.push(" ", el("span", { class: "canon" }, [data.atomNames[v]]));
    grid.append(figure(caption, [canvas]));
    lineChart(canvas, {
      width: 214,
      height: 140,
      x: loads,
      xContinuous: true,
      zero: true,
      xLabel: "load α",
      series: [
        { lo: column(bands.q10, v, V, K), hi: column(bands.q90, v, V, K), fill: BAND },
        { values: column(bands.mean, v, V, K), color: MEAN, width: 1, dash: [3, 3] },
        { values: column(bands.median, v, V, K), color: MEDIAN, width: 1.8 },
      ],
    });
  }
  return el("div", { class: "layer" }, [el("h3", {}, [title]), grid]);
}
