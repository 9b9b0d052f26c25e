/**
 * `@infomorph/runs`: the run store shared by the CLI, the lab and the goal search. A run is a
 * folder (config.json, metrics.jsonl, atom trajectories, checkpoint.json) written by one process
 * at a time, crash-safe and resumable, and readable while it is written. Its file formats
 * without the file system are `@infomorph/runs/browser` (browser.ts), exported here too.
 */

export * from "./browser.js";
export { readAtomsIndex, readLayerAtoms, tailLayerAtoms } from "./atoms.js";
export { extractRunArchive, runArchive, unpackRunArchive } from "./archive.js";
export { appendDurable, fileSize, truncateTo, writeFileAtomic } from "./files.js";
export { RunFolder, requireRunFolder } from "./folder.js";
export { FILE_START, type LineCheck, type LinesCursor, readJsonLines } from "./lines.js";
export { LOCK_FILE, type LockHolder, RunLock, isLockFile } from "./lock.js";
export { readMetrics, tailMetrics } from "./metrics.js";
export { type ReadRunOptions, type RunContents, type RunLayerAtoms, readRun } from "./read-run.js";
export { readJsonFile } from "./json-file.js";
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
