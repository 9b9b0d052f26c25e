/** `infomorph train`: train a preset (or a model config) on a dataset into a run folder, with progress, checkpoints every epoch, Ctrl-C to stop and --resume to continue. */

import { InfomorphError, PRESET_NAMES } from "@infomorph/core";
import type { MetricLine, RunFolder } from "@infomorph/runs";
import { defineCommand } from "../cli/command.js";
import { configFromFlags } from "../cli/flags.js";
import { type OutStream, type ProgressBar, progressBar } from "../cli/output.js";
import {
  type TrainSettings,
  readGoalArgument,
  readSettingsFile,
  resolveSettings,
} from "../cli/settings.js";
import {
  type KernelChoice,
  type SessionHooks,
  type SessionResult,
  resumeRun,
  startRun,
} from "../training/session.js";

/**
 * Exit code after Ctrl-C: 128 + SIGINT, as shells report it. The command resolves to it;
 * main.ts turns a number resolved by a command into the exit code.
 */
export const EXIT_INTERRUPTED = 130;

/** Flags that set a training setting; they cannot change a run being resumed (except epochs). */
const SETTING_FLAGS = [
  "config",
  "preset",
  "dataset",
  "hidden",
  "batch-size",
  "seed",
  "out",
  "train-samples",
  "goal",
  "output-goal",
] as const;

