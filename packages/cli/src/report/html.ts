/** The report as one self-contained HTML page: header, goal tables and config rendered here; the data embedded as JSON (typed arrays as base64) for the inline script to draw the charts. */

import { encodeState } from "../runs/codec.js";
import type { ReportData, ReportLayer } from "./data.js";
import { PAGE_APP } from "./page-app.js";
import { PAGE_CHARTS } from "./page-charts.js";
import { PAGE_STYLE } from "./page-style.js";

/** The page for `data`; `title` names the run (its folder). No network access is needed to view it. */
export function renderReport(data: ReportData, title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="infomorph ${escapeHtml(data.header.version)}">
<title>infomorph report: ${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${headerSection(data, title)}
<section id="curves"><h2>Learning curves</h2></section>
<section id="atoms"><h2>Atom trajectories</h2>
<p class="note">Per layer, each atom of the Partial Information Decomposition (and H_res) across the layer's neurons per epoch, in bits. Atoms plus H_res of one neuron stack to its H(Y). γ is the atom's weight in the layer's goal (see Goal below).</p></section>
<section id="neuron"><h2>One neuron</h2></section>
<section id="confusion"><h2>Confusion matrices</h2></section>
<section id="goal"><h2>Goal</h2>
<p class="note">γ is shared by every neuron of a layer; each neuron ascends G = Σ γ_α·Π(α) + γ_res·H_res.</p>
<div class="goals">${data.layers.map(goalTable).join("\n")}</div></section>
<section id="config"><details><summary>Run config (config.json)</summary>
<pre>${escapeHtml(JSON.stringify(data.config, null, 2))}</pre></details></section>
</main>
<script type="application/json" id="report-data">${embedJson(data)}</script>
<script>
"use strict";
(function () {
${PAGE_CHARTS}
${PAGE_APP}
})();
</script>
</body>
</html>
`;
}

function headerSection(data: ReportData, title: string): string {
  const h = data.header;
  const facts: [string, string][] = [
    ["preset", h.preset],
    ["model", h.model],
    ["dataset", h.dataset],
    ["hidden neurons", String(h.hidden)],
    [
      "epochs",
      h.epochs.completed === h.epochs.target
        ? String(h.epochs.completed)
        : `${h.epochs.completed} of ${h.epochs.target}`,
    ],
    ["batch size", String(h.batchSize)],
    ["seed", String(h.seed)],
    ["kernels", h.kernels],
    ["created", h.created],
    ["infomorph", h.version],
    ["data source", h.source],
  ];
  const scores: [string, string][] = [];
  if (h.final) {
    scores.push([percent(h.final.train), `train, epoch ${h.final.epoch}`]);
    scores.push([percent(h.final.validation), `validation, epoch ${h.final.epoch}`]);
    if (h.final.test !== null) scores.push([percent(h.final.test), `test, epoch ${h.final.epoch}`]);
  }
  if (h.best) {
    scores.push([percent(h.best.validation), `best validation, epoch ${h.best.epoch}`]);
    if (h.best.test !== null) scores.push([percent(h.best.test), `test at epoch ${h.best.epoch}`]);
  }
  return `<section id="header">
<h1>infomorph report<span class="run">${escapeHtml(title)}</span></h1>
<dl class="facts">${facts.map(([k, v]) => `<div${k === "data source" ? ' class="wide"' : ""}><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join("")}</dl>
<div class="scores">${
    scores.length === 0
      ? '<p class="note">No epoch has completed yet.</p>'
      : scores
          .map(
            ([value, what]) =>
              `<div class="score"><b>${value}</b><span>${escapeHtml(what)}</span></div>`,
          )
          .join("")
  }</div>
</section>`;
}

function goalTable(layer: ReportLayer): string {
  if (!layer.goal) {
    return `<div><h3>${escapeHtml(layer.name)}</h3><p class="note">This layer follows no goal.</p></div>`;
  }
  const { gamma, name } = layer.goal;
  const rows = layer.aliases.map(
    (alias, v) =>
      `<tr${gamma[v] === 0 ? ' class="zero"' : ""}><td>${escapeHtml(alias)}</td><td class="canon">${escapeHtml(layer.names[v])}</td><td class="num">${String(gamma[v])}</td></tr>`,
  );
  return `<div><h3>${escapeHtml(layer.name)}: ${name === null ? "weights given in the config" : `<span class="canon">${escapeHtml(name)}</span>`}</h3>
<table><tr><th>atom</th><th>canonical</th><th class="num">γ</th></tr>${rows.join("")}</table></div>`;
}

/** JSON for a script element: typed arrays as {dtype, base64}; "<" escaped so no "</script>" can end it early. */
function embedJson(data: ReportData): string {
  return JSON.stringify(encodeState(data)).replace(/</g, "\\u003c");
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
