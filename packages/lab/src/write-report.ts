/** Build a run's report page and write it atomically: read the folder, embed its payload (a training run's or a memory run's) in the built lab page. */

import { basename, join, resolve } from "node:path";
import { REPORT_FILE, readRun, writeFileAtomic } from "@infomorph/runs";
import { type OpenHiddenLayer, reportComplexity } from "./complexity.js";
import { renderMemoryReport, renderReport } from "./html.js";
import { isMemoryRun, memoryReportData } from "./memory/memory-data.js";
import { runPayload } from "./payload.js";

export { REPORT_FILE };

/**
 * Write the report of the run in `dir` to `out` (default dir/report.html); returns its path
 * and size. `hiddenLayer` gives the hidden layer's samples for its representational
 * complexity (the CLI's reads the run's dataset and rebuilds its model). A memory run
 * (`infomorph memory`) opens the page's memory view: capacity, storage curves, basins, atoms
 * over loads.
 */
export async function writeReport(
  dir: string,
  hiddenLayer: OpenHiddenLayer,
  out?: string,
): Promise<{ path: string; bytes: number }> {
  const title = basename(resolve(dir));
  let html: string;
  if (isMemoryRun(dir)) {
    html = renderMemoryReport(memoryReportData(dir), title);
  } else {
    const run = readRun(dir);
    html = renderReport(runPayload(run, title, await reportComplexity(run, hiddenLayer)));
  }
  const path = out ?? join(dir, REPORT_FILE);
  writeFileAtomic(path, html);
  return { path, bytes: Buffer.byteLength(html) };
}
