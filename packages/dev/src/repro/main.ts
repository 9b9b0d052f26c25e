#!/usr/bin/env node
/** `npm run repro -- NAME`: run a reproduction experiment (every row × seed as an `infomorph train` child process, resumable) and write its section of its results page, only from a complete set of finished runs. */

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { isEntryPoint } from "infomorph/entry-point";
import { reevaluate } from "./evaluate.js";
import { EXPERIMENTS, type Experiment, type ReproModel, modelKey } from "./experiments.js";
import { reproModelConfig } from "./model.js";
import { type RunOutcome, readRun, resultsMarkdown, spliceSection } from "./results.js";

/**
 * The infomorph command's entry module, run as a child process per training run. From the
 * TypeScript sources (tests, where import.meta.resolve is not available) it is the
 * workspace's built CLI, which the tests' global setup builds.
 */
const MAIN = fileURLToPath(
  import.meta.url.endsWith(".ts")
    ? new URL("../../../cli/dist/main.js", import.meta.url)
    : import.meta.resolve("infomorph"),
);

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

/** Where repro reports progress and problems; results go to files. */
export type ReproLog = (text: string) => void;

/** A bad command line: exit 2 with this sentence. */
class UsageError extends Error {}

const USAGE =
  "usage: npm run repro -- NAME [--epochs N] [--seeds 1,2,3] [--models KEY,…] [--jobs N] [--threads N] [--runs-dir DIR] [--data-dir DIR] [--out FILE] [--report-only] [--partial]";

/**
 * Run the experiment named in `argv` (the words after `npm run repro --`) and write its
 * section of its results page. Returns the exit code: 0 written; 1 some run failed or is
 * missing or unfinished, so the page was left as it was (unless --partial); 2 bad usage.
 */
export async function repro(
  argv: readonly string[],
  log: ReproLog = (text) => process.stderr.write(text),
): Promise<number> {
  let parsed: ReturnType<typeof parseRepro>;
  try {
    parsed = parseRepro(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log(`error: ${error.message}\n`);
    return 2;
  }
  const { name, values, experiment, jobs, runsDir, dataDir, parallel, threads } = parsed;
  const started = new Date();
  const failures = new Map<Job, string>();
  if (!values["report-only"]) {
    mkdirSync(runsDir, { recursive: true });
    log(`${experiment.title}: ${jobs.length} runs, ${parallel} at a time, into ${runsDir}\n`);
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const failure = job.model.evaluates
          ? await reevaluateJob(job, experiment, dataDir, resolve(values["runs-dir"]), log)
          : await runJob(job, experiment, dataDir, runsDir, threads, log);
        if (failure !== null) failures.set(job, failure);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  }
  const outcomes: RunOutcome[] = [];
  const incomplete: string[] = [];
  for (const job of jobs) {
    const run = readRun(job.dir, job.key, job.seed);
    if (run) outcomes.push(run);
    if (run && run.epochs >= experiment.epochs) continue;
    const state = run ? `${run.epochs} of ${experiment.epochs} epochs` : "no finished epoch";
    incomplete.push(`${job.key} seed ${job.seed} (${failures.get(job) ?? state})`);
  }
  const out = values.out ?? join("docs", experiment.page);
  if (incomplete.length > 0 && !values.partial) {
    log(
      `error: ${incomplete.length} of ${jobs.length} runs failed or are missing or unfinished, so ${out} was not rewritten: ${incomplete.join("; ")}. Fix the cause and run the same command again (finished runs are kept, unfinished ones resume), or add --partial to write the section anyway.\n`,
    );
    return 1;
  }
  // The page names the command that trains the runs (--report-only, --partial and --out only
  // change what is written where), with its paths relative to the folder repro ran in.
  const shown = portableArgs(argv).filter(
    (a, i) =>
      a !== name &&
      a !== "--report-only" &&
      a !== "--partial" &&
      a !== "--out" &&
      argv[i - 1] !== "--out",
  );
  const command = `npm run repro -- ${[name, ...shown].join(" ")}`;
  const markdown = resultsMarkdown(experiment, outcomes, {
    command,
    date: lastMeasured(outcomes) ?? started.toISOString().slice(0, 10),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`,
    loadavg: values["report-only"] ? null : loadavg(),
    missing: incomplete,
  });
  const page = existsSync(out) ? readFileSync(out, "utf8") : "# Results\n";
  writeFileSync(out, spliceSection(page, experiment.name, markdown));
  log(`wrote ${out} (${outcomes.length} of ${jobs.length} runs)\n`);
  return 0;
}

/** The experiment, its jobs and the options, checked; a bad value throws UsageError. */
function parseRepro(argv: readonly string[]) {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. ${USAGE}`);
  }
  const { values, positionals } = parsed;
  const names = Object.keys(EXPERIMENTS).join(", ");
  const name = positionals[0];
  if (positionals.length !== 1 || !Object.hasOwn(EXPERIMENTS, name)) {
    const what =
      positionals.length === 0
        ? "name an experiment"
        : positionals.length > 1
          ? `name one experiment (got ${positionals.join(", ")})`
          : `unknown experiment '${name}'`;
    throw new UsageError(`${what}: ${names}. Example: npm run repro -- mnist-n100 --epochs 2`);
  }
  const base = EXPERIMENTS[name];
  const seeds = values.seeds?.split(",").map((s) => integer("--seeds", s, 0, "1,2,3"));
  const keys = base.models.map(modelKey);
  const wanted = values.models?.split(",");
  for (const key of wanted ?? []) {
    if (!keys.includes(key)) {
      throw new UsageError(
        `--models lists '${key}', which is not a row of ${base.name}: ${keys.join(", ")}.`,
      );
    }
  }
  const experiment: Experiment = {
    ...base,
    epochs: values.epochs === undefined ? base.epochs : integer("--epochs", values.epochs, 1, "2"),
    seeds: seeds ?? base.seeds,
    models: wanted ? base.models.filter((m) => wanted.includes(modelKey(m))) : base.models,
  };
  const runsDir = resolve(values["runs-dir"], experiment.name);
  const jobs: Job[] = experiment.models.flatMap((m) =>
    (seeds ?? m.seeds ?? experiment.seeds).map((seed) => ({
      model: m,
      key: modelKey(m),
      seed,
      dir: join(runsDir, `${modelKey(m)}-s${seed}`),
    })),
  );
  return {
    name,
    values,
    experiment,
    jobs,
    runsDir,
    dataDir: values["data-dir"] ?? defaultDataDir(experiment.dataset),
    parallel: integer("--jobs", values.jobs, 1, "2"),
    threads:
      values.threads === undefined
        ? undefined
        : String(integer("--threads", values.threads, 1, "1")),
  };
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
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
      partial: { type: "boolean", default: false },
    },
  });
}

