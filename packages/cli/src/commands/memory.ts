/** `infomorph memory`: store random patterns in a recurrent network with one or more learning rules, at one load or a scan of loads, and measure recall, basins and the capacity α_c into a run folder (resumable). */

import {
  InfomorphError,
  MEMORY_RULES,
  type MemoryExperimentInput,
  type RuleCapacity,
  STORAGE_CRITERIA,
  parseLoads,
  resolveMemoryExperiment,
} from "@infomorph/core";
import { MemoryRunFolder, type ResultLine, memorySummary } from "@infomorph/runs";
import { defineCommand } from "../cli/command.js";
import { EXIT_INTERRUPTED, watchInterrupt } from "../cli/interrupt.js";
import { type OutStream, type ProgressBar, progressBar } from "../cli/output.js";
import {
  type MemoryProgress,
  type MemorySessionResult,
  runMemorySession,
} from "../memory/session.js";
import { type KernelChoice, packageVersion } from "../training/session.js";
import { defaultThreads } from "../workers/kernel-threads.js";
import { JSON_FLAG, KERNELS_FLAG } from "./train.js";

/** Flags that define the experiment; a resumed run keeps its own. */
const SETTING_FLAGS = [
  "neurons",
  "load",
  "rule",
  "seeds",
  "cue-noise",
  "goal",
  "bins",
  "epochs",
  "lr",
  "full-epochs",
  "criterion",
  "threshold",
  "stop-after",
  "out",
] as const;

export const memoryCommand = defineCommand({
  name: "memory",
  summary:
    "associative memory: store random patterns with learning rules at one load or a scan of loads; recall, basins and capacity α_c into a run folder.",
  flags: [
    {
      name: "neurons",
      type: "integer",
      default: 100,
      description: "neurons N of the recurrent network",
    },
    {
      name: "load",
      type: "string",
      placeholder: "SPEC",
      default: "0.2:2.0:0.02",
      description:
        "loads α = patterns / N: one (0.5), a list (0.1,0.5), a scan FROM:TO:STEP, or scans and loads in a list",
    },
    {
      name: "rule",
      type: "list",
      placeholder: "A,B",
      default: ["infomorphic"],
      choices: [...MEMORY_RULES, "all"],
      description: "learning rules (all: every one)",
    },
    {
      name: "seeds",
      type: "string",
      placeholder: "A,B",
      default: "1",
      description: "pattern seeds: a list 1,2,3 or a range 1:5",
    },
    {
      name: "cue-noise",
      type: "string",
      placeholder: "A,B",
      default: "0.05,0.1,0.2",
      description:
        "fractions of flipped bits in recall cues besides the clean pattern (none: none)",
    },
    {
      name: "goal",
      type: "string",
      placeholder: "GOAL",
      default: "redundancy",
      description:
        'infomorphic goal over F (the pattern bit) and C (the recurrent field): "(F)(C)=1, (FC)=0.1", a name, JSON, or 5 numbers',
    },
    {
      name: "bins",
      type: "integer",
      default: 60,
      description: "infomorphic: bins of the internal source over [-20, 20]",
    },
    {
      name: "epochs",
      type: "integer",
      default: 5000,
      description:
        "infomorphic: most training epochs (it stops early once the patterns are stored)",
    },
    { name: "lr", type: "number", default: 0.05, description: "infomorphic: Adam learning rate" },
    {
      name: "full-epochs",
      type: "boolean",
      description:
        "infomorphic: train all --epochs, not only until the patterns are stored (larger basins; the paper stops early)",
    },
    {
      name: "criterion",
      type: "string",
      default: "mean-cosine",
      choices: STORAGE_CRITERIA,
      description:
        "when a load counts as stored: mean cosine ≥ threshold (the paper's), or that fraction of patterns recalled",
    },
    {
      name: "threshold",
      type: "number",
      default: 0.95,
      description: "cosine similarity of a recalled pattern, and the criterion's level",
    },
    {
      name: "stop-after",
      type: "integer",
      min: 0,
      default: 0,
      description: "skip a scan's higher loads after this many consecutive failures (0: run all)",
    },
    {
      name: "out",
      type: "string",
      placeholder: "DIR",
      description: "run folder (default: runs/memory-<rules>-n<N>-<yyyymmdd-hhmmss>)",
    },
    {
      name: "resume",
      type: "string",
      placeholder: "DIR",
      description: "continue the run in DIR: run the tasks it has not finished",
    },
    KERNELS_FLAG,
    {
      name: "threads",
      type: "integer",
      min: 1,
      placeholder: "N",
      description:
        "tasks run at once, one per worker thread (default: every core); results are the same for any N",
    },
    JSON_FLAG,
  ],
  example: "infomorph memory --rule hebbian,infomorphic --neurons 50 --load 0.2:1.0:0.2",
  async run(args, io) {
    const { flags, given } = args;
    let folder: MemoryRunFolder;
    if (flags.resume !== undefined) {
      const conflicting = SETTING_FLAGS.filter((name) => given.has(name));
      if (conflicting.length > 0) {
        throw new InfomorphError({
          code: "usage/resume-conflict",
          path: [conflicting[0]],
          message: `--${conflicting[0]} cannot be given with --resume: a resumed run keeps the settings in ${flags.resume}/config.json. Only --threads, --kernels and --json may be added.`,
        });
      }
      folder = MemoryRunFolder.resume(flags.resume);
    } else {
      const experiment = resolveMemoryExperiment(experimentFromFlags(flags));
      const out = flags.out ?? defaultMemoryDir(experiment.rules, experiment.neurons);
      folder = MemoryRunFolder.create(out, experiment, packageVersion());
    }
    const progress = new Progress(io.stderr, folder);
    const stop = watchInterrupt(io, "the running tasks");
    let result: MemorySessionResult;
    try {
      result = await runMemorySession(
        folder,
        {
          threads: flags.threads ?? defaultThreads(),
          kernels: flags.kernels as KernelChoice,
        },
        {
          onStart: (info) => progress.start(info, flags.resume !== undefined),
          onTask: (line, p) => progress.task(line, p),
          shouldStop: () => stop.requested,
        },
      );
    } finally {
      stop.dispose();
      progress.finish();
      folder.close();
    }
    const summary = memorySummary(folder.experiment, folder.results(), result.seconds);
    io.stdout.write(
      flags.json
        ? `${JSON.stringify({ run: folder.dir, ...result, ...summary }, null, 2)}\n`
        : summaryText(folder.dir, result, summary.capacity),
    );
    if (result.stopped) {
      io.stderr.write(
        `interrupted after ${result.done} of ${result.total} tasks; resume with: infomorph memory --resume ${folder.dir}\n`,
      );
      return EXIT_INTERRUPTED;
    }
  },
});

