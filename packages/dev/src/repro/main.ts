#!/usr/bin/env node
/** `npm run repro -- NAME`: run a reproduction experiment (every preset × seed as an `infomorph train` child process, resumable) and write its results page. */

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { EXPERIMENTS, type Experiment } from "./experiments.js";
import { reproMemorySearch } from "./memory-search.js";
import { reproMemory } from "./memory.js";
import { type RunOutcome, keptNotes, readRun, resultsMarkdown } from "./results.js";

/** The infomorph command's entry module, run as a child process per training run. */
const MAIN = fileURLToPath(import.meta.resolve("infomorph"));

interface Job {
  readonly preset: string;
  readonly seed: number;
  readonly dir: string;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "memory") return reproMemory(argv.slice(1));
  if (argv[0] === "memory-search") return reproMemorySearch(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      epochs: { type: "string" },
      seeds: { type: "string" },
      models: { type: "string" },
      jobs: { type: "string", default: "2" },
      "runs-dir": { type: "string", default: "runs/repro" },
      "data-dir": { type: "string" },
      out: { type: "string" },
      "report-only": { type: "boolean", default: false },
    },
  });
  const name = positionals[0];
  const base = name ? EXPERIMENTS[name] : undefined;
  if (!base) {
    process.stderr.write(
      `error: name an experiment: ${[...Object.keys(EXPERIMENTS), "memory", "memory-search"].join(", ")}. Example: npm run repro -- mnist-n100 --epochs 2\n`,
    );
    return 2;
  }
  const experiment: Experiment = {
    ...base,
    epochs: values.epochs ? Number(values.epochs) : base.epochs,
    seeds: values.seeds ? values.seeds.split(",").map(Number) : base.seeds,
    models: values.models
      ? base.models.filter((m) => values.models!.split(",").includes(m.preset))
      : base.models,
  };
  const dataDir = values["data-dir"] ?? defaultDataDir(experiment.dataset);
  const runsDir = resolve(values["runs-dir"]!, experiment.name);
  const jobs: Job[] = experiment.models.flatMap((m) =>
    (values.seeds ? experiment.seeds : (m.seeds ?? experiment.seeds)).map((seed) => ({
      preset: m.preset,
      seed,
      dir: join(runsDir, `${m.preset}-s${seed}`),
    })),
  );
  const started = new Date();
  if (!values["report-only"]) {
    mkdirSync(runsDir, { recursive: true });
    const parallel = Math.max(1, Number(values.jobs));
    process.stderr.write(
      `${experiment.title}: ${jobs.length} runs, ${parallel} at a time, into ${runsDir}\n`,
    );
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        await runJob(job, experiment, dataDir);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  }
  const outcomes: RunOutcome[] = jobs.flatMap((job) => {
    const run = readRun(job.dir, job.preset, job.seed);
    return run ? [run] : [];
  });
  const command = `npm run repro -- ${[name, ...argv.filter((a) => a !== name)].join(" ")}`;
  const markdown = resultsMarkdown(experiment, outcomes, {
    command,
    date: started.toISOString().slice(0, 10),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`,
    loadavg: loadavg(),
  });
  const out =
    values.out ??
    join("docs", experiment.name === "mnist-n100" ? "RESULTS.md" : `RESULTS-${experiment.name}.md`);
  writeFileSync(out, markdown + keptNotes(out));
  process.stderr.write(`wrote ${out} (${outcomes.length} of ${jobs.length} runs)\n`);
  return 0;
}

/** Train one preset × seed, resuming its folder when a checkpoint exists; a finished run is skipped. */
function runJob(job: Job, experiment: Experiment, dataDir: string | undefined): Promise<void> {
  const done = readRun(job.dir, job.preset, job.seed);
  if (done && done.epochs >= experiment.epochs) return Promise.resolve();
  const args = existsSync(join(job.dir, "checkpoint.json"))
    ? ["train", "--resume", job.dir, "--epochs", String(experiment.epochs), "--json"]
    : [
        "train",
        "--preset",
        job.preset,
        "--dataset",
        experiment.dataset,
        ...(dataDir ? ["--data-dir", dataDir] : []),
        "--hidden",
        String(experiment.hidden),
        "--epochs",
        String(experiment.epochs),
        "--batch-size",
        String(experiment.batchSize),
        "--seed",
        String(job.seed),
        "--out",
        job.dir,
        "--json",
      ];
  process.stderr.write(`start ${job.preset} seed ${job.seed}\n`);
  return new Promise((resolveJob) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let lastLine = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      const lines = String(d).trim().split("\n");
      lastLine = lines[lines.length - 1] ?? lastLine;
    });
    child.on("close", (code) => {
      if (code === 0) {
        writeFileSync(join(job.dir, "summary.json"), stdout);
        process.stderr.write(`done  ${job.preset} seed ${job.seed}\n`);
      } else {
        process.stderr.write(`FAILED ${job.preset} seed ${job.seed} (exit ${code}): ${lastLine}\n`);
      }
      resolveJob();
    });
  });
}

/** ../shared/data/<dataset> beside the repository, when present (the developers' copy). */
function defaultDataDir(dataset: string): string | undefined {
  const local = resolve("..", "shared", "data", dataset);
  if (existsSync(local)) return local;
  if (dataset === "fashion-mnist" && existsSync("/usr/share/datasets/fashion-mnist"))
    return undefined;
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
