/**
 * The run folder of a memory experiment (`infomorph memory`):
 *
 *   config.json     {format, kind: "memory", version, created, experiment}; atomic
 *   results.jsonl   one line per finished task (rule, seed, load): recall scores, cues, epochs,
 *                   seconds, and where its atoms are in atoms.f32; append-only
 *   atoms.f32       float32 little-endian, appended per task: the recall atoms [neuron × 5], then
 *                   (infomorphic) the goal atoms [neuron × 5]
 *   summary.json    α_c per rule (the run's criterion), the storage curves, progress; atomic
 *   results.csv     the results lines as a table (one row per task), for spreadsheets; atomic
 *   writer.lock     the one process writing the folder (lock.ts)
 *
 * A task appends its atoms, then its results line. A crash can leave a torn last line or atoms
 * past the last line; opening the folder to resume cuts both off, so a task is either recorded
 * whole or run again. Readers (the report) read the whole lines only.
 */

import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import {
  InfomorphError,
  MEMORY_ATOM_NAMES,
  type MemoryExperimentConfig,
  type MemoryTaskResult,
  capacities,
  experimentToJSON,
  fromLittleEndian,
  littleEndianBytes,
  resolveMemoryExperiment,
  storageCurves,
  taskKey,
} from "@infomorph/core";
import { appendDurable, fileSize, truncateTo, writeFileAtomic } from "./files.js";
import { readJsonFile } from "./json-file.js";
import { FILE_START, readJsonLines } from "./lines.js";
import { RunLock, claimNewRunFolder } from "./lock.js";

export const MEMORY_CONFIG_FILE = "config.json";
export const MEMORY_RESULTS_FILE = "results.jsonl";
export const MEMORY_ATOMS_FILE = "atoms.f32";
export const MEMORY_SUMMARY_FILE = "summary.json";
export const MEMORY_TABLE_FILE = "results.csv";

/** Where one task's atoms are in atoms.f32, in float32 values. */
export interface AtomsRef {
  offset: number;
  length: number;
}

/** One line of results.jsonl: a task result with its atoms stored in atoms.f32. */
export type ResultLine = Omit<MemoryTaskResult, "atoms" | "goalAtoms"> & {
  atoms: AtomsRef;
  goalAtoms: AtomsRef | null;
};

/** config.json of a memory run. */
export interface MemoryRunConfig {
  format: 1;
  kind: "memory";
  version: string;
  created: string;
  /** The experiment as experimentToJSON() writes it. */
  experiment: ReturnType<typeof experimentToJSON>;
}

/** A memory run folder, open for writing by this process (it holds the lock). */
export class MemoryRunFolder {
  private lines: ResultLine[];
  private atomValues: number;

  private constructor(
    readonly dir: string,
    readonly config: MemoryRunConfig,
    readonly experiment: MemoryExperimentConfig,
    lines: ResultLine[],
    private readonly lock: RunLock,
  ) {
    this.lines = lines;
    this.atomValues = lines.reduce(
      (end, l) => Math.max(end, refEnd(l.atoms), l.goalAtoms ? refEnd(l.goalAtoms) : 0),
      0,
    );
  }

