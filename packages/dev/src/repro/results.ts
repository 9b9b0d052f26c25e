/** Reads finished reproduction runs from their folders and writes the results page (docs/RESULTS.md). */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Experiment, type ReproModel, modelKey } from "./experiments.js";

/** What one run measured. Accuracies in %. */
export interface RunOutcome {
  /** The row's key (the preset, or the variant's name). */
  readonly key: string;
  readonly seed: number;
  readonly dir: string;
  readonly epochs: number;
  readonly testAccuracy: number;
  readonly validationAccuracy: number;
  readonly bestValidationAccuracy: number;
  readonly secondsPerEpoch: number;
  readonly evaluateSeconds: number;
  /** Peak resident memory of the training process, MiB (null when the run was not finished in one go). */
  readonly peakRssMiB: number | null;
}

interface MetricsLine {
  epoch: number;
  split: "train" | "validation" | "test";
  accuracy: number;
  seconds?: { train?: number; evaluate?: number } | number;
}

/** The outcome of a run folder, or null when it has no completed epoch. */
export function readRun(dir: string, key: string, seed: number): RunOutcome | null {
  const metricsPath = join(dir, "metrics.jsonl");
  if (!existsSync(metricsPath)) return null;
  const lines = readFileSync(metricsPath, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as MetricsLine);
  const tests = lines.filter((l) => l.split === "test");
  const validations = lines.filter((l) => l.split === "validation");
  const trains = lines.filter((l) => l.split === "train");
  if (tests.length === 0) return null;
  const last = tests[tests.length - 1];
  const trainSeconds = trains.map((l) => secondsOf(l.seconds, "train")).filter((s) => s > 0);
  const evalSeconds = lines.map((l) => secondsOf(l.seconds, "evaluate")).filter((s) => s > 0);
  let peakRssMiB: number | null = null;
  const summaryPath = join(dir, "summary.json");
  if (existsSync(summaryPath)) {
    try {
      const summary = JSON.parse(readFileSync(summaryPath, "utf8"));
      const bytes = findNumber(summary, ["peakRssBytes", "peakRss", "maxRss", "maxRSS"]);
      if (bytes !== null) peakRssMiB = bytes > 1e6 ? bytes / 2 ** 20 : bytes / 1024;
    } catch {
      peakRssMiB = null;
    }
  }
  return {
    key,
    seed,
    dir,
    epochs: last.epoch,
    testAccuracy: 100 * last.accuracy,
    validationAccuracy: 100 * validations[validations.length - 1].accuracy,
    bestValidationAccuracy: 100 * Math.max(...validations.map((v) => v.accuracy)),
    secondsPerEpoch: median(trainSeconds),
    evaluateSeconds: median(evalSeconds),
    peakRssMiB,
  };
}

function secondsOf(s: MetricsLine["seconds"], key: "train" | "evaluate"): number {
  if (typeof s === "number") return key === "train" ? s : 0;
  return s?.[key] ?? 0;
}

/** The first numeric field with one of these names anywhere in a JSON value. */
function findNumber(value: unknown, names: string[]): number | null {
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (names.includes(k) && typeof v === "number") return v;
      const inner = findNumber(v, names);
      if (inner !== null) return inner;
    }
  }
  return null;
}

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export interface ReportContext {
  readonly command: string;
  readonly date: string;
  readonly machine: string;
  /** Load average when the runs ended; null when the page is only regenerated. */
  readonly loadavg: number[] | null;
  /** Runs that failed, are missing or unfinished ("key seed s (why)"), when written with --partial. */
  readonly missing?: readonly string[];
}

