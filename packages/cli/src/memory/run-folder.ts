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
 *   lock            the pid of the one process writing the folder
 *
 * A task appends its atoms, then its results line. A crash can leave a torn last line or atoms
 * past the last line; opening the folder to resume cuts both off, so a task is either recorded
 * whole or run again.
 */

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import {
  InfomorphError,
  MEMORY_ATOM_NAMES,
  type MemoryExperimentConfig,
  type MemoryTaskResult,
  capacities,
  experimentToJSON,
  resolveMemoryExperiment,
  storageCurves,
  taskKey,
} from "@infomorph/core";
import { fromLittleEndian, littleEndianBytes } from "../runs/codec.js";
import { appendDurable, fileSize, truncateTo, writeFileAtomic } from "../runs/files.js";

export const MEMORY_CONFIG_FILE = "config.json";
export const MEMORY_RESULTS_FILE = "results.jsonl";
export const MEMORY_ATOMS_FILE = "atoms.f32";
export const MEMORY_SUMMARY_FILE = "summary.json";
export const MEMORY_TABLE_FILE = "results.csv";
export const MEMORY_LOCK_FILE = "lock";

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
  ) {
    this.lines = lines;
    this.atomValues = lines.reduce(
      (end, l) => Math.max(end, refEnd(l.atoms), l.goalAtoms ? refEnd(l.goalAtoms) : 0),
      0,
    );
  }

  /** Start a run in `dir` (created; must be empty or absent) and take its lock. */
  static create(dir: string, experiment: MemoryExperimentConfig, version: string): MemoryRunFolder {
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new InfomorphError({
        code: "run/exists",
        path: [dir],
        message: existsSync(join(dir, MEMORY_CONFIG_FILE))
          ? `${dir} already holds a run. Continue it with --resume ${dir}, or choose another --out.`
          : `${dir} is not empty. Choose another --out, or empty the folder.`,
      });
    }
    mkdirSync(dir, { recursive: true });
    takeLock(dir);
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
    const folder = new MemoryRunFolder(dir, config, experiment, []);
    folder.writeSummary(0);
    return folder;
  }

  /**
   * Open a run to continue it: take the lock, read and validate config.json (the same
   * resolveMemoryExperiment as a new run), keep the whole results lines and cut off a torn
   * tail and atoms past the last line.
   */
  static resume(dir: string): MemoryRunFolder {
    const config = readConfig(dir);
    takeLock(dir);
    try {
      const experiment = resolveMemoryExperiment(config.experiment);
      const { lines, bytes } = readResultLines(dir);
      truncateTo(join(dir, MEMORY_RESULTS_FILE), bytes);
      const folder = new MemoryRunFolder(dir, config, experiment, lines);
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
      releaseLock(dir);
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
    releaseLock(this.dir);
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

/** Read a run's config.json (for resume and reports); throws "run/not-found" or "run/bad-config". */
export function readConfig(dir: string): MemoryRunConfig {
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
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw badConfig(path, `it is not valid JSON (${(err as Error).message})`);
  }
  const c = config as Partial<MemoryRunConfig> | null;
  if (c?.kind !== "memory" || c.format !== 1 || typeof c.experiment !== "object") {
    throw badConfig(
      path,
      c && "kind" in c ? `it is a "${String(c.kind)}" run` : "it is not a memory run",
    );
  }
  return c as MemoryRunConfig;
}

/** The whole lines of results.jsonl and the bytes they take; a torn last line is left out. */
export function readResultLines(dir: string): { lines: ResultLine[]; bytes: number } {
  const path = join(dir, MEMORY_RESULTS_FILE);
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  const lines: ResultLine[] = [];
  let bytes = 0;
  let start = 0;
  for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
    const line = text.slice(start, end);
    try {
      lines.push(JSON.parse(line) as ResultLine);
    } catch {
      break;
    }
    bytes += Buffer.byteLength(line, "utf8") + 1;
    start = end + 1;
  }
  return { lines, bytes };
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

function badConfig(path: string, why: string): InfomorphError {
  return new InfomorphError({
    code: "run/bad-config",
    path: [path],
    message: `${path} is not the config of a memory run: ${why}. Give a folder that 'infomorph memory' wrote.`,
  });
}

/**
 * One writer per folder: create `lock` exclusively with our pid. A lock left by a process
 * that no longer runs (a crash) is taken over; a live one is an error.
 */
function takeLock(dir: string): void {
  const path = join(dir, MEMORY_LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new InfomorphError({
          code: "run/locked",
          path: [dir],
          message: `${dir} is being written by process ${pid}. Wait for it to finish or stop it, then resume.`,
        });
      }
      rmSync(path, { force: true });
    }
  }
}

function releaseLock(dir: string): void {
  const path = join(dir, MEMORY_LOCK_FILE);
  if (existsSync(path) && readFileSync(path, "utf8").trim() === String(process.pid)) {
    rmSync(path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
