/** A memory run's header (what was scanned: neurons, rules, seeds, loads, cues, the criterion, tasks done) and its capacity table (α_c per rule, mean and spread over seeds). */

import { el, factList, noteSection } from "../app/dom.js";
import type { MemoryPayload } from "./memory-payload.js";

export function memoryHeader(data: MemoryPayload): HTMLElement {
  const h = data.header;
  const loads =
    h.loads.count === 1
      ? String(h.loads.min)
      : `${h.loads.count} from ${h.loads.min} to ${h.loads.max}`;
  const facts: [string, string][] = [
    ["neurons", String(h.neurons)],
    ["rules", h.rules.join(", ")],
    ["seeds", h.seeds.join(", ")],
    ["loads", loads],
    ["cue noise", h.cueNoise.map((f) => `${Math.round(100 * f)} %`).join(", ") || "none"],
    ["stored when", `${h.criterion} ≥ ${h.threshold}`],
    ["tasks", `${h.tasks.done} of ${h.tasks.total}`],
    ["task time", `${(h.secondsOfTasks / 60).toFixed(1)} min`],
    ["created", h.created],
    ["infomorph", h.version],
  ];
  return el("section", { id: "header" }, [
    el("h1", {}, ["infomorph memory report", el("span", { class: "run" }, [data.name])]),
    factList(facts),
  ]);
}

export function capacitySection(data: MemoryPayload): HTMLElement {
  const { criterion, threshold } = data.header;
  const root = noteSection(
    "capacity",
    "Capacity",
    `α_c of a seed: the last load at which the patterns were stored (${criterion} ≥ ${threshold}) before the first load that was not, scanning upwards. "≥" marks a rule that never failed within its loads.`,
  );
  if (data.capacity.length === 0) {
    root.append(el("p", { class: "note" }, ["No task has finished yet."]));
    return root;
  }
  const head = el("tr", {}, [
    el("th", {}, ["rule"]),
    el("th", { class: "num" }, ["α_c mean ± sd"]),
    el("th", { class: "num" }, ["min – max"]),
    el("th", {}, ["per seed"]),
  ]);
  const rows = data.capacity.map((c) =>
    el("tr", {}, [
      el("td", {}, [c.rule]),
      el("td", { class: "num" }, [
        `${c.lowerBound ? "≥ " : ""}${c.mean.toFixed(3)} ± ${c.sd.toFixed(3)}`,
      ]),
      el("td", { class: "num" }, [`${c.min.toFixed(2)} – ${c.max.toFixed(2)}`]),
      el("td", {}, [c.seeds.map((s) => `${s.seed}: ${s.alphaC}`).join(", ")]),
    ]),
  );
  root.append(el("table", {}, [head, ...rows]));
  return root;
}
