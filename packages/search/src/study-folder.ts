/**
 * A study kept in a folder (the embedded default, no server):
 *
 *   study.json            the resolved study config; written once, atomically
 *   trials.jsonl          the trial log (trial-log.ts): asks, attempts, failures, tells
 *   trials/000012/s1/     one run folder per trial and seed (@infomorph/runs)
 *   writer.lock           the coordinator that owns the study (one at a time; a dead one's is taken over)
 *
 * Readers (the report) take no lock.
 */

import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { InfomorphError } from "@infomorph/core";
import { RunLock, isLockFile, readJsonFile, writeFileAtomic } from "@infomorph/runs";
import { type StudyConfig, canonicalJson, checkStoredStudy } from "./study-config.js";
import { type LogRecord, TrialLog, readTrialLog } from "./trial-log.js";

export const STUDY_FILE = "study.json";
export const TRIAL_LOG_FILE = "trials.jsonl";
export const TRIALS_DIR = "trials";

/** The folder of trial `id` in a study folder: trials/000012. */
export function trialDir(studyDir: string, id: number): string {
  return join(studyDir, TRIALS_DIR, String(id).padStart(6, "0"));
}

/** A study folder opened by its coordinator, which holds its lock until close(). */
export class StudyFolder {
  private constructor(
    readonly dir: string,
    private studyConfig: StudyConfig,
    readonly log: TrialLog,
    readonly records: LogRecord[],
    private readonly lock: RunLock,
  ) {}

  /** Start a study in `dir` (created; must be empty). */
  static create(dir: string, config: StudyConfig): StudyFolder {
    mkdirSync(dir, { recursive: true });
    const lock = studyLock(dir);
    try {
      if (readdirSync(dir).some((name) => !isLockFile(name))) {
        throw new InfomorphError({
          code: "study/exists",
          path: [dir],
          message: existsSync(join(dir, STUDY_FILE))
            ? `${dir} already holds a study. Continue it with --resume ${dir}, or choose another --out.`
            : `${dir} is not empty. Choose another --out, or empty the folder.`,
        });
      }
      writeFileAtomic(join(dir, STUDY_FILE), `${JSON.stringify(config, null, 2)}\n`);
      const { log } = TrialLog.open(join(dir, TRIAL_LOG_FILE));
      return new StudyFolder(dir, config, log, [], lock);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Open the study in `dir` to continue it: take its lock, read its config and log (a line cut short by a crash is dropped). */
  static open(dir: string): StudyFolder {
    requireStudyFolder(dir);
    const lock = studyLock(dir);
    try {
      const config = readStudyConfig(dir);
      const { log, records } = TrialLog.open(join(dir, TRIAL_LOG_FILE));
      return new StudyFolder(dir, config, log, records, lock);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  get config(): StudyConfig {
    return this.studyConfig;
  }

  /** Extend (or shorten to no fewer than were asked) the study's number of trials; rewrites study.json. */
  setTrials(trials: number): void {
    const asked = this.records.filter((r) => "ask" in r).length;
    if (!Number.isSafeInteger(trials) || trials < Math.max(1, asked)) {
      throw new InfomorphError({
        code: "usage/bad-value",
        path: ["trials"],
        message: `--trials ${trials} is below the ${asked} trials ${this.dir} has already asked. Give --trials ${Math.max(1, asked)} or more.`,
      });
    }
    if (trials === this.config.trials) return;
    this.studyConfig = { ...this.studyConfig, trials };
    writeFileAtomic(
      join(this.dir, STUDY_FILE),
      `${JSON.stringify(this.config, null, 2)}
`,
    );
  }

  append(record: LogRecord): void {
    this.log.append(record);
    this.records.push(record);
  }

  close(): void {
    this.lock.release();
  }
}

/** The study folder's lock (the run store's writer lock), with a study's words when another coordinator holds it. */
function studyLock(dir: string): RunLock {
  try {
    return RunLock.acquire(dir);
  } catch (err) {
    if (!(err instanceof InfomorphError) || err.code !== "run/in-use") throw err;
    throw new InfomorphError({
      code: "study/in-use",
      path: [dir],
      message: err.message.replace(/^run /, "study "),
    });
  }
}

/** The config in a study folder, checked. */
export function readStudyConfig(dir: string): StudyConfig {
  const path = join(dir, STUDY_FILE);
  const value = readJsonFile(path, "study/bad-json", "Restore the file, or start a new study.");
  return checkStoredStudy(value, path);
}

/** A study folder's config and log, read without a lock (for reports, and while a coordinator runs). */
export function readStudyFolder(dir: string): { config: StudyConfig; records: LogRecord[] } {
  requireStudyFolder(dir);
  return { config: readStudyConfig(dir), records: readTrialLog(join(dir, TRIAL_LOG_FILE)).records };
}

/** Whether `config` is the study `dir` holds (a resume with other settings is refused). */
export function sameStudy(a: StudyConfig, b: StudyConfig): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function requireStudyFolder(dir: string): void {
  if (existsSync(join(dir, STUDY_FILE))) return;
  throw new InfomorphError({
    code: "study/not-found",
    path: [dir],
    message: existsSync(dir)
      ? `${dir} holds no ${STUDY_FILE}, so it is not a study folder. Give the folder 'infomorph search' printed.`
      : `study folder ${dir} does not exist. Give the folder 'infomorph search' printed.`,
  });
}
