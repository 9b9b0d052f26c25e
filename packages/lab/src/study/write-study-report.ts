/** Write a study's report page: gather the numbers from its contents, render, write atomically. */

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomic } from "@infomorph/runs";
import type { StudyContents } from "@infomorph/search";
import { studyReportData } from "./study-data.js";
import { renderStudyReport } from "./study-page.js";

/** The default file name, inside a study folder. */
export const STUDY_REPORT_FILE = "report.html";

/** Write the report of `contents` to `out` (its folder made if missing); returns its size in bytes. */
export function writeStudyReport(
  contents: StudyContents,
  out: string,
): { path: string; bytes: number } {
  const html = renderStudyReport(studyReportData(contents));
  mkdirSync(dirname(out), { recursive: true });
  writeFileAtomic(out, html);
  return { path: out, bytes: Buffer.byteLength(html) };
}