/** One experiment's generated section of its results page: ours (mean and range over seeds) beside the published medians. */
export function resultsMarkdown(
  experiment: Experiment,
  outcomes: readonly RunOutcome[],
  ctx: ReportContext,
): string {
  const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "–");
  const rows = experiment.models.map((m) => {
    const key = modelKey(m);
    // Only finished runs enter the row; unfinished ones are listed below it.
    const all = outcomes.filter((o) => o.key === key);
    const runs = all.filter((o) => o.epochs >= experiment.epochs);
    const unfinished = all.length - runs.length;
    const acc = runs.map((r) => r.testAccuracy);
    const mean = acc.reduce((a, b) => a + b, 0) / Math.max(1, acc.length);
    const range = acc.length ? `${fmt(Math.min(...acc))}–${fmt(Math.max(...acc))}` : "–";
    const published =
      m.published === null
        ? "–"
        : `${m.published}${m.publishedRange ? ` [${m.publishedRange[0]}–${m.publishedRange[1]}]` : ""}`;
    const epochs = runs.length ? Math.min(...runs.map((r) => r.epochs)) : "–";
    const rss = runs.map((r) => r.peakRssMiB).filter((x): x is number => x !== null);
    const seeds =
      (runs.map((r) => r.seed).join(", ") || "–") +
      (unfinished ? ` (+${unfinished} unfinished)` : "");
    const command = `\`npm run repro -- ${experiment.name} --models ${key}\``;
    return `| ${m.label} | \`${m.preset}\`${variantOf(m)} | ${published} | ${acc.length ? fmt(mean) : "–"} | ${range} | ${seeds} | ${epochs} | ${fmt(median(runs.map((r) => r.secondsPerEpoch)), 1)} | ${rss.length ? fmt(Math.max(...rss), 0) : "–"} | ${command} |`;
  });
  const details = outcomes.map(
    (o) =>
      `| \`${o.key}\` | ${o.seed} | ${o.epochs} | ${fmt(o.testAccuracy)} | ${fmt(o.validationAccuracy)} | ${fmt(o.bestValidationAccuracy)} | ${fmt(o.secondsPerEpoch, 2)} | ${fmt(o.evaluateSeconds, 2)} | ${o.peakRssMiB === null ? "–" : fmt(o.peakRssMiB, 0)} |`,
  );
  return `## ${experiment.title}

Measured with \`${ctx.command}\` (last run ended ${ctx.date}; ${ctx.machine}${ctx.loadavg ? `; load average at the end ${ctx.loadavg.map((l) => l.toFixed(2)).join(", ")}` : ""}).
Test accuracy is taken at the last epoch (no early stopping); "ours" is the mean over the
seeds listed, with the [min–max] range. ${experiment.note}

| model | preset | published (%) | ours, mean (%) | ours, range (%) | seeds | epochs | s / training epoch | peak RSS (MiB) | re-run |
|---|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

${
  ctx.missing?.length
    ? `**Incomplete** (written with --partial): ${ctx.missing.join("; ")}.

`
    : ""
}Seconds per epoch: wall-clock for one training epoch (${experiment.batchSize}-sample batches), the
median over epochs, on a shared machine (read them as rough); peak RSS: the training
process's maximum resident set size.

<details><summary>Every run of this table</summary>

| run | seed | epochs | test (%) | validation (%) | best validation (%) | s / epoch | s / evaluation | peak RSS (MiB) |
|---|---|---|---|---|---|---|---|---|
${details.join("\n")}

</details>
`;
}

/** " + goal …, changes …" after a row's preset, when the row is a variant of it. */
function variantOf(m: ReproModel): string {
  const parts: string[] = [];
  if (m.goal) parts.push(`goal \`${m.goal}\``);
  for (const [layer, fields] of Object.entries(m.overrides ?? {}))
    if (fields) parts.push(`${layer}: \`${JSON.stringify(fields)}\``);
  return parts.length ? ` + ${parts.join(", ")}` : "";
}

/**
 * The page with `section` as experiment `name`'s generated part: replaces what lies between
 * its markers, or appends it (with markers) to the end. Everything else is kept as written.
 */
export function spliceSection(page: string, name: string, section: string): string {
  const open = `<!-- repro:${name} (generated by npm run repro -- ${name}; edits inside are overwritten) -->`;
  const close = `<!-- /repro:${name} -->`;
  const block = `${open}\n${section.trimEnd()}\n${close}`;
  const at = page.indexOf(`<!-- repro:${name} `);
  const end = page.indexOf(close);
  if (at >= 0 && end > at) return page.slice(0, at) + block + page.slice(end + close.length);
  return `${page.trimEnd()}\n\n${block}\n`;
}
