/** A goal-search study's report as one self-contained HTML page (inline SVG, no script): settings, optimisation history, the best goals beside the papers' goals atom by atom, parameter importance, learning curves and failed trials. */

import { inlineStyle } from "../html.js";
import { PageFiles } from "../server/page-files.js";
import type { StudyReportData } from "./study-data.js";
import { SERIES, barsChart, curvesChart, escapeXml as esc, historyChart } from "./svg.js";

/**
 * What only a study shows, after the lab page's stylesheet (the same colours, panels and
 * tables). Its sections are always laid out: the lab skips those out of sight while a live
 * run redraws, but a study's page draws once and is printed and captured whole.
 */
const STUDY_STYLE = `
section { overflow-x: auto; content-visibility: visible; }
.facts { grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }
td.fixed { color: #a3acb7; }
.canon { font-size: 12px; }
.swatch { display: inline-block; width: 12px; height: 3px; vertical-align: middle; margin-right: 5px; }
pre { white-space: pre-wrap; font-size: 12px; margin: 0; }
`;

/** The page for `data`; `page` is the built lab page, whose stylesheet it shares (none of its script). */
export function renderStudyReport(
  data: StudyReportData,
  page: PageFiles = new PageFiles(),
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>infomorph study: ${esc(data.name)}</title>
<style>${inlineStyle(page.entry().style + STUDY_STYLE)}</style>
</head>
<body>
<main>
${header(data)}
<section id="history"><h2>Optimisation history</h2>
<p class="note">Each dot is a trial's objective; the red line is the best so far; red crosses on the floor are failed trials. Right: the top 5 points below the best, enlarged.</p>
<div class="row">${data.history.length > 0 ? historyChart(data.history, data.best) : '<p class="note">No trial has been asked yet.</p>'}${zoom(data)}</div></section>
${goalsSection(data)}
${importanceSection(data)}
${curvesSection(data)}
${failedSection(data)}
</main>
</body>
</html>
`;
}

/** The history between 5 points below the best value and just above it, where a search's progress shows. */
function zoom(data: StudyReportData): string {
  const best = data.top[0]?.value;
  if (best === undefined) return "";
  return historyChart(data.history, data.best, [
    Math.max(0, best - 0.05),
    Math.min(1, best + 0.005),
  ]);
}

function header(data: StudyReportData): string {
  const c = data.counts;
  const best = data.top[0];
  const scores: [string, string][] = [
    [`${c.complete}`, `complete of ${c.trials}`],
    [`${c.failed}`, "failed"],
    [`${c.running}`, "running or interrupted"],
  ];
  if (best) scores.unshift([pct(best.value), `best, trial ${best.id}`]);
  return `<section id="header">
<h1>infomorph study<span class="run">${esc(data.name)}</span></h1>
<p class="note">${esc(data.source)}</p>
<dl class="facts">${data.facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join("")}</dl>
<div class="scores">${scores.map(([v, what]) => `<div class="score"><b>${esc(v)}</b><span>${esc(what)}</span></div>`).join("")}</div>
</section>`;
}

/** A weight's cell, tinted by sign and magnitude (red positive, blue negative, as the report's γ). */
function weightCell(w: number, fixed: boolean): string {
  const alpha = Math.min(1, Math.abs(w)) * 0.45;
  const tint =
    w > 0 ? `rgba(179,38,30,${alpha.toFixed(2)})` : `rgba(31,95,153,${alpha.toFixed(2)})`;
  return `<td class="num${fixed ? " fixed" : ""}" style="background:${w === 0 ? "none" : tint}">${w.toFixed(3)}</td>`;
}

function goalsSection(data: StudyReportData): string {
  if (data.top.length === 0) {
    return `<section id="goals"><h2>Best goals</h2><p class="note">No trial has completed yet.</p></section>`;
  }
  const head = [
    "<th>atom</th>",
    ...data.top.map((t, k) => `<th class="num">#${k + 1}: trial ${t.id}<br>${pct(t.value)}</th>`),
    ...data.paperGoals.map((p) => `<th class="num canon">${esc(p.name)}</th>`),
  ].join("");
  const rows = data.atoms.map((atom, i) => {
    const fixed = atom.fixed !== null;
    const label = `${esc(atom.name)}${fixed ? ` <span class="note">fixed ${atom.fixed}</span>` : ""}`;
    return `<tr><td class="canon">${label}</td>${data.top.map((t) => weightCell(t.weights[i], fixed)).join("")}${data.paperGoals
      .map((p) => weightCell(p.weights[i], false))
      .join("")}</tr>`;
  });
  const similarity = data.paperGoals.map(
    (p, j) =>
      `<tr><td>cosine with <span class="canon">${esc(p.name)}</span></td>${data.top.map((t) => `<td class="num">${t.cosine[j].toFixed(2)}</td>`).join("")}<td colspan="${data.paperGoals.length}"></td></tr>` +
      `<tr><td>same sign as <span class="canon">${esc(p.name)}</span></td>${data.top
        .map((t) => `<td class="num">${t.signs[j][0]} of ${t.signs[j][1]}</td>`)
        .join("")}<td colspan="${data.paperGoals.length}"></td></tr>`,
  );
  return `<section id="goals"><h2>Best goals beside the papers' goals</h2>
<p class="note">γ of each atom (aliases over the layer's sources ${esc(data.sources.join(", "))}; H_res last) for the ${data.top.length} best trials and the papers' goals; red positive, blue negative. Cosine: similarity of the whole γ vectors. Same sign: atoms where both |γ| &gt; 0.1, how many agree in sign.</p>
<table><tr>${head}</tr>${rows.join("")}${similarity.join("")}</table></section>`;
}