/** `text` as an integer ≥ min, or a UsageError that names the flag and a value to try. */
function integer(flag: string, text: string, min: number, example: string): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(
      `${flag} must be ${min === 0 ? "a non-negative integer" : `an integer ≥ ${min}`}${flag === "--seeds" ? " in a comma-separated list" : ""} (got '${text}'). Try ${flag} ${example}.`,
    );
  }
  return value;
}

/**
 * The command line as the results page quotes it: paths given to --runs-dir, --data-dir and
 * --out relative to the folder repro ran in, so the page names no folder of this machine.
 */
function portableArgs(argv: readonly string[]): string[] {
  const pathFlags = new Set(["--runs-dir", "--data-dir", "--out"]);
  return argv.map((arg, i) => {
    const [flag, value] = arg.includes("=") ? arg.split(/=(.*)/s) : [argv[i - 1], arg];
    if (!pathFlags.has(flag) || !isAbsolute(value)) return arg;
    const portable = relative(process.cwd(), value) || ".";
    return arg.includes("=") ? `${flag}=${portable}` : portable;
  });
}

/** A row that re-evaluates another row's run of the same seed; an unfinished source is skipped with a note. */
async function reevaluateJob(
  job: Job,
  experiment: Experiment,
  dataDir: string | undefined,
  runsRoot: string,
  log: ReproLog,
): Promise<string | null> {
  const from = job.model.evaluates!;
  const done = readRun(job.dir, job.key, job.seed);
  if (done && done.epochs >= experiment.epochs) return null;
  const source = join(runsRoot, from.experiment, `${from.key}-s${job.seed}`);
  const evaluation = job.model.overrides?.evaluation ?? {};
  try {
    await reevaluate(source, job.dir, evaluation, experiment.epochs, dataDir);
    log(`done  ${job.key} seed ${job.seed} (re-evaluated ${source})\n`);
    return null;
  } catch (err) {
    log(`skip  ${job.key} seed ${job.seed}: ${(err as Error).message}\n`);
    return (err as Error).message;
  }
}

/**
 * Train one row × seed, resuming its folder when a checkpoint exists; a finished run is
 * skipped. A row that varies its preset gets its model config as <runs>/<key>.model.json.
 * Resolves to null, or to why the training process failed.
 */
function runJob(
  job: Job,
  experiment: Experiment,
  dataDir: string | undefined,
  runsDir: string,
  threads: string | undefined,
  log: ReproLog,
): Promise<string | null> {
  const done = readRun(job.dir, job.key, job.seed);
  if (done && done.epochs >= experiment.epochs) return Promise.resolve(null);
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
  log(`start ${job.key} seed ${job.seed}\n`);
  return new Promise((resolveJob) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let lastLine = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      const lines = String(d).trim().split("\n");
      lastLine = lines[lines.length - 1] || lastLine;
    });
    child.on("error", (error) => {
      log(`FAILED ${job.key} seed ${job.seed}: ${error.message}\n`);
      resolveJob(error.message);
    });
    child.on("close", (code) => {
      if (code === 0) {
        writeFileSync(join(job.dir, "summary.json"), stdout);
        log(`done  ${job.key} seed ${job.seed}\n`);
        resolveJob(null);
      } else {
        const why = `exit ${code}: ${lastLine}`;
        log(`FAILED ${job.key} seed ${job.seed} (${why})\n`);
        resolveJob(why);
      }
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
  return existsSync(local) ? local : undefined;
}

if (isEntryPoint(import.meta.url)) {
  repro(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
