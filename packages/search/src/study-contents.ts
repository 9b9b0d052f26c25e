/** Everything a report shows of a study, read from its folder (here) or its database (postgres/read.ts), without taking its lock. */

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { tailMetrics } from "@infomorph/runs";
import { samplerRecommendation } from "./recommendation.js";
import type { StudyConfig } from "./study-config.js";
import { readStudyFolder, trialDir } from "./study-folder.js";
import { type TrialSummary, trialSummaries } from "./trials.js";

/** Validation accuracy per epoch (epoch 1 first) of one seed of a trial. */
export interface SeedCurve {
  readonly seed: number;
  readonly validation: readonly number[];
}

export interface StudyContents {
  readonly config: StudyConfig;
  /** Where the study lives, as shown to people: a folder, or "study NAME in postgres://user:***@host/db". */
  readonly source: string;
  readonly trials: readonly TrialSummary[];
  /** The learning curves of each trial's seeds that reached a run folder or the database. */
  readonly curves: ReadonlyMap<number, readonly SeedCurve[]>;
  /** The sampler's own pick after the log (CMA-ES: its distribution's mean), else null. */
  readonly recommended: Readonly<Record<string, number>> | null;
}

/** A study folder's contents, as of now (a coordinator may be writing it). */
export function readFolderStudy(dir: string): StudyContents {
  const { config, records } = readStudyFolder(dir);
  const trials = trialSummaries(records);
  const curves = new Map<number, SeedCurve[]>();
  for (const t of trials) {
    const folder = trialDir(dir, t.id);
    if (!existsSync(folder)) continue;
    const seeds: SeedCurve[] = [];
    for (const seed of config.trial.seeds) {
      const run = join(folder, `s${seed}`);
      if (!existsSync(join(run, "metrics.jsonl"))) continue;
      // Every complete line; after a crash an epoch may repeat, and the last one counts.
      const validation: number[] = [];
      for (const line of tailMetrics(run).lines)
        if (line.split === "validation") validation[line.epoch - 1] = line.accuracy;
      seeds.push({ seed, validation });
    }
    if (seeds.length > 0) curves.set(t.id, seeds);
  }
  return {
    config,
    source: dir,
    trials,
    curves,
    recommended: samplerRecommendation(config, records),
  };
}

/** Whether `dir` looks like a study folder (for commands that take a folder or a database name). */
export function isStudyFolder(dir: string): boolean {
  return existsSync(join(dir, "study.json")) && readdirSync(dir).includes("trials.jsonl");
}
