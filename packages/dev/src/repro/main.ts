#!/usr/bin/env node
/** `npm run repro -- NAME`: run a reproduction experiment (every row × seed as an `infomorph train` child process, resumable) and write its section of its results page. */

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { reevaluate } from "./evaluate.js";
import { EXPERIMENTS, type Experiment, type ReproModel, modelKey } from "./experiments.js";
import { reproModelConfig } from "./model.js";
import { type RunOutcome, readRun, resultsMarkdown, spliceSection } from "./results.js";

/** The infomorph command's entry module, run as a child process per training run. */
const MAIN = fileURLToPath(import.meta.resolve("infomorph"));

interface Job {
  readonly model: ReproModel;
  readonly key: string;
  readonly seed: number;
  readonly dir: string;
}

/** Inputs and classes of the datasets the experiments use (the variants' model configs need them). */
const SHAPES: Readonly<Record<string, { inputs: number; classes: number }>> = {
  mnist: { inputs: 784, classes: 10 },
  "fashion-mnist": { inputs: 784, classes: 10 },
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      epochs: { type: "string" },
      seeds: { type: "string" },
      models: { type: "string" },
      jobs: { type: "string", default: "2" },
      threads: { type: "string" },
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
      `error: name an experiment: ${Object.keys(EXPERIMENTS).join(", ")}. Example: npm run repro -- mnist-n100 --epochs 2\n`,
    );
    return 2;
  }
  const experiment: Experiment = {
    ...base,
    epochs: values.epochs ? Number(values.epochs) : base.epochs,
    seeds: values.seeds ? values.seeds.split(",").map(Number) : base.seeds,
    models: values.models
      ? base.models.filter((m) => values.models!.split(",").includes(modelKey(m)))
      : base.models,
  };
  const dataDir = values["data-dir"] ?? defaultDataDir(experiment.dataset);
  const runsDir = resolve(values["runs-dir"]!, experiment.name);
  const jobs: Job[] = experiment.models.flatMap((m) =>
    (values.seeds ? experiment.seeds : (m.seeds ?? experiment.seeds)).map((seed) => ({
      model: m,
      key: modelKey(m),
      seed,
      dir: join(runsDir, `${modelKey(m)}-s${seed}`),
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
        if (job.model.evaluates) {
          await reevaluateJob(job, experiment, dataDir, resolve(values["runs-dir"]!));
        } else {
          await runJob(job, experiment, dataDir, runsDir, values.threads);
        }
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  }
  const outcomes: RunOutcome[] = jobs.flatMap((job) => {
    const run = readRun(job.dir, job.key, job.seed);
    return run ? [run] : [];
  });
  // The page names the command that trains the runs (--report-only and --out only change where the page goes).
  const shown = argv.filter(
    (a, i) => a !== name && a !== "--report-only" && a !== "--out" && argv[i - 1] !== "--out",
  );
  const command = `npm run repro -- ${[name, ...shown].join(" ")}`;
  const markdown = resultsMarkdown(experiment, outcomes, {
    command,
    date: lastMeasured(outcomes) ?? started.toISOString().slice(0, 10),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`,
    loadavg: values["report-only"] ? null : loadavg(),
  });
  const out = values.out ?? join("docs", experiment.page);
  const page = existsSync(out) ? readFileSync(out, "utf8") : "# Results\n";
  writeFileSync(out, spliceSection(page, experiment.name, markdown));
  process.stderr.write(`wrote ${out} (${outcomes.length} of ${jobs.length} runs)\n`);
  return 0;
}

/** A row that re-evaluates another row's run of the same seed; an unfinished source is skipped with a note. */
async function reevaluateJob(
  job: Job,
  experiment: Experiment,
  dataDir: string | undefined,
  runsRoot: string,
): Promise<void> {
  const from = job.model.evaluates!;
  const done = readRun(job.dir, job.key, job.seed);
  if (done && done.epochs >= experiment.epochs) return;
  const source = join(runsRoot, from.experiment, `${from.key}-s${job.seed}`);
  const evaluation = job.model.overrides?.evaluation ?? {};
  try {
    await reevaluate(source, job.dir, evaluation, experiment.epochs, dataDir);
    process.stderr.write(`done  ${job.key} seed ${job.seed} (re-evaluated ${source})\n`);
  } catch (err) {
    process.stderr.write(`skip  ${job.key} seed ${job.seed}: ${(err as Error).message}\n`);
  }
}

/**
 * Train one row × seed, resuming its folder when a checkpoint exists; a finished run is
 * skipped. A row that varies its preset gets its model config as <runs>/<key>.model.json.
 */
function runJob(
  job: Job,
  experiment: Experiment,
  dataDir: string | undefined,
  runsDir: string,
  threads: string | undefined,
): Promise<void> {
  const done = readRun(job.dir, job.key, job.seed);
  if (done && done.epochs >= experiment.epochs) return Promise.resolve();
  const shape = SHAPES[experiment.dataset] ?? SHAPES.mnist;
  const model = reproModelConfig(job.model, experiment.hidden, shape.inputs, shape.classes);
  const configFile = join(runsDir, `${job.key}.model.json`);
  if (model) writeFileSync(configFile, `${JSON.stringify({ model }, null, 2)}\n`);
  const common = [...(threads ? ["--threads", threads] : []), "--json"];
  const args = existsSync(join(job.dir, "checkpoint.json"))
    ? ["train", "--resume", job.dir, "--epochs", String(experiment.epochs), ...common]
    : [
        "train",
        "--preset",
        job.model.preset,
        ...(model ? ["--config", configFile] : []),
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
        ...common,
      ];
  process.stderr.write(`start ${job.key} seed ${job.seed}\n`);
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
        process.stderr.write(`done  ${job.key} seed ${job.seed}\n`);
      } else {
        process.stderr.write(`FAILED ${job.key} seed ${job.seed} (exit ${code}): ${lastLine}\n`);
      }
      resolveJob();
    });
  });
}

/** The day (YYYY-MM-DD, UTC) the newest of these runs last wrote its metrics. */
function lastMeasured(outcomes: readonly RunOutcome[]): string | null {
  const times = outcomes.map((o) => statSync(join(o.dir, "metrics.jsonl")).mtimeMs);
  return times.length ? new Date(Math.max(...times)).toISOString().slice(0, 10) : null;
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
