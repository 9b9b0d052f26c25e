/** A memory run's report as one self-contained HTML page: header, capacity table and config rendered here; storage curves, basins and atoms drawn by the inline script from the embedded data. */

import { escapeHtml } from "../html.js";
import { configSection, staticPage } from "../static/static-page.js";
import type { MemoryReportData } from "./memory-data.js";
import { MEMORY_PAGE_APP } from "./memory-page-app.js";

/** The page for `data`; `title` names the run (its folder). No network access is needed to view it. */
export function renderMemoryReport(data: MemoryReportData, title: string): string {
  return staticPage({
    title: `infomorph memory report: ${title}`,
    version: data.header.version,
    sections: `${headerSection(data, title)}
${capacitySection(data)}
<section id="storage"><h2>Storage</h2>
<p class="note">Recall from each stored pattern by the network's own synchronous sign dynamics (at most N steps, to a fixed point or a two-cycle), mean over seeds, per rule and load.</p></section>
<section id="basins"><h2>Basins of attraction</h2>
<p class="note">The fraction of patterns recalled from cues with a fraction of their bits flipped at random; a rule with wide basins keeps the dashed curves near its solid one.</p></section>
<section id="atoms"><h2>Atoms</h2>
<p class="note">Per neuron, the PID of its one-step recall output Y = sign(h) from each stored pattern, with sources (F) its own pattern bit and (C) its recurrent field h (adaptive bins): the same definition for every rule. Where every pattern is a fixed point, all of H(Y) is redundancy (F)(C). For the infomorphic rule, the atoms of the goal it trained on follow (soft θ, fixed bins). Bits.</p></section>
${configSection(data.config)}`,
    data,
    app: MEMORY_PAGE_APP,
  });
}

function headerSection(data: MemoryReportData, title: string): string {
  const h = data.header;
  const facts: [string, string][] = [
    ["neurons", String(h.neurons)],
    ["rules", h.rules.join(", ")],
    ["seeds", h.seeds.join(", ")],
    [
      "loads",
      h.loads.count === 1
        ? String(h.loads.min)
        : `${h.loads.count} from ${h.loads.min} to ${h.loads.max}`,
    ],
    ["cue noise", h.cueNoise.map((f) => `${Math.round(100 * f)} %`).join(", ") || "none"],
    ["stored when", `${h.criterion} ≥ ${h.threshold}`],
    ["tasks", `${h.tasks.done} of ${h.tasks.total}`],
    ["task time", `${(h.secondsOfTasks / 60).toFixed(1)} min`],
    ["created", h.created],
    ["infomorph", h.version],
  ];
  return `<section id="header">
<h1>infomorph memory report<span class="run">${escapeHtml(title)}</span></h1>
<dl class="facts">${facts.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join("")}</dl>
</section>`;
}

function capacitySection(data: MemoryReportData): string {
  const intro = `<p class="note">α_c of a seed: the last load at which the patterns were stored (${escapeHtml(data.header.criterion)} ≥ ${data.header.threshold}) before the first load that was not, scanning upwards. "≥" marks a rule that never failed within its loads.</p>`;
  if (data.capacity.length === 0) {
    return `<section id="capacity"><h2>Capacity</h2>${intro}<p class="note">No task has finished yet.</p></section>`;
  }
  const rows = data.capacity.map((c) => {
    const seeds = c.seeds.map((s) => `${s.seed}: ${s.alphaC}`).join(", ");
    return `<tr><td>${escapeHtml(c.rule)}</td><td class="num">${c.lowerBound ? "≥ " : ""}${c.mean.toFixed(3)} ± ${c.sd.toFixed(3)}</td><td class="num">${c.min.toFixed(2)} – ${c.max.toFixed(2)}</td><td>${escapeHtml(seeds)}</td></tr>`;
  });
  return `<section id="capacity"><h2>Capacity</h2>${intro}
<table><tr><th>rule</th><th class="num">α_c mean ± sd</th><th class="num">min – max</th><th>per seed</th></tr>${rows.join("")}</table></section>`;
}
