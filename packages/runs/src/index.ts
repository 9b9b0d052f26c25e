/**
 * `@infomorph/runs`: the run store shared by the CLI, the lab and the goal search. A run is a
 * folder (config.json, metrics.jsonl, atom trajectories, checkpoint.json) written by one process
 * at a time, crash-safe and resumable, and readable while it is written.
 */

export {
  ATOMS_INDEX_FILE,
  type AtomsIndex,
  type AtomsLayer,
  atomsIndex,
  epochBytes,
  readAtomsIndex,
  readLayerAtoms,
  tailLayerAtoms,
} from "./atoms.js";
export { type RunConfig, validateRunConfig } from "./config.js";
export { appendDurable, fileSize, truncateTo, writeFileAtomic } from "./files.js";
export {
  CHECKPOINT_FILE,
  CONFIG_FILE,
  type Checkpoint,
  RunFolder,
  requireRunFolder,
} from "./folder.js";
export { readJsonFile } from "./json-file.js";
export { FILE_START, type LineCheck, type LinesCursor, readJsonLines } from "./lines.js";
export { LOCK_FILE, type LockHolder, RunLock, isLockFile } from "./lock.js";
export {
  METRICS_FILE,
  type MetricLine,
  checkMetricLine,
  metricLines,
  readMetrics,
  tailMetrics,
} from "./metrics.js";
export { type RunContents, type RunLayerAtoms, readRun } from "./read-run.js";
export {
  type AtomsRef,
  MEMORY_ATOMS_FILE,
  MEMORY_CONFIG_FILE,
  MEMORY_RESULTS_FILE,
  MEMORY_SUMMARY_FILE,
  MEMORY_TABLE_FILE,
  type MemoryRunConfig,
  MemoryRunFolder,
  type ResultLine,
  memorySummary,
  readAtoms,
  readMemoryConfig,
  readResultLines,
  resultsTable,
} from "./memory-folder.js";
