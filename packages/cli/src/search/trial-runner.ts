/**
 * The CLI's TrialRunner: a trial's seeds trained as ordinary run folders (`s<seed>` under the
 * trial's folder) with the same training sessions as `infomorph train`, the datasets cached in
 * the process. A seed whose folder holds a checkpoint is resumed (or, when it has every epoch,
 * only read), so an interrupted trial continues where it stopped.
 */

import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { InfomorphError, goal, parseGoal } from "@infomorph/core";
import { CONFIG_FILE, type MetricLine, readJsonFile, validateRunConfig } from "@infomorph/runs";
import {
  type SeedResult,
  type TrialHooks,
  type TrialJob,
  type TrialOutcome,
  type TrialRunner,
  seedObjective,
  trialOutcome,
} from "@infomorph/search";
import type { TrainSettings } from "../cli/settings.js";
import type { DatasetSplits } from "../data/dataset.js";
import type { DatasetSpec } from "../data/registry.js";
import {
  type KernelChoice,
  type SessionHooks,
  type SessionResult,
  resumeRun,
  startRun,
} from "../training/session.js";
import { cachedDatasetLoader } from "./dataset-cache.js";

export interface TrialRunnerOptions {
  readonly kernels: KernelChoice;
  /** Threads per training (default 1: a study runs one trial per core). */
  readonly threads: number;
  /** A data folder that replaces the trial's (a database worker's own --data-dir). */
  readonly dataDir?: string;
  readonly env: NodeJS.ProcessEnv;
}

export class CliTrialRunner implements TrialRunner {
  private readonly loadDataset: (spec: DatasetSpec) => Promise<DatasetSplits>;

  constructor(private readonly options: TrialRunnerOptions) {
    this.loadDataset = cachedDatasetLoader();
  }

  async run(job: TrialJob, dir: string, hooks: TrialHooks = {}): Promise<TrialOutcome | null> {
    const seeds: SeedResult[] = [];
    for (const seed of job.settings.seeds) {
      const result = await this.runSeed(job, seed, join(dir, `s${seed}`), hooks);
      if (result === null) return null;
      seeds.push(result);
      await hooks.onSeed?.(result);
    }
    return trialOutcome(seeds);
  }

  private async runSeed(
    job: TrialJob,
    seed: number,
    runDir: string,
    hooks: TrialHooks,
  ): Promise<SeedResult | null> {
    const started = performance.now();
    const { settings } = job;
    const sessionHooks: SessionHooks = {
      loadDataset: this.loadDataset,
      shouldStop: hooks.shouldStop,
      onEpoch: (record) => {
        void hooks.onEpoch?.({
          seed,
          epoch: record.epoch,
          epochs: settings.epochs,
          train: record.train.accuracy,
          validation: record.validation.accuracy,
          test: record.test?.accuracy ?? null,
          goals: record.train.goals,
          seconds: record.seconds.train + record.seconds.evaluate,
        });
      },
    };
    const kernels = { choice: this.options.kernels, threads: this.options.threads };
    const dataDir = this.options.dataDir ?? settings.dataDir ?? undefined;
    let result: SessionResult | null = null;
    if (existsSync(join(runDir, CONFIG_FILE))) {
      checkSameTrial(runDir, job, seed);
      try {
        result = await resumeRun(
          runDir,
          {
            epochs: settings.epochs,
            kernels: this.options.kernels,
            threads: this.options.threads,
            dataDir,
          },
          this.options.env,
          sessionHooks,
        );
      } catch (err) {
        // A crash between creating the folder and its first checkpoint: start the seed again.
        if (!(err instanceof InfomorphError && err.code === "run/no-checkpoint")) throw err;
        rmSync(runDir, { recursive: true, force: true });
      }
    }
    if (result === null) {
      const train: TrainSettings = {
        preset: settings.preset,
        hidden: settings.hidden,
        epochs: settings.epochs,
        batchSize: settings.batchSize,
        seed,
        dataset: settings.dataset,
        dataDir,
        out: runDir,
        trainSamples: settings.trainSamples ?? undefined,
        goal: { ...job.params },
      };
      result = await startRun(train, kernels, this.options.env, sessionHooks);
    }
    if (result.stopped) return null;
    return seedResult(result.folder.readMetrics(), job, seed, (performance.now() - started) / 1000);
  }
}

/** A finished seed's objective (validation at the last or best epoch) and the test accuracy at that epoch. */
function seedResult(
  lines: readonly MetricLine[],
  job: TrialJob,
  seed: number,
  seconds: number,
): SeedResult {
  const byEpoch = (split: MetricLine["split"]) => {
    const values: number[] = [];
    for (const l of lines) if (l.split === split) values[l.epoch - 1] = l.accuracy;
    return values;
  };
  const validation = byEpoch("validation");
  const { value, epoch } = seedObjective(validation, job.objective.epoch);
  return { seed, value, epoch, test: byEpoch("test")[epoch - 1] ?? null, seconds };
}

/** Refuse a run folder that holds another training than this trial's seed (a folder reused by hand). */
function checkSameTrial(runDir: string, job: TrialJob, seed: number): void {
  const path = join(runDir, CONFIG_FILE);
  const config = validateRunConfig(
    readJsonFile(path, "run/bad-json", "Remove the folder to run the trial again."),
    path,
  );
  const { settings } = job;
  const layer = { sources: job.sources.length, classNames: job.sources };
  const hiddenGoal = config.model.kind === "infomorphic" ? config.model.hidden?.goal : undefined;
  const same =
    config.preset === settings.preset &&
    config.hidden === settings.hidden &&
    config.data.dataset === settings.dataset &&
    config.training.seed === seed &&
    config.training.batchSize === settings.batchSize &&
    config.training.trainSamples === settings.trainSamples &&
    hiddenGoal !== undefined &&
    String(parseGoal(hiddenGoal, layer).gamma) === String(goal(job.params, layer).gamma);
  if (!same) {
    throw new InfomorphError({
      code: "study/foreign-run",
      path: [runDir],
      message: `${runDir} holds a run of other settings than trial ${job.trial} (seed ${seed}) of study ${job.study}; it was changed by hand. Remove it to run the trial again.`,
    });
  }
}
