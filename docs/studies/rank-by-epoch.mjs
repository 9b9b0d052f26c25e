#!/usr/bin/env node
// How well does a short trial rank goals as their full training does? Given run folders of
// goals trained to the same last epoch, prints, for each shorter epoch E, Spearman's ρ between
// the runs' validation accuracy at E (averaged over E ± 2, to damp one epoch's noise) and at
// the last epoch. Choose a study's trial length where ρ is high enough. Needs `npm run build`.
//
//   node docs/studies/rank-by-epoch.mjs RUN_DIR…     e.g. runs/search/final/screen-mnist20-t*/s1
import { tailMetrics } from "@infomorph/runs";
import { spearman } from "@infomorph/search";

const dirs = process.argv.slice(2);
if (dirs.length < 3) {
  console.error("usage: node docs/studies/rank-by-epoch.mjs RUN_DIR… (three or more run folders)");
  process.exit(2);
}

/** Validation accuracy by epoch of a run folder (after a resume an epoch may repeat: the last counts). */
function validation(dir) {
  const byEpoch = new Map();
  for (const line of tailMetrics(dir).lines)
    if (line.split === "validation") byEpoch.set(line.epoch, line.accuracy);
  return byEpoch;
}

const runs = dirs.map(validation);
const last = Math.min(...runs.map((v) => Math.max(...v.keys())));
const around = (v, epoch) => {
  const near = [];
  for (let e = epoch - 2; e <= epoch + 2; e++) if (v.has(e)) near.push(v.get(e));
  return near.reduce((s, x) => s + x, 0) / near.length;
};
const final = runs.map((v) => v.get(last));
console.log(`${runs.length} runs; validation at epoch E (mean of E ± 2) against epoch ${last}:`);
for (let e = 10; e < last; e += 10) {
  const rho = spearman(
    runs.map((v) => around(v, e)),
    final,
  );
  console.log(`E = ${String(e).padStart(3)}  Spearman ρ = ${rho.toFixed(2)}`);
}