function importanceSection(data: StudyReportData): string {
  const method = `How it is computed: for each free atom, the trials' values are grouped into equal-count bins of the atom's weight; its share is the variance of the bin means over the total variance of the objective (the correlation ratio η², a first-order effect), adjusted for the bins' degrees of freedom as adjusted R² is, so an atom without effect scores about 0. ρ is Spearman's rank correlation (the sign of a monotone effect). Computed from the study's own trials, which the sampler concentrated where the objective is good; interactions between atoms are not seen (fANOVA with a random forest, Optuna's default, sees more at more cost).`;
  if (data.importance.length === 0) {
    return `<section id="importance"><h2>Parameter importance</h2><p class="note">Needs at least 8 complete trials.</p><p class="note">${method}</p></section>`;
  }
  const bars = barsChart(
    data.importance.map((p) => ({
      label: p.name,
      value: p.share,
      note: `${(100 * p.share).toFixed(1)} %, ρ = ${p.rankCorrelation.toFixed(2)}`,
    })),
  );
  return `<section id="importance"><h2>Parameter importance</h2>${bars}<p class="note">${method}</p></section>`;
}

function curvesSection(data: StudyReportData): string {
  if (data.curves.length === 0) return "";
  const legend = data.curves
    .map(
      (c, k) =>
        `<span><i class="swatch" style="background:${SERIES[k % SERIES.length]}"></i>trial ${c.id}</span>`,
    )
    .join(" ");
  const seeds = data.top
    .map(
      (t) =>
        `<tr><td>trial ${t.id}</td>${t.seeds.map((s) => `<td class="num">seed ${s.seed}: ${pct(s.value)} (epoch ${s.epoch}${s.test === null ? "" : `, test ${pct(s.test)}`})</td>`).join("")}</tr>`,
    )
    .join("");
  return `<section id="curves"><h2>Learning curves of the best trials</h2>
<div class="row"><div>${curvesChart(data.curves)}<p class="note">${legend}</p></div>
<table><tr><th>trial</th><th>seeds (objective epoch; test accuracy there, never used to choose)</th></tr>${seeds}</table></div></section>`;
}

function failedSection(data: StudyReportData): string {
  const retried =
    data.retried > 0
      ? ` ${data.retried} failed attempt${data.retried === 1 ? " was" : "s were"} retried and then completed.`
      : "";
  if (data.failed.length === 0) {
    return `<section id="failed"><h2>Failed trials</h2><p class="note">None.${retried}</p></section>`;
  }
  const rows = data.failed.map(
    (f) =>
      `<tr><td>${f.id}</td><td class="num">${f.attempts}</td><td><pre>${esc(f.error)}</pre>${f.failures.length > 1 ? `<details><summary class="note">every attempt</summary><pre>${esc(f.failures.join("\n"))}</pre></details>` : ""}</td></tr>`,
  );
  return `<section id="failed"><h2>Failed trials</h2><p class="note">${data.failed.length} trial${data.failed.length === 1 ? "" : "s"} failed after their retries.${retried}</p>
<table><tr><th>trial</th><th class="num">attempts</th><th>error</th></tr>${rows.join("")}</table></section>`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)} %`;
}
