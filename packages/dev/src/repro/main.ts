#!/usr/bin/env node
/** `npm run repro -- NAME`: run a reproduction experiment (every preset × seed as an `infomorph train` child process, resumable) and write its results page, only from a complete set of runs. */

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { isEntryPoint } from "infomorph/entry-point";
import { EXPERIMENTS, type Experiment } from "./experiments.js";
import { type RunOutcome, readRun, resultsMarkdown } from "./results.js";

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
  readonly preset: string;
  readonly seed: number;
  readonly dir: string;
}

/** Where repro reports progress and problems; results go to files. */
export type ReproLog = (text: string) => void;

/** A bad command line: exit 2 with this sentence. */
class UsageError extends Error {}

const USAGE =
  "usage: npm run repro -- NAME [--epochs N] [--seeds 1,2,3] [--models preset,…] [--jobs N] [--runs-dir DIR] [--data-dir DIR] [--out FILE] [--report-only]";

/**
 * Run the experiment named in `argv` (the words after `npm run repro --`) and write its
 * results page; returns the exit code: 0 written, 1 some run failed or is missing (the page
 * is left as it was), 2 bad usage.
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
  const { experiment, jobs, runsDir, dataDir, parallel, out, reportOnly } = parsed;
  const started = new Date();
  const failures = new Map<Job, string>();
  if (!reportOnly) {
    mkdirSync(runsDir, { recursive: true });
    log(`${experiment.title}: ${jobs.length} runs, ${parallel} at a time, into ${runsDir}\n`);
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const failure = await runJob(job, experiment, dataDir, log);
        if (failure !== null) failures.set(job, failure);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  }
  const outcomes: RunOutcome[] = [];
  const incomplete: string[] = [];
  for (const job of jobs) {
    const run = readRun(job.dir, job.preset, job.seed);
    if (run && run.epochs >= experiment.epochs) {
      outcomes.push(run);
    } else {
      const state = run ? `${run.epochs} of ${experiment.epochs} epochs` : "no finished epoch";
      const failure = failures.get(job);
      incomplete.push(`${job.preset} seed ${job.seed} (${failure ?? state})`);
    }
  }
  if (incomplete.length > 0) {
    log(
      `error: ${incomplete.length} of ${jobs.length} runs failed or are missing, so ${out} was not rewritten: ${incomplete.join("; ")}. Fix the cause and run the same command again (finished runs are kept, unfinished ones resume).\n`,
    );
    return 1;
  }
  const markdown = resultsMarkdown(experiment, outcomes, {
    command: `npm run repro -- ${portableArgs(argv).join(" ")}`,
    date: started.toISOString().slice(0, 10),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`,
    loadavg: loadavg(),
  });
  writeFileSync(out, markdown + keptNotes(out));
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
  if (positionals.length !== 1 || !Object.hasOwn(EXPERIMENTS, positionals[0])) {
    const what =
      positionals.length === 0
        ? "name an experiment"
        : positionals.length > 1
          ? `name one experiment (got ${positionals.join(", ")})`
          : `unknown experiment '${positionals[0]}'`;
    throw new UsageError(`${what}: ${names}. Example: npm run repro -- mnist-n100 --epochs 2`);
  }
  const base = EXPERIMENTS[positionals[0]];
  const seeds = values.seeds?.split(",").map((s) => integer("--seeds", s, 0, "1,2,3"));
  const presets = base.models.map((m) => m.preset);
  const wanted = values.models?.split(",");
  for (const preset of wanted ?? []) {
    if (!presets.includes(preset)) {
      throw new UsageError(
        `--models lists '${preset}', which is not a model of ${base.name}: ${presets.join(", ")}.`,
      );
    }
  }
  const experiment: Experiment = {
    ...base,
    epochs: values.epochs === undefined ? base.epochs : integer("--epochs", values.epochs, 1, "2"),
    seeds: seeds ?? base.seeds,
    models: wanted ? base.models.filter((m) => wanted.includes(m.preset)) : base.models,
  };
  const runsDir = resolve(values["runs-dir"], experiment.name);
  const jobs: Job[] = experiment.models.flatMap((m) =>
    (seeds ?? m.seeds ?? experiment.seeds).map((seed) => ({
      preset: m.preset,
      seed,
      dir: join(runsDir, `${m.preset}-s${seed}`),
    })),
  );
  return {
    experiment,
    jobs,
    runsDir,
    dataDir: values["data-dir"] ?? defaultDataDir(experiment.dataset),
    parallel: integer("--jobs", values.jobs, 1, "2"),
    out:
      values.out ??
      join(
        "docs",
        experiment.name === "mnist-n100" ? "RESULTS.md" : `RESULTS-${experiment.name}.md`,
      ),
    reportOnly: values["report-only"],
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
      "runs-dir": { type: "string", default: "runs/repro" },
      "data-dir": { type: "string" },
      out: { type: "string" },
      "report-only": { type: "boolean", default: false },
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

/**
 * Train one preset × seed, resuming its folder when a checkpoint exists; a finished run is
 * skipped. Resolves to null, or to why the training process failed.
 */
function runJob(
  job: Job,
  experiment: Experiment,
  dataDir: string | undefined,
  log: ReproLog,
): Promise<string | null> {
  const done = readRun(job.dir, job.preset, job.seed);
  if (done && done.epochs >= experiment.epochs) return Promise.resolve(null);
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
  log(`start ${job.preset} seed ${job.seed}\n`);
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
      log(`FAILED ${job.preset} seed ${job.seed}: ${error.message}\n`);
      resolveJob(error.message);
    });
    child.on("close", (code) => {
      if (code === 0) {
        writeFileSync(join(job.dir, "summary.json"), stdout);
        log(`done  ${job.preset} seed ${job.seed}\n`);
        resolveJob(null);
      } else {
        const why = `exit ${code}: ${lastLine}`;
        log(`FAILED ${job.preset} seed ${job.seed} (${why})\n`);
        resolveJob(why);
      }
    });
  });
}

/** Hand-written notes below NOTES_MARKER in an existing results page survive regeneration. */
function keptNotes(path: string): string {
  if (!existsSync(path)) return `\n${NOTES_MARKER}\n`;
  const text = readFileSync(path, "utf8");
  const at = text.indexOf(NOTES_MARKER);
  return at < 0 ? `\n${NOTES_MARKER}\n` : `\n${text.slice(at)}`;
}

const NOTES_MARKER =
  "<!-- Notes below this line are written by hand; npm run repro keeps them. -->";

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
