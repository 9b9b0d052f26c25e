/**
 * `@infomorph/search`: goal search studies. A study (study-config.ts) is searched by a
 * coordinator (coordinator.ts) that asks a sampler of @infomorph/core, hands each trial to a
 * backend and tells the sampler the results: embedded, a study folder with local worker
 * processes (study-folder.ts, local/); or distributed, PostgreSQL with workers on any machine
 * (postgres/). Trials are ordinary run folders of @infomorph/runs.
 */

export { AsyncQueue } from "./async-queue.js";
export {
  Coordinator,
  type CoordinatorOptions,
  type StudyBackend,
  type StudyProgress,
  type StudyResult,
  type TrialReport,
} from "./coordinator.js";
export { FolderBackend, type FolderBackendOptions } from "./local/folder-backend.js";
export { LocalWorkerPool, type PoolOptions, type PoolReport } from "./local/pool.js";
export type { FromWorker, ToWorker } from "./local/protocol.js";
export { serveLocalWorker } from "./local/serve.js";
export type { EpochProgress, TrialHooks, TrialRunner } from "./runner.js";
export {
  DEFAULT_TRIAL,
  NAMED_DATASETS,
  type Objective,
  type ObjectiveEpoch,
  type StudyConfig,
  type StudyInput,
  TRIAL_LIMITS,
  type TrialSettings,
  canonicalJson,
  checkStoredStudy,
  checkStudyName,
  goalSources,
  resolveStudyConfig,
  studyGoalOptions,
  studySpace,
} from "./study-config.js";
export {
  STUDY_FILE,
  StudyFolder,
  TRIALS_DIR,
  TRIAL_LOG_FILE,
  readStudyConfig,
  readStudyFolder,
  sameStudy,
  trialDir,
} from "./study-folder.js";
export {
  MAX_GOAL_WEIGHT,
  type SeedResult,
  type TrialJob,
  type TrialOutcome,
  seedObjective,
  trialJob,
  trialOutcome,
  validateTrialJob,
} from "./trial-job.js";
export { type LogRecord, TrialLog, readTrialLog, samplerEvents } from "./trial-log.js";
export { samplerRecommendation } from "./recommendation.js";
export { type TrialSummary, bestTrial, trialSummaries } from "./trials.js";
export {
  DEFAULT_LEASE_SECONDS,
  DEFAULT_TRIAL_TIMEOUT_SECONDS,
  PgBackend,
  type PgStudyOptions,
  readPgStudyConfig,
  studyRecords,
} from "./postgres/backend.js";
export { StudyDatabase } from "./postgres/database.js";
export { type QueueOptions, TRIAL_QUEUE, startQueue } from "./postgres/queue.js";
export { checkDatabaseUrl, redactUrl, redactor } from "./postgres/url.js";
export { PgWorker, type PgWorkerOptions } from "./postgres/worker.js";
export {
  type PgStudyRequest,
  connectPgWorker,
  openPgStudy,
  readPgStudyFrom,
  redactedError,
} from "./postgres/connect.js";
export { type ParamImportance, paramImportance, spearman } from "./importance.js";
export {
  type SeedCurve,
  type StudyContents,
  isStudyFolder,
  readFolderStudy,
} from "./study-contents.js";
export { readPgStudy } from "./postgres/read.js";