type MemoryFlags = Parameters<typeof memoryCommand.run>[0]["flags"] & {
  neurons: number;
  load: string;
  rule: string[];
  seeds: string;
  cueNoise: string;
  goal: string;
  bins: number;
  epochs: number;
  lr: number;
  fullEpochs: boolean;
  criterion: string;
  threshold: number;
  stopAfter: number;
};

/** The experiment the flags describe (validated by resolveMemoryExperiment). */
export function experimentFromFlags(flags: MemoryFlags): MemoryExperimentInput {
  return {
    neurons: flags.neurons,
    loads: parseLoads(flags.load),
    rules: flags.rule.includes("all") ? [...MEMORY_RULES] : flags.rule,
    seeds: parseSeeds(flags.seeds),
    cueNoise: flags.cueNoise.trim() === "none" ? [] : parseNumbers(flags.cueNoise, "cue-noise"),
    criterion: flags.criterion,
    threshold: flags.threshold,
    stopAfterFailures: flags.stopAfter,
    infomorphic: {
      goal: flags.goal,
      bins: flags.bins,
      maxEpochs: flags.epochs,
      lr: flags.lr,
      earlyStop: !flags.fullEpochs,
    },
  };
}

/** "1,2,3" or "1:5" (both ends included). */
function parseSeeds(text: string): number[] {
  const range = text.split(":");
  if (range.length === 2) {
    const [from, to] = range.map((s) => Number(s.trim()));
    if (
      Number.isSafeInteger(from) &&
      Number.isSafeInteger(to) &&
      from <= to &&
      to - from < 10_000
    ) {
      return Array.from({ length: to - from + 1 }, (_, k) => from + k);
    }
    throw new InfomorphError({
      code: "usage/bad-value",
      path: ["seeds"],
      message: `--seeds ${text} is not a range FROM:TO of integers with FROM ≤ TO. Try --seeds 1:5.`,
    });
  }
  return parseNumbers(text, "seeds");
}

