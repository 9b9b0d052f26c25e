/** The report as one self-contained HTML page: header, goal tables and config rendered here; the data embedded as JSON (typed arrays as base64) for the inline script to draw the charts. */

import { encodeState } from "@infomorph/core";
import type { ReportComplexity } from "./complexity.js";
import type { ReportData, ReportLayer } from "./data.js";
import { PAGE_APP } from "./page-app.js";
import { PAGE_CHARTS } from "./page-charts.js";
import { PAGE_COMMON } from "./page-common.js";
import { PAGE_STYLE } from "./page-style.js";

/** The page for `data`; `title` names the run (its folder). No network access is needed to view it. */
export function renderReport(data: ReportData, title: string): string {
  return reportPage({
    title: `infomorph report: ${title}`,
    version: data.header.version,
    sections: `${headerSection(data, title)}
<section id="curves"><h2>Learning curves</h2></section>
<section id="atoms"><h2>Atom trajectories</h2>
<p class="note">Per layer, each atom of the Partial Information Decomposition (and H_res) across the layer's neurons per epoch, in bits. Atoms plus H_res of one neuron stack to its H(Y). γ is the atom's weight in the layer's goal (see Goal below).</p></section>
<section id="neuron"><h2>One neuron</h2></section>
<section id="confusion"><h2>Confusion matrices</h2></section>
${complexitySection(data.complexity)}
<section id="goal"><h2>Goal</h2>
<p class="note">γ is shared by every neuron of a layer; each neuron ascends G = Σ γ_α·Π(α) + γ_res·H_res.</p>
<div class="goals">${data.layers.map(goalTable).join("\n")}</div></section>
${configSection(data.config)}`,
    data,
    app: PAGE_APP,
  });
}

/**
 * A report page's frame: head and style, the sections rendered in Node, the data embedded as
 * JSON, and the inline script (the chart functions, the shared helpers, then `app`).
 */
export function reportPage(page: {
  title: string;
  version: string;
  sections: string;
  data: unknown;
  app: string;
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="infomorph ${escapeHtml(page.version)}">
<title>${escapeHtml(page.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${page.sections}
</main>
<script type="application/json" id="report-data">${embedJson(page.data)}</script>
<script>
"use strict";
(function () {
${PAGE_CHARTS}
${PAGE_COMMON}
${page.app}
})();
</script>
</body>
</html>
`;
}

/** The run's config.json, folded away. */
export function configSection(config: unknown): string {
  return `<section id="config"><details><summary>Run config (config.json)</summary>
<pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre></details></section>`;
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

function complexitySection(c: ReportComplexity): string {
  const intro = `<p class="note">C is how many of a group's k hidden neurons must be observed jointly, on average, to read the label (Ehrlich et al., TMLR 2023): C ∈ [1, k], where 1 = each neuron alone carries the label information redundantly and k = the information needs all k neurons jointly (negative I<sup>sx</sup> atoms can move C outside this range).</p>`;
  if (c.skipped !== null) {
    return `<section id="complexity"><h2>Representational complexity</h2>
${intro}
<p class="note">Not measured: ${escapeHtml(c.skipped)}</p></section>`;
  }
  const rows = c.groups.map((g) => {
    const value =
      g.mean === null || g.std === null
        ? "undefined"
        : `${g.mean.toFixed(3)} ± ${g.std.toFixed(3)}`;
    const left =
      g.uninformative > 0 ? ` (${g.uninformative} without label information, left out)` : "";
    return `<tr><td>${escapeHtml(g.method.replace("k neurons", `${g.size} neurons`))}</td><td class="num">${value}</td><td class="num">${g.groups}${left}</td></tr>`;
  });
  if (c.layer !== null) {
    rows.push(
      `<tr><td>the whole layer, all ${c.neurons} neurons (exact)</td><td class="num">${c.layer.complexity.toFixed(3)}</td><td class="num">1</td></tr>`,
    );
  }
  const sampled =
    c.samples < c.validation
      ? `${c.samples} of the ${c.validation} validation samples (drawn with seed ${c.seed})`
      : `all ${c.validation} validation samples`;
  const drawn = c.groups.map((g) => `${g.groups} of ${g.size}`).join(", ");
  const method = [
    `Method: the hidden layer's ±1 samples at the last checkpoint, label withheld as in evaluation, on ${sampled};`,
    "C from the exact I<sup>sx</sup> PID of each group's plug-in joint distribution with the label.",
    drawn === ""
      ? ""
      : `Subsampled groups of k neurons: ${drawn} neurons, drawn at random (seed ${c.seed}); C is their mean ± std.`,
    c.layer !== null
      ? ""
      : c.neurons > 5
        ? `The whole layer of ${c.neurons} neurons is too wide for an exact PID (at most 5 sources).`
        : "The whole layer carries no information about the label, so its C is undefined.",
  ];
  return `<section id="complexity"><h2>Representational complexity</h2>
${intro}
<table><tr><th>neurons observed</th><th class="num">C (neurons)</th><th class="num">groups</th></tr>${rows.join("")}</table>
<p class="note">${method.filter((m) => m !== "").join(" ")}</p></section>`;
}

/** JSON for a script element: typed arrays as {dtype, base64}; "<" escaped so no "</script>" can end it early. */
function embedJson(data: unknown): string {
  return JSON.stringify(encodeState(data)).replace(/</g, "\\u003c");
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