export const trainCommand = defineCommand({
  name: "train",
  summary: "train an infomorphic network into a run folder (config, metrics, atoms, checkpoint).",
  flags: [
    {
      name: "config",
      type: "string",
      placeholder: "FILE",
      description:
        "YAML or JSON file: the settings below in camelCase (goal, outputGoal per layer), and optionally `model`",
    },
    {
      name: "preset",
      type: "string",
      placeholder: "NAME",
      default: "trivariate",
      configKey: "preset",
      choices: PRESET_NAMES,
      description: "architecture and learning goal",
    },
    {
      name: "dataset",
      type: "string",
      placeholder: "NAME",
      default: "embedded",
      configKey: "dataset",
      description: "embedded, mnist, fashion-mnist, cifar-10, csv:PATH or idx:DIR",
    },
    {
      name: "data-dir",
      type: "string",
      placeholder: "DIR",
      configKey: "dataDir",
      description:
        "folder holding the data files (IDX, or CIFAR-10 batches; else $INFOMORPH_DATA, the cache, a download)",
    },
    {
      name: "hidden",
      type: "integer",
      min: 1,
      default: 100,
      configKey: "hidden",
      description: "hidden neurons",
    },
    {
      name: "epochs",
      type: "integer",
      min: 1,
      default: 10,
      configKey: "epochs",
      description: "epochs to train (with --resume: the new total)",
    },
    {
      name: "batch-size",
      type: "integer",
      min: 1,
      default: 1024,
      configKey: "batchSize",
      description: "samples per training batch",
    },
    {
      name: "seed",
      type: "integer",
      min: 0,
      default: 1,
      configKey: "seed",
      description: "seed of the data split, initial weights, sampling and batch order",
    },
    {
      name: "goal",
      type: "string",
      placeholder: "SPEC",
      configKey: "goal",
      description:
        "the hidden layer's goal instead of the preset's: atom weights '(F)(C)=1,(F)=0.1' (aliases over the layer's sources F, C, L, or {1}{2}, H_res), a named goal such as trivariate-heuristic, or @FILE (.json or .yaml)",
    },
    {
      name: "output-goal",
      type: "string",
      placeholder: "SPEC",
      configKey: "outputGoal",
      description: "the output layer's goal (sources F, C), in the same forms",
    },
    {
      name: "train-samples",
      type: "integer",
      min: 1,
      configKey: "trainSamples",
      description: "train on only the first N training samples, for a quick run; default all",
    },
    {
      name: "out",
      type: "string",
      placeholder: "DIR",
      configKey: "out",
      description: "run folder (default: runs/<preset>-<dataset>-s<seed>-<yyyymmdd-hhmmss>)",
    },
    {
      name: "resume",
      type: "string",
      placeholder: "DIR",
      description: "continue the run in DIR from its last checkpoint",
    },
    {
      name: "kernels",
      type: "string",
      default: "auto",
      choices: ["auto", "wasm", "ts"],
      description: "compute kernels: auto tries WebAssembly SIMD, then TypeScript",
    },
    {
      name: "threads",
      type: "integer",
      min: 1,
      placeholder: "N",
      description:
        "threads for the products and the PID (default: every core); results are the same for any N",
    },
    { name: "json", type: "boolean", description: "print only a JSON summary on stdout" },
  ],
  example: "infomorph train --preset trivariate --hidden 100 --epochs 3 --seed 1",
  async run(args, io) {
    const { flags, given } = args;
    let stopRequested = false;
    const onSigint = (): void => {
      if (stopRequested) {
        io.stderr.write("\ninterrupted again; exiting without waiting for the batch.\n");
        process.exit(EXIT_INTERRUPTED);
      }
      stopRequested = true;
      io.stderr.write("\nstopping after this batch (Ctrl-C again to quit at once)…\n");
    };
    const progress = new Progress(io.stderr);
    const hooks: SessionHooks = {
      onDownloadProgress: downloadBars(io.stderr),
      onStart: (info) => progress.start(info),
      onBatch: (p) => progress.batch(p.epoch, p.batch, p.batches, p.accuracy, p.goals),
      onEpoch: (record) => progress.epoch(record),
      shouldStop: () => stopRequested,
    };
    const kernels = flags.kernels as KernelChoice;

    process.on("SIGINT", onSigint);
    let result: SessionResult;
    try {
      if (flags.resume !== undefined) {
        const conflicting = SETTING_FLAGS.filter((name) => given.has(name));
        if (conflicting.length > 0) {
          throw new InfomorphError({
            code: "usage/resume-conflict",
            path: [conflicting[0]],
            message: `--${conflicting[0]} cannot be given with --resume: a resumed run keeps the settings in ${flags.resume}/config.json. Only --epochs, --kernels, --threads, --data-dir and --json may be added.`,
          });
        }
        result = await resumeRun(
          flags.resume,
          {
            epochs: given.has("epochs") ? flags.epochs : undefined,
            kernels: given.has("kernels") ? kernels : undefined,
            threads: flags.threads,
            dataDir: flags.dataDir,
          },
          io.env,
          hooks,
        );
      } else {
        const file = flags.config === undefined ? {} : readSettingsFile(flags.config);
        const fromFlags = configFromFlags(trainCommand.flags, args) as Partial<TrainSettings>;
        for (const [key, flag] of GOAL_FLAGS) {
          const value = fromFlags[key];
          if (value !== undefined) fromFlags[key] = readGoalArgument(value, process.cwd(), flag);
        }
        const settings = resolveSettings(file, fromFlags);
        result = await startRun(
          settings,
          { choice: kernels, threads: flags.threads },
          io.env,
          hooks,
          flags.config,
        ).catch((err: unknown) => {
          throw (
            modelTooLarge(err, settings.model ? null : settings.hidden) ??
            goalOrigin(err, given, flags.config)
          );
        });
      }
    } finally {
      process.off("SIGINT", onSigint);
      progress.finish();
    }

    const summary = summarize(result);
    io.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : summaryText(summary));
    if (result.stopped) {
      io.stderr.write(
        `interrupted at epoch ${result.completed}; resume with: infomorph train --resume ${result.folder.dir}\n`,
      );
      // Command.run is typed Promise<void>; main.ts must pass this code on (see EXIT_INTERRUPTED).
      return EXIT_INTERRUPTED;
    }
  },
});

/**
 * A network that does not fit in memory, in the words of the command line, or null for any
 * other error. The WebAssembly kernels hold every buffer in at most 1 GiB and say
 * "kernels/out-of-memory"; the TypeScript kernels meet the engine's limit on a typed array,
 * which createModel reports as "model/too-large".
 */
export function modelTooLarge(error: unknown, hidden: number | null): InfomorphError | null {
  const wasmFull = error instanceof InfomorphError && error.code === "kernels/out-of-memory";
  const tooLong =
    (error instanceof InfomorphError && error.code === "model/too-large") ||
    (error instanceof RangeError && /array (buffer )?(length|allocation)/i.test(error.message));
  if (!wasmFull && !tooLong) return null;
  const what = hidden === null ? "the model in the config file" : `--hidden ${hidden}`;
  return new InfomorphError({
    code: "train/model-too-large",
    path: ["hidden"],
    message: `${what} does not fit in memory: its weights, optimizer moments and batch buffers need more than the kernels can hold (${wasmFull ? "the WebAssembly kernels have 1 GiB" : "the JavaScript engine could not allocate them"}). Use fewer hidden neurons: the papers' networks have 100 to 2000 (--preset trivariate-sparse --hidden 2000 fits).`,
  });
}

