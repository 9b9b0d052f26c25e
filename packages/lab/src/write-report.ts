/** Build a run's report page and write it atomically: read the folder, measure the complexity, embed the payload in the built page. */

import { basename, join, resolve } from "node:path";
import { REPORT_FILE, readRun, writeFileAtomic } from "@infomorph/runs";
import { type OpenHiddenLayer, reportComplexity } from "./complexity.js";
import { renderReport } from "./html.js";
import { runPayload } from "./payload.js";

export { REPORT_FILE };

/**
 * Write the report of the run in `dir` to `out` (default dir/report.html); returns its path
 * and size. `hiddenLayer` gives the hidden layer's samples for its representational
 * complexity (the CLI's reads the run's dataset and rebuilds its model).
 */
export async function writeReport(
  dir: string,
  hiddenLayer: OpenHiddenLayer,
  out?: string,
): Promise<{ path: string; bytes: number }> {
  const run = readRun(dir);
  const complexity = await reportComplexity(run, hiddenLayer);
  const html = renderReport(runPayload(run, basename(resolve(dir)), complexity));
  const path = out ?? join(dir, REPORT_FILE);
  writeFileAtomic(path, html);
  return { path, bytes: Buffer.byteLength(html) };
}
