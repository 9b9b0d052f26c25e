/**
 * `npm run bench -- search`: the goal search's cost around the training itself.
 *
 * - overhead: a study of short trials on one worker process (`infomorph search --jobs 1`, the
 *   built CLI); from its trial log and run folders, the wall-clock between consecutive results
 *   minus the trial's own training and evaluation seconds (metrics.jsonl) is what the study
 *   adds per trial: the sampler's ask, the log's durable appends, the message to the worker,
 *   the model and run folder set up, the per-epoch checkpoints, and reading the result. The
 *   first trial also pays the worker process's start and dataset load, shown on its own.
 * - throughput: the same study of one-epoch trials with one worker, then with two (one
 *   thread each): trials per hour, and the ratio.
 *
 * Set SEARCH_BENCH_TRIALS to change the number of trials per study (default 12), and
 * SEARCH_BENCH_EPOCHS the epochs of a throughput trial (default 1).
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Emit } from "./lines.js";
import { median, round } from "./stats.js";

const CLI = fileURLToPath(new URL("../../../cli/dist/main.js", import.meta.url));

/** The repository's ../shared/data/mnist when it holds the files, else the embedded digits. */
function dataFlags(): { flags: string[]; label: string } {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../../shared/data/mnist");
  return existsSync(join(dir, "train-images-idx3-ubyte.gz"))
    ? { flags: ["--dataset", "mnist", "--data-dir", dir], label: "mnist" }
    : {
        flags: ["--dataset", "embedded"],
        label: "embedded digits (../shared/data/mnist not found)",
      };
}

interface LogLine {
  start?: number;
  tell?: number;
  at: string;
}

/**
 * CPU seconds of this process's finished children and their children (Linux: cutime + cstime
 * of /proc/self/stat, in clock ticks of 1/100 s); null elsewhere. A study's coordinator reaps
 * its worker processes, so their time reaches us through it.
 */
function childCpuSeconds(): number | null {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

/** Run one study: the times of its results and starts, each trial's training ms, its wall-clock and CPU seconds. */
function study(
  dir: string,
  args: string[],
): {
  tells: number[];
  starts: number[];
  training: number[];
  wallMs: number;
  cpuSeconds: number | null;
} {
  const started = performance.now();
  const cpuBefore = childCpuSeconds();
  const run = spawnSync(process.execPath, [CLI, "search", "--out", dir, "--json", ...args], {
    encoding: "utf8",
  });
  const wallMs = performance.now() - started;
  const cpuAfter = childCpuSeconds();
  const cpuSeconds = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  if (run.status !== 0) throw new Error(`infomorph search failed: ${run.stderr}`);
  const lines: LogLine[] = readFileSync(join(dir, "trials.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const tells = lines.filter((l) => l.tell !== undefined).map((l) => Date.parse(l.at));
  const starts = lines.filter((l) => l.start !== undefined).map((l) => Date.parse(l.at));
  const trials = lines.filter((l) => l.tell !== undefined).map((l) => l.tell as number);
  const training = trials.map((id) => {
    const metrics = readFileSync(
      join(dir, "trials", String(id).padStart(6, "0"), "s1", "metrics.jsonl"),
      "utf8",
    );
    return metrics
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((m) => m.split === "train")
      .reduce((s, m) => s + 1000 * (m.seconds.train + m.seconds.evaluate), 0);
  });
  return { tells, starts, training, wallMs, cpuSeconds };
}

export async function benchSearch(emit: Emit): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is not built; run npm run build`);
  const trials = Number(process.env.SEARCH_BENCH_TRIALS ?? 12);
  const epochs = Number(process.env.SEARCH_BENCH_EPOCHS ?? 1);
  const { flags, label } = dataFlags();
  const root = mkdtempSync(join(tmpdir(), "infomorph-bench-search-"));
  const common = [
    ...flags,
    "--hidden",
    "100",
    "--sampler",
    "random",
    "--threads",
    "1",
    "--trials",
    String(trials),
  ];
  try {
    // Overhead: 2 epochs of 2048 samples per trial, so a trial has two checkpoints like a real one.
    const o = study(join(root, "overhead"), [
      ...common,
      "--epochs",
      "2",
      "--train-samples",
      "2048",
      "--jobs",
      "1",
    ]);
    const steady = o.tells.slice(1).map((t, i) => t - o.tells[i] - o.training[i + 1]);
    emit({
      bench: "search",
      case: "overhead per trial, one worker (wall-clock between results minus training and evaluation)",
      times: steady,
      firstTrialMs: round(o.tells[0] - o.starts[0] - o.training[0]),
      trainingMsPerTrial: round(median(o.training)),
      data: label,
      trials,
    });
    // Throughput: `epochs` on the full training set per trial, one worker, then two.
    const perHour: Record<number, number> = {};
    for (const jobs of [1, 2]) {
      const t = study(join(root, `throughput-${jobs}`), [
        ...common,
        "--epochs",
        String(epochs),
        "--jobs",
        String(jobs),
      ]);
      const hours = (t.tells[t.tells.length - 1] - t.starts[0]) / 3.6e6;
      perHour[jobs] = trials / hours;
      emit({
        bench: "search",
        case: `throughput, ${jobs} worker${jobs === 1 ? "" : "s"} × 1 thread, ${epochs} epoch${epochs === 1 ? "" : "s"} per trial`,
        times: [t.wallMs],
        trialsPerHour: round(perHour[jobs]),
        // The whole study's CPU time (coordinator and workers) per trial: equal for one and two
        // workers when the two do not slow each other down (caches, memory bandwidth).
        cpuSecondsPerTrial: t.cpuSeconds === null ? null : round(t.cpuSeconds / trials),
        trainingMsPerTrial: round(median(t.training)),
        ...(jobs === 2 ? { speedupOverOneWorker: round(perHour[2] / perHour[1]) } : {}),
        data: label,
        trials,
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