/** The settings that hold a layer's goal, with their flags. */
const GOAL_FLAGS = [
  ["goal", "--goal"],
  ["outputGoal", "--output-goal"],
] as const;

/** A bad goal's error, prefixed with where the goal was given (the flag, or the config file's key). */
function goalOrigin(err: unknown, given: ReadonlySet<string>, configFile?: string): unknown {
  if (!(err instanceof InfomorphError)) return err;
  const entry = GOAL_FLAGS.find(([key]) => err.path[0] === key);
  if (!entry) return err;
  const [key, flag] = entry;
  const origin = given.has(flag.slice(2)) ? flag : `${configFile}: ${key}`;
  return new InfomorphError({
    code: err.code,
    path: err.path,
    message: `${origin}: ${err.message}`,
  });
}

/** Per-epoch progress on stderr: a live bar on a terminal, else one plain line per epoch. */
class Progress {
  private bar: ProgressBar | null = null;
  private suffix = "";
  private epochs = 0;
  private loss = false;

  constructor(private readonly stream: OutStream) {}

  start(info: {
    folder: RunFolder;
    startEpoch: number;
    epochs: number;
    resumed: boolean;
    kernels: string;
    threads: number;
  }): void {
    this.epochs = info.epochs;
    this.loss = info.folder.config.model.kind === "backprop";
    const { config } = info.folder;
    const what = `${config.preset}, ${config.hidden} hidden, ${config.data.dataset} (${config.data.counts.train}/${config.data.counts.validation}/${config.data.counts.test}), batch ${config.training.batchSize}, seed ${config.training.seed}, ${info.kernels} kernels on ${info.threads} thread${info.threads === 1 ? "" : "s"}`;
    if (info.resumed) {
      this.stream.write(
        info.startEpoch >= info.epochs
          ? `run ${info.folder.dir} already has ${info.startEpoch} of ${info.epochs} epochs; give --epochs N to extend it.\n`
          : `resuming ${info.folder.dir} at epoch ${info.startEpoch + 1}/${info.epochs}: ${what}\n`,
      );
    } else {
      this.stream.write(`training into ${info.folder.dir}: ${what}\n`);
    }
  }

  batch(
    epoch: number,
    batch: number,
    batches: number,
    accuracy: number,
    goals: readonly number[],
  ): void {
    if (!this.stream.isTTY) return;
    this.suffix = `  acc ${percent(accuracy)}  ${this.goalLabel()} ${goals.map(fixed3).join(", ")}`;
    if (!this.bar) {
      const stream = this.stream;
      this.bar = progressBar(batches, `epoch ${epoch}/${this.epochs}`, {
        isTTY: true,
        columns: stream.columns,
        write: (text: string) => stream.write(`${text}${this.suffix}\x1b[K`),
      });
    }
    this.bar.update(batch);
  }

