/** Build a run's report page and write it atomically: read the folder, gather the numbers, render the HTML. */

import { basename, join, resolve } from "node:path";
import { writeFileAtomic } from "../runs/files.js";
import { reportComplexity } from "./complexity.js";
import { reportData } from "./data.js";
import { renderReport } from "./html.js";
import { readRun } from "./read-run.js";

/** The default file name, inside the run folder. */
export const REPORT_FILE = "report.html";

/**
 * Write the report of the run in `dir` to `out` (default dir/report.html); returns its path
 * and size. `env` is where the run's dataset is looked up (INFOMORPH_DATA, the cache).
 */
export async function writeReport(
  dir: string,
  env: NodeJS.ProcessEnv,
  out?: string,
): Promise<{ path: string; bytes: number }> {
  const run = readRun(dir);
  const complexity = await reportComplexity(run, env);
  const html = renderReport(reportData(run, complexity), basename(resolve(dir)));
  const path = out ?? join(dir, REPORT_FILE);
  writeFileAtomic(path, html);
  return { path, bytes: Buffer.byteLength(html) };
}
