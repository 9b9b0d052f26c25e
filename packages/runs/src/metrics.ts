/** metrics.jsonl of a run folder read back, checked line by line: the committed part, or a live tail by byte offset (the lines themselves: format/metric-line.ts). */

import { join } from "node:path";
import { InfomorphError } from "@infomorph/core";
import { fileSize } from "./files.js";
import { METRICS_FILE, type MetricLine, checkMetricLine } from "./format/metric-line.js";
import { FILE_START, type LinesCursor, readJsonLines } from "./lines.js";

/**
 * The committed metrics of the run in `dir`: the lines in its first `bytes` bytes (the length
 * its checkpoint records), every one checked. Throws InfomorphError "run/corrupt-file" naming
 * the file and line of the first line that is not a metrics record, or when the committed
 * part does not end at the end of a line.
 */
export function readMetrics(dir: string, bytes: number): MetricLine[] {
  const path = join(dir, METRICS_FILE);
  const { records, cursor } = readJsonLines<MetricLine>(path, FILE_START, checkMetricLine, bytes);
  if (cursor.offset !== bytes) {
    throw readMetricsError(path, cursor.line, bytes);
  }
  return records;
}

/**
 * The metrics lines appended since `from` (FILE_START at first), for a reader following a
 * run while it trains, and the cursor to continue from. Counts bytes; a line still being
 * written is left for the next call. Lines past the checkpoint are included, so a crash
 * followed by a resume may repeat an epoch: a reader keeps the last line per epoch and split.
 *
 * @example
 * let cursor = FILE_START;
 * setInterval(() => { const r = tailMetrics(dir, cursor); show(r.lines); cursor = r.cursor; }, 1000);
 */
export function tailMetrics(
  dir: string,
  from: LinesCursor = FILE_START,
): { lines: MetricLine[]; cursor: LinesCursor } {
  const { records, cursor } = readJsonLines<MetricLine>(
    join(dir, METRICS_FILE),
    from,
    checkMetricLine,
  );
  return { lines: records, cursor };
}

/** The committed part of metrics.jsonl does not end where the checkpoint says it does. */
function readMetricsError(path: string, line: number, bytes: number): InfomorphError {
  const size = fileSize(path);
  return new InfomorphError({
    code: "run/corrupt-file",
    path: [path, line],
    message:
      size < bytes
        ? `${path} is shorter (${size} bytes) than its checkpoint says (${bytes}): line ${line} and after are missing. The folder was changed; train the run again.`
        : `${path} line ${line} runs past byte ${bytes}, where the checkpoint says the committed metrics end. The file was damaged or edited by hand; restore it, or train the run again.`,
  });
}