  epoch(record: {
    epoch: number;
    train: { accuracy: number; goals: readonly number[] };
    validation: { accuracy: number };
    test: { accuracy: number } | null;
    seconds: { train: number; evaluate: number };
  }): void {
    const line = [
      `epoch ${record.epoch}/${this.epochs}`,
      `train ${percent(record.train.accuracy)}`,
      `val ${percent(record.validation.accuracy)}`,
      ...(record.test ? [`test ${percent(record.test.accuracy)}`] : []),
      `${this.goalLabel()} ${record.train.goals.map(fixed3).join(", ")}`,
      `${(record.seconds.train + record.seconds.evaluate).toFixed(1)} s`,
    ].join("  ");
    this.stream.write(this.stream.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
    this.bar = null;
  }

  finish(): void {
    if (this.bar && this.stream.isTTY) this.stream.write("\n");
    this.bar = null;
  }

  private goalLabel(): string {
    return this.loss ? "loss" : "goal";
  }
}

function downloadBars(stream: OutStream): SessionHooks["onDownloadProgress"] {
  const bars = new Map<string, ProgressBar>();
  return (name, received, total) => {
    if (total === null) return;
    let bar = bars.get(name);
    if (!bar) {
      bar = progressBar(total, `downloading ${name}`, stream);
      bars.set(name, bar);
    }
    bar.update(received);
    if (received >= total) bar.done();
  };
}

/** The run's results, from its metrics.jsonl (so a resumed run reports all its epochs). */
export interface TrainSummary {
  run: string;
  preset: string;
  dataset: string;
  kernels: string;
  /** Threads the kernels ran on (the results do not depend on it). */
  threads: number;
  epochs: {
    epoch: number;
    train: number;
    validation: number;
    test: number | null;
    goals: number[];
    seconds: number;
  }[];
  completed: number;
  target: number;
  interrupted: boolean;
  bestValidation: { epoch: number; accuracy: number } | null;
  finalTest: { epoch: number; accuracy: number } | null;
  secondsPerEpoch: { train: number; evaluate: number } | null;
  /** Peak resident set size of this process, bytes. */
  peakRssBytes: number;
}

export function summarize(result: SessionResult): TrainSummary {
  const lines = result.folder.readMetrics();
  const byEpoch = new Map<number, Partial<Record<MetricLine["split"], MetricLine>>>();
  for (const line of lines) {
    const entry = byEpoch.get(line.epoch) ?? {};
    entry[line.split] = line;
    byEpoch.set(line.epoch, entry);
  }
  const epochs = [...byEpoch.entries()]
    .sort(([a], [b]) => a - b)
    .map(([epoch, e]) => ({
      epoch,
      train: e.train?.accuracy ?? Number.NaN,
      validation: e.validation?.accuracy ?? Number.NaN,
      test: e.test?.accuracy ?? null,
      goals: e.train?.goals ?? [],
      seconds: (e.train?.seconds.train ?? 0) + (e.train?.seconds.evaluate ?? 0),
    }));
  let best: TrainSummary["bestValidation"] = null;
  for (const e of epochs) {
    if (!best || e.validation > best.accuracy) best = { epoch: e.epoch, accuracy: e.validation };
  }
  const last = epochs.at(-1);
  const trainLines = lines.filter((l) => l.split === "train");
  const mean = (f: (l: MetricLine) => number) =>
    trainLines.reduce((s, l) => s + f(l), 0) / trainLines.length;
  const { config } = result.folder;
  return {
    run: result.folder.dir,
    preset: config.preset,
    dataset: config.data.dataset,
    kernels: result.kernels,
    threads: result.threads,
    epochs,
    completed: result.completed,
    target: result.epochs,
    interrupted: result.stopped,
    bestValidation: best,
    finalTest: last && last.test !== null ? { epoch: last.epoch, accuracy: last.test } : null,
    secondsPerEpoch:
      trainLines.length > 0
        ? { train: mean((l) => l.seconds.train), evaluate: mean((l) => l.seconds.evaluate) }
        : null,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

export function summaryText(s: TrainSummary): string {
  const rows = [
    ["epoch", "train", "val", "test", "seconds"],
    ...s.epochs.map((e) => [
      String(e.epoch),
      percent(e.train),
      percent(e.validation),
      e.test === null ? "-" : percent(e.test),
      e.seconds.toFixed(1),
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const table = rows.map((row) => row.map((cell, c) => cell.padStart(widths[c])).join("  "));
  const facts: [string, string][] = [
    ["run", s.run],
    [
      "best validation",
      s.bestValidation
        ? `${percent(s.bestValidation.accuracy)} at epoch ${s.bestValidation.epoch}`
        : "-",
    ],
    [
      "test (last epoch)",
      s.finalTest ? `${percent(s.finalTest.accuracy)} at epoch ${s.finalTest.epoch}` : "-",
    ],
    [
      "seconds per epoch",
      s.secondsPerEpoch
        ? `${(s.secondsPerEpoch.train + s.secondsPerEpoch.evaluate).toFixed(2)} (train ${s.secondsPerEpoch.train.toFixed(2)}, evaluate ${s.secondsPerEpoch.evaluate.toFixed(2)})`
        : "-",
    ],
    ["peak RSS", `${Math.round(s.peakRssBytes / 2 ** 20)} MiB`],
  ];
  const labelWidth = Math.max(...facts.map(([label]) => label.length)) + 2;
  return [
    ...table,
    "",
    ...facts.map(([label, value]) => `${label.padEnd(labelWidth)}${value}`),
    "",
  ].join("\n");
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function fixed3(x: number): string {
  return x.toFixed(3);
}
