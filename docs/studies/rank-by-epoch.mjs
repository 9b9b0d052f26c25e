#!/usr/bin/env node
// How well does a short trial rank goals as their full training does? Given run folders of
// goals trained to the same last epoch, prints, for each shorter epoch E, Spearman's ρ between
// the runs' validation accuracy at E (averaged over E ± 2, to damp one epoch's noise) and at
// the last epoch. Choose a study's trial length where ρ is high enough.
//
//   node docs/studies/rank-by-epoch.mjs RUN_DIR…     e.g. runs/search/final/screen-mnist20-t*/s1
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dirs = process.argv.slice(2);
if (dirs.length < 3) {
  console.error("usage: node docs/studies/rank-by-epoch.mjs RUN_DIR… (three or more run folders)");
  process.exit(2);
}

/** Validation accuracy by epoch, from a run folder's metrics.jsonl. */
function validation(dir) {
  const byEpoch = new Map();
  for (const line of readFileSync(join(dir, "metrics.jsonl"), "utf8").split("\n")) {
    if (!line) continue;
    const m = JSON.parse(line);
    if (m.split === "validation") byEpoch.set(m.epoch, m.accuracy);
  }
  return byEpoch;
}

/** Ranks 0…n−1 (ties broken by order; accuracies rarely tie exactly). */
function ranks(values) {
  const order = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
  const r = new Array(values.length);
  for (const [k, [, i]] of order.entries()) r[i] = k;
  return r;
}

function spearman(a, b) {
  const ra = ranks(a);
  const rb = ranks(b);
  const mid = (a.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (ra[i] - mid) * (rb[i] - mid);
    da += (ra[i] - mid) ** 2;
    db += (rb[i] - mid) ** 2;
  }
  return num / Math.sqrt(da * db);
}

const runs = dirs.map(validation);
const last = Math.min(...runs.map((v) => Math.max(...v.keys())));
const at = (v, epoch) => {
  const near = [];
  for (let e = epoch - 2; e <= epoch + 2; e++) if (v.has(e)) near.push(v.get(e));
  return near.reduce((s, x) => s + x, 0) / near.length;
};
const final = runs.map((v) => v.get(last));
console.log(`${runs.length} runs; validation at epoch E (mean of E ± 2) against epoch ${last}:`);
for (let e = 10; e < last; e += 10) {
  const rho = spearman(
    runs.map((v) => at(v, e)),
    final,
  );
  console.log(`E = ${String(e).padStart(3)}  Spearman ρ = ${rho.toFixed(2)}`);
}
