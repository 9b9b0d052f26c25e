/**
 * Goal-search studies in the runs folder (folders `infomorph search --out` wrote: study.json,
 * trials.jsonl, trials/NNNNNN/sSEED/ run folders, writer.lock): the list beside the runs, and
 * each study's report page, rendered on request so that it shows the trials told so far.
 * Studies are read as `infomorph search report` reads them: without a lock, while their
 * coordinator writes.
 */

import { InfomorphError } from "@infomorph/core";
import { RunLock } from "@infomorph/runs";
import {
  STUDY_FILE,
  isStudyFolder,
  readFolderStudy,
  readStudyFolder,
  trialSummaries,
} from "@infomorph/search";
import type { StudyListEntry } from "../payload.js";
import { studyReportData } from "../study/study-data.js";
import { renderStudyReport } from "../study/study-page.js";
import { HttpError } from "./http-error.js";
import type { PageFiles } from "./page-files.js";
import { markedFolders, runDir } from "./run-paths.js";

/**
 * Every study folder directly in `root` (a real path), newest first; folders that link
 * outside `root` are left out. A study's trial runs lie inside its own folder, so the run
 * list (one level deep) never shows them loose: they belong to the study's page.
 */
export function listStudies(root: string): StudyListEntry[] {
  const entries: StudyListEntry[] = [];
  for (const { name, dir } of markedFolders(root, STUDY_FILE)) {
    try {
      entries.push(studyEntry(dir, name));
    } catch (err) {
      entries.push({
        name,
        sampler: "-",
        trials: { done: 0, asked: 0, total: 0 },
        best: null,
        state: "failed",
        message: (err as Error).message,
        started: null,
      });
    }
  }
  return entries.sort(
    (a, b) => (b.started ?? "").localeCompare(a.started ?? "") || a.name.localeCompare(b.name),
  );
}

function studyEntry(dir: string, name: string): StudyListEntry {
  const { config, records } = readStudyFolder(dir);
  const trials = trialSummaries(records);
  const done = trials.filter((t) => t.state !== "running").length;
  const values = trials.flatMap((t) =>
    t.state === "complete" && t.value !== null ? [t.value] : [],
  );
  return {
    name,
    sampler: config.sampler.kind,
    trials: { done, asked: trials.length, total: config.trials },
    best: values.length > 0 ? Math.max(...values) : null,
    // The coordinator holds writer.lock while it searches; a dead one's lock does not count.
    state: RunLock.activeHolder(dir) ? "running" : done >= config.trials ? "finished" : "stopped",
    message: null,
    started: trials[0]?.asked ?? null,
  };
}

/**
 * The report page of study `name` in `root`, as of now, with `source` as its folder's name on
 * the page: 400 bad name, 403 links out, 404 not a study, 409 unreadable (the reader's words).
 */
export function studyPage(root: string, name: string, source: string, page: PageFiles): string {
  const dir = runDir(root, name, "study");
  if (!isStudyFolder(dir)) throw new HttpError(404, `there is no study ${name}.`);
  try {
    return renderStudyReport(studyReportData({ ...readFolderStudy(dir), source }), page);
  } catch (err) {
    if (err instanceof InfomorphError) throw new HttpError(409, err.message);
    throw err;
  }
}
