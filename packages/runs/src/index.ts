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
export {
  type EncodedArray,
  decodeState,
  encodeState,
  fromLittleEndian,
  littleEndianBytes,
} from "./format/codec.js";
export { type RunConfig, validateRunConfig } from "./format/config.js";
export { REPORT_FILE, isRunFileName, runFolderFiles } from "./format/run-files.js";
export { type InflateRaw, type ZipEntry, crc32, readZip, writeZip } from "./format/zip.js";
export { decodeBinary, encodeBinary } from "./format/binary.js";
export { extractRunArchive, runArchive, unpackRunArchive } from "./archive.js";
export { appendDurable, fileSize, truncateTo, writeFileAtomic } from "./files.js";
export {
  CHECKPOINT_FILE,
  CONFIG_FILE,
  type Checkpoint,
  RunFolder,
  requireRunFolder,
} from "./folder.js";
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
export { type ReadRunOptions, type RunContents, type RunLayerAtoms, readRun } from "./read-run.js";