function parseNumbers(text: string, flag: string): number[] {
  const values = text.split(",").map((s) => s.trim());
  const numbers = values.map(Number);
  const bad = values.findIndex((s, k) => s === "" || !Number.isFinite(numbers[k]));
  if (bad >= 0) {
    throw new InfomorphError({
      code: "usage/bad-value",
      path: [flag],
      message: `--${flag} needs numbers separated by commas (got "${values[bad]}" in ${text}).`,
    });
  }
  return numbers;
}

/** runs/memory-<rules>-n<N>-<yyyymmdd-hhmmss>, in local time. */
export function defaultMemoryDir(
  rules: readonly string[],
  neurons: number,
  now = new Date(),
): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const what = rules.length === MEMORY_RULES.length ? "all" : rules.join("+");
  return `runs/memory-${what}-n${neurons}-${stamp}`;
}

/** Progress on stderr: a bar with the last task on a terminal, else one line per task. */
class Progress {
  private bar: ProgressBar | null = null;

  constructor(
    private readonly stream: OutStream,
    private readonly folder: MemoryRunFolder,
  ) {}

  start(info: { kernels: string; threads: number } & MemoryProgress, resumed: boolean): void {
    const e = this.folder.experiment;
    const what = `${e.rules.join(", ")}; N = ${e.neurons}; ${e.loads.length} load${e.loads.length === 1 ? "" : "s"} × ${e.seeds.length} seed${e.seeds.length === 1 ? "" : "s"}; ${info.kernels} kernels, ${info.threads} task${info.threads === 1 ? "" : "s"} at once`;
    this.stream.write(
      resumed
        ? `resuming ${this.folder.dir} with ${info.done} of ${info.total} tasks done: ${what}\n`
        : `memory run ${this.folder.dir}: ${what}\n`,
    );
    if (this.stream.isTTY) {
      const stream = this.stream;
      this.bar = progressBar(info.total, "tasks", {
        isTTY: true,
        columns: stream.columns,
        write: (text: string) => stream.write(text),
      });
      this.bar.update(info.done + info.skipped);
    }
  }

  task(line: ResultLine, p: MemoryProgress): void {
    const cues = line.cues.map(
      (c) => `${Math.round(100 * c.noise)}% ${c.storedFraction.toFixed(2)}`,
    );
    const text = [
      `[${p.done}/${p.total}]`,
      `${line.rule} α=${(line.patterns / line.neurons).toFixed(3)} seed ${line.seed}:`,
      `${line.stored ? "stored" : "failed"}, recalled ${line.recall.storedFraction.toFixed(3)} (mean cos ${line.recall.meanCosine.toFixed(3)})`,
      ...(cues.length > 0 ? [`cues ${cues.join(", ")}`] : []),
      ...(line.epochs !== null ? [`${line.epochs} epochs`] : []),
      `${line.seconds.toFixed(1)} s`,
    ].join("  ");
    if (this.bar) {
      this.stream.write(`\r${text}\x1b[K\n`);
      this.bar.update(p.done + p.skipped);
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  finish(): void {
    if (this.bar) this.stream.write("\n");
    this.bar = null;
  }
}

function summaryText(dir: string, result: MemorySessionResult, capacity: RuleCapacity[]): string {
  const rows = [["rule", "α_c mean ± sd", "min–max", "seeds"]];
  for (const c of capacity) {
    rows.push([
      c.rule,
      `${c.lowerBound ? "≥ " : ""}${c.mean.toFixed(3)} ± ${c.sd.toFixed(3)}`,
      `${c.min.toFixed(2)}–${c.max.toFixed(2)}`,
      String(c.seeds.length),
    ]);
  }
  const criterion = capacity[0]
    ? `α_c: the last load stored (${capacity[0].criterion} ≥ ${capacity[0].threshold}) before the first that is not`
    : "no tasks done yet";
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  const table = rows.map((r) =>
    r
      .map((cell, k) => cell.padEnd(widths[k]))
      .join("  ")
      .trimEnd(),
  );
  return [
    ...table,
    criterion,
    "",
    `run      ${dir}`,
    `tasks    ${result.done} of ${result.total} done${result.skipped > 0 ? `, ${result.skipped} skipped past capacity` : ""}`,
    `time     ${result.seconds.toFixed(1)} s on ${result.threads} thread${result.threads === 1 ? "" : "s"} (${result.kernels})`,
    "",
  ].join("\n");
}
