/** Build a run's report page and write it atomically: read the folder, gather the numbers, render the HTML (a training run's page, or a memory run's). */

import { basename, join, resolve } from "node:path";
import { readRun, writeFileAtomic } from "@infomorph/runs";
import { type OpenHiddenLayer, reportComplexity } from "./complexity.js";
import { reportData } from "./data.js";
import { renderReport } from "./html.js";
import { isMemoryRun, memoryReportData } from "./memory-data.js";
import { renderMemoryReport } from "./memory-html.js";

/** The default file name, inside the run folder. */
export const REPORT_FILE = "report.html";

/**
 * Write the report of the run in `dir` to `out` (default dir/report.html); returns its path
 * and size. `hiddenLayer` gives the hidden layer's samples for its representational
 * complexity (the CLI's reads the run's dataset and rebuilds its model). A memory run
 * (`infomorph memory`) gets its own page: storage curves, basins, atoms over loads.
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
    html = renderReport(reportData(run, await reportComplexity(run, hiddenLayer)), title);
  }
  const path = out ?? join(dir, REPORT_FILE);
  writeFileAtomic(path, html);
  return { path, bytes: Buffer.byteLength(html) };
}
