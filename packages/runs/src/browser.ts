/**
 * `@infomorph/runs/browser`: the run folder's file formats without the file system, for
 * browsers (the lab's page builds a run folder in memory and exports it as a zip) and any
 * other runtime: the files' bytes, the checkpoint codec, metrics lines, the atoms index, zip.
 */

export {
  ATOMS_INDEX_FILE,
  type AtomsIndex,
  type AtomsLayer,
  atomsIndex,
  epochBytes,
} from "./format/atoms-index.js";
export {
  type EncodedArray,
  decodeState,
  encodeState,
  fromLittleEndian,
  littleEndianBytes,
} from "@infomorph/core";
export { type RunConfig, validateRunConfig } from "./format/config.js";
export {
  METRICS_FILE,
  type MetricLine,
  checkMetricLine,
  metricLines,
} from "./format/metric-line.js";
export {
  CHECKPOINT_FILE,
  CONFIG_FILE,
  type Checkpoint,
  REPORT_FILE,
  isRunFileName,
  runFolderFiles,
} from "./format/run-files.js";
export { type InflateRaw, type ZipEntry, crc32, readZip, writeZip } from "./format/zip.js";
export { decodeBinary, encodeBinary } from "./format/binary.js";
