/** `infomorph data`: load a dataset as training would and print its summary: splits, dimension, classes, label histogram, source. */

import { defineCommand } from "../cli/command.js";
import { type ProgressBar, progressBar } from "../cli/output.js";
import type { Dataset } from "../data/dataset.js";
import { loadDataset } from "../data/registry.js";

export const dataCommand = defineCommand({
  name: "data",
  summary: "load a dataset as training would, and summarise its splits, classes and source.",
  flags: [
    {
      name: "dataset",
      type: "string",
      placeholder: "NAME",
      default: "embedded",
      configKey: "data.dataset",
      description: "embedded, mnist, fashion-mnist, cifar-10, csv:PATH or idx:DIR",
    },
    {
      name: "data-dir",
      type: "string",
      placeholder: "DIR",
      configKey: "data.dataDir",
      description:
        "folder holding the data files (IDX, or CIFAR-10 batches; else $INFOMORPH_DATA, the cache, a download)",
    },
    {
      name: "seed",
      type: "integer",
      min: 0,
      default: 1,
      configKey: "seed",
      description: "seed of the train/validation split",
    },
    { name: "json", type: "boolean", description: "print the summary as JSON only" },
  ],
  example: "infomorph data --dataset embedded --seed 1",
  async run(args, io) {
    const bars = new Map<string, ProgressBar>();
    const splits = await loadDataset({
      dataset: args.flags.dataset,
      dataDir: args.flags.dataDir,
      seed: args.flags.seed,
      env: io.env,
      onDownloadProgress: (name, received, total) => {
        if (total === null) return;
        let bar = bars.get(name);
        if (!bar) {
          bar = progressBar(total, `downloading ${name}`, io.stderr);
          bars.set(name, bar);
        }
        bar.update(received);
        if (received >= total) bar.done();
      },
    });
    const { train, validation, test } = splits;
    const parts: [string, Dataset][] = [
      ["train", train],
      ["validation", validation],
      ["test", test],
    ];
    const summary = {
      dataset: train.name.replace(/\/train$/, ""),
      source: splits.source,
      dim: train.dim,
      imageShape: train.imageShape,
      classes: train.classes,
      labelNames: train.labelNames ?? null,
      standardization: splits.standardization,
      splits: Object.fromEntries(
        parts.map(([name, ds]) => [name, { count: ds.count, labelCounts: labelCounts(ds) }]),
      ),
    };
    if (args.flags.json) {
      io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return;
    }
    const { mean, std } = splits.standardization;
    const shape = train.imageShape ? ` (${train.imageShape.join("×")} image)` : "";
    const names = train.labelNames ?? Array.from({ length: train.classes }, (_, i) => String(i));
    const table = [
      ["split", "count", ...names],
      ...parts.map(([name, ds]) => [name, String(ds.count), ...labelCounts(ds).map(String)]),
    ];
    const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
    const lines = table.map((row) =>
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
        .join("  "),
    );
    io.stdout.write(
      [
        `dataset   ${summary.dataset}`,
        `source    ${splits.source}`,
        `features  ${train.dim}${shape}, standardised with mean ${mean.toFixed(6)} and std ${std.toFixed(6)} of train`,
        `classes   ${train.classes}`,
        "",
        "label counts per split:",
        ...lines,
        "",
      ].join("\n"),
    );
  },
});

function labelCounts(ds: Dataset): number[] {
  const counts = new Array<number>(ds.classes).fill(0);
  for (const label of ds.labels) counts[label]++;
  return counts;
}
