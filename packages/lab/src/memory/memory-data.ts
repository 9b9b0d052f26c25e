/** The numbers of a memory run's report, gathered in Node from its folder: α_c per rule, the storage and basin curves over loads, and each rule's atoms over loads (mean and spread over neurons and seeds). */

import {
  MEMORY_ATOM_NAMES,
  MEMORY_ATOM_STRIDE,
  MEMORY_CLASS_NAMES,
  type RuleCapacity,
  atomTrajectories,
  capacities,
  lattice,
  resolveMemoryExperiment,
  storageCurves,
} from "@infomorph/core";
import {
  type MemoryRunConfig,
  type ResultLine,
  readAtoms,
  readMemoryConfig,
  readResultLines,
} from "@infomorph/runs";

/** One rule's curves over the loads it ran, index k = loads[k]. */
export interface MemoryRuleCurves {
  rule: string;
  loads: number[];
  seeds: number[];
  /** Stored fraction from the patterns: mean, min and max over seeds. */
  stored: { mean: number[]; min: number[]; max: number[] };
  meanCosine: number[];
  /** Stored fraction from cues with `noise` of the bits flipped, mean over seeds. */
  cues: { noise: number; stored: number[] }[];
  /** Recall atoms per load, [load × 5]: mean, median and 10 % / 90 % quantiles over neurons and seeds. */
  atoms: AtomBands;
  /** The infomorphic rule's goal atoms, as atoms; null for the other rules. */
  goalAtoms: AtomBands | null;
}

export interface AtomBands {
  mean: Float32Array;
  median: Float32Array;
  q10: Float32Array;
  q90: Float32Array;
}

export interface MemoryReportData {
  header: {
    version: string;
    created: string;
    neurons: number;
    rules: string[];
    seeds: number[];
    loads: { count: number; min: number; max: number };
    cueNoise: number[];
    criterion: string;
    threshold: number;
    tasks: { done: number; total: number };
    secondsOfTasks: number;
  };
  capacity: RuleCapacity[];
  rules: MemoryRuleCurves[];
  /** The stored values per neuron: the four atoms in canonical order, then H_res. */
  atomNames: readonly string[];
  /** The same as aliases over the memory classes (F = pattern bit, C = recurrent field). */
  atomAliases: string[];
  config: MemoryRunConfig;
}

/**
 * What the lab's page gets of a memory run (html.ts embeds it): the report's numbers, the
 * run's name, and `view`, which tells the page to open its memory view rather than a
 * training run's (page/src/app/app.ts).
 */
export interface MemoryPayload extends MemoryReportData {
  view: "memory";
  name: string;
}

/** Whether `dir` holds a memory run (its config.json says kind "memory"). */
export function isMemoryRun(dir: string): boolean {
  try {
    readMemoryConfig(dir);
    return true;
  } catch {
    return false;
  }
}

/** Gather the report of the memory run in `dir` from its whole results lines. */
export function memoryReportData(dir: string): MemoryReportData {
  const config = readMemoryConfig(dir);
  const experiment = resolveMemoryExperiment(config.experiment);
  const { lines } = readResultLines(dir);
  const lat = lattice(2);
  const tasks = experiment.rules.length * experiment.seeds.length * experiment.loads.length;
  return {
    header: {
      version: config.version,
      created: config.created,
      neurons: experiment.neurons,
      rules: experiment.rules,
      seeds: experiment.seeds,
      loads: {
        count: experiment.loads.length,
        min: experiment.loads[0],
        max: experiment.loads[experiment.loads.length - 1],
      },
      cueNoise: experiment.cueNoise,
      criterion: experiment.criterion,
      threshold: experiment.threshold,
      tasks: { done: lines.length, total: tasks },
      secondsOfTasks: lines.reduce((s, l) => s + l.seconds, 0),
    },
    capacity: capacities(lines, experiment.criterion, experiment.threshold),
    rules: experiment.rules
      .map((rule) =>
        ruleCurves(
          dir,
          rule,
          lines.filter((l) => l.rule === rule),
        ),
      )
      .filter((r) => r.loads.length > 0),
    atomNames: MEMORY_ATOM_NAMES,
    atomAliases: [...lat.antichains.map((a) => lat.alias(a.index, MEMORY_CLASS_NAMES)), "H_res"],
    config,
  };
}

function ruleCurves(dir: string, rule: string, lines: readonly ResultLine[]): MemoryRuleCurves {
  const curves = storageCurves(lines);
  const byCount = new Map<number, ResultLine[]>();
  for (const l of lines) byCount.set(l.patterns, [...(byCount.get(l.patterns) ?? []), l]);
  const counts = [...byCount.keys()].sort((a, b) => a - b);
  const at = (count: number) => byCount.get(count)!;
  const noises = lines[0]?.cues.map((c) => c.noise) ?? [];
  const hasGoal = lines.some((l) => l.goalAtoms !== null);
  return {
    rule,
    loads: curves.map((c) => c.load),
    seeds: [...new Set(lines.map((l) => l.seed))].sort((a, b) => a - b),
    stored: {
      mean: curves.map((c) => c.storedFraction),
      min: counts.map((n) => Math.min(...at(n).map((l) => l.recall.storedFraction))),
      max: counts.map((n) => Math.max(...at(n).map((l) => l.recall.storedFraction))),
    },
    meanCosine: curves.map((c) => c.meanCosine),
    cues: noises.map((noise, k) => ({
      noise,
      stored: curves.map((c) => c.cues[k].storedFraction),
    })),
    atoms: atomBands(
      dir,
      counts.map((n) => at(n).map((l) => l.atoms)),
    ),
    goalAtoms: hasGoal
      ? atomBands(
          dir,
          counts.map((n) => at(n).flatMap((l) => (l.goalAtoms ? [l.goalAtoms] : []))),
        )
      : null,
  };
}

/**
 * Per load (one list of atom references each), the mean, median and 10/90 % quantiles of each
 * value over every neuron of every task at that load (analysis/trajectories.ts, one "epoch" per
 * load: seeds may differ between loads while a run is under way).
 */
function atomBands(dir: string, perLoad: { offset: number; length: number }[][]): AtomBands {
  const V = MEMORY_ATOM_STRIDE;
  const bands: AtomBands = {
    mean: new Float32Array(perLoad.length * V),
    median: new Float32Array(perLoad.length * V),
    q10: new Float32Array(perLoad.length * V),
    q90: new Float32Array(perLoad.length * V),
  };
  perLoad.forEach((refs, k) => {
    const tasks = refs.map((ref) => readAtoms(dir, ref));
    const values = new Float64Array(tasks.reduce((n, t) => n + t.length, 0));
    let at = 0;
    for (const t of tasks) {
      values.set(t, at);
      at += t.length;
    }
    const band = atomTrajectories([values], { values: V });
    bands.mean.set(band.mean, k * V);
    bands.median.set(band.median, k * V);
    bands.q10.set(band.q10, k * V);
    bands.q90.set(band.q90, k * V);
  });
  return bands;
}
