/**
 * A memory run's storage over the load α: the stored fraction and the mean cosine of every
 * rule in one chart each, and per rule its basins (the stored fraction from cues with some
 * bits flipped) with the min–max band over seeds.
 */

import { el, figure, legend, noteSection } from "../app/dom.js";
import { palette } from "../charts/canvas.js";
import { lineChart } from "../charts/line-chart.js";
import { BAND } from "../run/atoms.js";
import type { MemoryPayload } from "./memory-payload.js";

/** The recall from the pattern itself, then one colour per cue noise. */
const CUE_SHADES = ["#1f5f99", "#e07b00", "#8e3a8e", "#2e8b57", "#b03030"];

export function storageSection(data: MemoryPayload): HTMLElement {
  const root = noteSection(
    "storage",
    "Storage",
    "Recall from each stored pattern by the network's own synchronous sign dynamics (at most N steps, to a fixed point or a two-cycle), mean over seeds, per rule and load.",
  );
  const rules = data.rules;
  if (rules.length === 0) {
    root.append(el("p", { class: "note" }, ["No task has finished yet."]));
    return root;
  }
  const colours = palette(rules.length);
  // Rules may have run different loads (a scan ending at its first failure): one x axis for all.
  const grid = [...new Set(rules.flatMap((r) => r.loads))].sort((a, b) => a - b);
  const onGrid = (loads: readonly number[], values: readonly number[]) =>
    grid.map((a) => {
      const k = loads.indexOf(a);
      return k < 0 ? null : values[k];
    });
  const items = rules.map((r, i) => ({ label: r.rule, color: colours[i] }));
  const lowestCosine = Math.min(0, ...rules.flatMap((r) => r.meanCosine));
  const charts = [
    {
      kind: "stored",
      // a pattern counts as recalled when its end state's cosine with it reaches the threshold
      title: `fraction of patterns recalled (cosine ≥ ${data.header.threshold})`,
      y: [0, 1] as [number, number],
      values: (r: (typeof rules)[number]) => r.stored.mean,
    },
    {
      kind: "cosine",
      title: "mean cosine similarity of the recalled states",
      y: [lowestCosine, 1] as [number, number],
      values: (r: (typeof rules)[number]) => r.meanCosine,
    },
  ];
  const row = el("div", { class: "row" });
  for (const chart of charts) {
    const canvas = el("canvas", { "data-chart": `storage-${chart.kind}` });
    row.append(figure([el("b", {}, [chart.title])], [legend(items), canvas]));
    lineChart(canvas, {
      width: 470,
      height: 260,
      x: grid,
      xContinuous: true,
      xLabel: "load α = patterns / neurons",
      y: chart.y,
      percent: chart.kind === "stored",
      series: rules.map((r, i) => ({
        values: onGrid(r.loads, chart.values(r)),
        color: colours[i],
        width: 1.8,
      })),
    });
  }
  root.append(row);
  return root;
}

export function basinsSection(data: MemoryPayload): HTMLElement {
  const root = noteSection(
    "basins",
    "Basins of attraction",
    "The fraction of patterns recalled from cues with a fraction of their bits flipped at random; a rule with wide basins keeps the dashed curves near its solid one.",
  );
  const rules = data.rules;
  if (rules.length === 0) return root;
  const shade = (k: number) => CUE_SHADES[k % CUE_SHADES.length];
  root.append(
    legend([
      { label: "from the pattern itself", color: shade(0) },
      ...rules[0].cues.map((c, k) => ({
        label: `${Math.round(100 * c.noise)} % of the bits flipped`,
        color: shade(k + 1),
      })),
      { label: "min–max over seeds", color: BAND, band: true },
    ]),
  );
  const grid = el("div", { class: "grid wide" });
  for (const r of rules) {
    const canvas = el("canvas", { "data-chart": "basins" });
    const seeds = `${r.seeds.length} seed${r.seeds.length === 1 ? "" : "s"}`;
    grid.append(figure([el("b", {}, [r.rule]), ` (${seeds})`], [canvas]));
    lineChart(canvas, {
      width: 300,
      height: 200,
      x: r.loads,
      xContinuous: true,
      xLabel: "load α",
      y: [0, 1],
      percent: true,
      series: [
        { lo: r.stored.min, hi: r.stored.max, fill: BAND },
        { values: r.stored.mean, color: shade(0), width: 1.8 },
        ...r.cues.map((c, k) => ({
          values: c.stored,
          color: shade(k + 1),
          width: 1.3,
          dash: [4, 3],
        })),
      ],
    });
  }
  root.append(grid);
  return root;
}