  /**
   * Start a run in `dir` (created; must be empty or absent) and take its lock. Throws
   * "run/in-use" while another process writes there, "run/exists" when it holds anything else.
   */
  static create(dir: string, experiment: MemoryExperimentConfig, version: string): MemoryRunFolder {
    const lock = claimNewRunFolder(dir, MEMORY_CONFIG_FILE);
    try {
      const config: MemoryRunConfig = {
        format: 1,
        kind: "memory",
        version,
        created: new Date().toISOString(),
        experiment: experimentToJSON(experiment),
      };
      writeFileAtomic(join(dir, MEMORY_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
      writeFileAtomic(join(dir, MEMORY_RESULTS_FILE), "");
      writeFileAtomic(join(dir, MEMORY_ATOMS_FILE), new Uint8Array(0));
      const folder = new MemoryRunFolder(dir, config, experiment, [], lock);
      folder.writeSummary(0);
      return folder;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /**
   * Open a run to continue it: take the lock, read and validate config.json (the same
   * resolveMemoryExperiment as a new run), keep the whole results lines and cut off a torn
   * tail and atoms past the last line.
   */
  static resume(dir: string): MemoryRunFolder {
    const config = readMemoryConfig(dir);
    const lock = RunLock.acquire(dir);
    try {
      const experiment = resolveMemoryExperiment(config.experiment);
      const { lines, bytes } = readResultLines(dir);
      truncateTo(join(dir, MEMORY_RESULTS_FILE), bytes);
      const folder = new MemoryRunFolder(dir, config, experiment, lines, lock);
      const atomsBytes = 4 * folder.atomValues;
      if (fileSize(join(dir, MEMORY_ATOMS_FILE)) < atomsBytes) {
        throw new InfomorphError({
          code: "run/truncated",
          path: [join(dir, MEMORY_ATOMS_FILE)],
          message: `${join(dir, MEMORY_ATOMS_FILE)} is shorter than ${MEMORY_RESULTS_FILE} says (${atomsBytes} bytes); the folder was changed. Start a new run.`,
        });
      }
      truncateTo(join(dir, MEMORY_ATOMS_FILE), atomsBytes);
      return folder;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** The finished tasks, in the order they finished. */
  results(): readonly ResultLine[] {
    return this.lines;
  }

  /** Keys (taskKey) of the finished tasks. */
  doneKeys(): Set<string> {
    return new Set(this.lines.map(taskKey));
  }

  /** Record a finished task: its atoms, then its line, then the summary. */
  append(result: MemoryTaskResult, elapsedSeconds: number): ResultLine {
    const { atoms, goalAtoms, ...rest } = result;
    const atomsRef = { offset: this.atomValues, length: atoms.length };
    const goalRef = goalAtoms ? { offset: refEnd(atomsRef), length: goalAtoms.length } : null;
    const values = new Float32Array(atoms.length + (goalAtoms?.length ?? 0));
    values.set(atoms);
    if (goalAtoms) values.set(goalAtoms, atoms.length);
    appendDurable(join(this.dir, MEMORY_ATOMS_FILE), littleEndianBytes(values));
    const line: ResultLine = { ...rest, atoms: atomsRef, goalAtoms: goalRef };
    appendDurable(join(this.dir, MEMORY_RESULTS_FILE), `${JSON.stringify(line)}\n`);
    this.atomValues += values.length;
    this.lines.push(line);
    this.writeSummary(elapsedSeconds);
    return line;
  }

  /** Rewrite summary.json and results.csv from the results so far. */
  writeSummary(elapsedSeconds: number): void {
    writeFileAtomic(
      join(this.dir, MEMORY_SUMMARY_FILE),
      `${JSON.stringify(memorySummary(this.experiment, this.lines, elapsedSeconds), null, 2)}\n`,
    );
    writeFileAtomic(join(this.dir, MEMORY_TABLE_FILE), resultsTable(this.experiment, this.lines));
  }

  /** Give up the lock (at the end of the command, also after an error). */
  close(): void {
    this.lock.release();
  }
}

/** summary.json. */
export function memorySummary(
  experiment: MemoryExperimentConfig,
  lines: readonly ResultLine[],
  elapsedSeconds: number,
) {
  const { threshold } = experiment;
  return {
    neurons: experiment.neurons,
    criterion: experiment.criterion,
    threshold,
    tasksDone: lines.length,
    secondsThisSession: elapsedSeconds,
    secondsOfTasks: lines.reduce((s, l) => s + l.seconds, 0),
    // only under the run's own criterion: the infomorphic rule stops training by it
    capacity: capacities(lines, experiment.criterion, threshold),
    curves: storageCurves(lines),
    atomNames: MEMORY_ATOM_NAMES,
  };
}

/**
 * results.csv: one row per task, sorted by rule, seed and load: the recall scores from the
 * patterns and from each cue-noise level, whether the load counts as stored, epochs, seconds.
 */
export function resultsTable(
  experiment: MemoryExperimentConfig,
  lines: readonly ResultLine[],
): string {
  const noises = experiment.cueNoise;
  const header = [
    "rule",
    "seed",
    "neurons",
    "patterns",
    "load",
    "stored",
    "mean_cosine",
    "stored_fraction",
    "fixed_point_fraction",
    ...noises.flatMap((f) => [`cue${f}_stored_fraction`, `cue${f}_mean_cosine`]),
    "epochs",
    "seconds",
  ];
  const sorted = [...lines].sort(
    (a, b) =>
      experiment.rules.indexOf(a.rule) - experiment.rules.indexOf(b.rule) ||
      a.seed - b.seed ||
      a.patterns - b.patterns,
  );
  const rows = sorted.map((l) => [
    l.rule,
    l.seed,
    l.neurons,
    l.patterns,
    l.patterns / l.neurons,
    l.stored ? 1 : 0,
    l.recall.meanCosine,
    l.recall.storedFraction,
    l.recall.fixedPointFraction,
    ...l.cues.flatMap((c) => [c.storedFraction, c.meanCosine]),
    l.epochs ?? "",
    Number(l.seconds.toFixed(3)),
  ]);
  return [header, ...rows].map((r) => r.join(",")).join("\n") + "\n";
}

/** Read a memory run's config.json (for resume and reports); throws "run/not-found" or "run/bad-config". */
export function readMemoryConfig(dir: string): MemoryRunConfig {
  const path = join(dir, MEMORY_CONFIG_FILE);
  if (!existsSync(path)) {
    throw new InfomorphError({
      code: "run/not-found",
      path: [dir],
      message: existsSync(dir)
        ? `${dir} holds no ${MEMORY_CONFIG_FILE}, so it is not a run folder. Give the folder 'infomorph memory' printed.`
        : `run folder ${dir} does not exist. Give the folder 'infomorph memory' printed.`,
    });
  }
  const c = readJsonFile(
    path,
    "run/bad-config",
    "Give a folder that 'infomorph memory' wrote.",
  ) as Partial<MemoryRunConfig> | null;
  if (c?.kind !== "memory" || c.format !== 1 || typeof c.experiment !== "object") {
    throw new InfomorphError({
      code: "run/bad-config",
      path: [path],
      message: `${path} is not the config of a memory run: ${c && "kind" in c ? `it is a "${String(c.kind)}" run` : "it is not a memory run"}. Give a folder that 'infomorph memory' wrote.`,
    });
  }
  return c as MemoryRunConfig;
}

/**
 * The whole lines of results.jsonl and the bytes they take; a torn last line (no "\n" yet)
 * is left out. A damaged line throws "run/corrupt-file" naming the file and line.
 */
export function readResultLines(dir: string): { lines: ResultLine[]; bytes: number } {
  const path = join(dir, MEMORY_RESULTS_FILE);
  if (!existsSync(path)) return { lines: [], bytes: 0 };
  const { records, cursor } = readJsonLines<ResultLine>(path, FILE_START, checkResultLine);
  return { lines: records, bytes: cursor.offset };
}

/** A results line has a rule, seed, patterns, neurons, recall scores and an atoms reference. */
function checkResultLine(value: unknown): string | null {
  const l = value as Partial<ResultLine> | null;
  if (typeof l !== "object" || l === null) return "not an object";
  for (const key of ["seed", "patterns", "neurons", "seconds"] as const) {
    if (typeof l[key] !== "number") return `${key} must be a number`;
  }
  if (typeof l.rule !== "string") return "rule must be a string";
  if (typeof l.recall?.meanCosine !== "number") return "recall must hold the scores";
  if (typeof l.atoms?.offset !== "number") return "atoms must give an offset";
  return null;
}

/** The float32 atoms of one task, read from atoms.f32. */
export function readAtoms(dir: string, ref: AtomsRef): Float32Array {
  const fd = openSync(join(dir, MEMORY_ATOMS_FILE), "r");
  try {
    const bytes = new Uint8Array(4 * ref.length);
    readSync(fd, bytes, 0, bytes.length, 4 * ref.offset);
    return fromLittleEndian("float32", bytes) as Float32Array;
  } finally {
    closeSync(fd);
  }
}

function refEnd(ref: AtomsRef): number {
  return ref.offset + ref.length;
}
