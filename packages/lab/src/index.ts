/**
 * `@infomorph/lab`: the lab page and its server. One page (built from page/ with Vite into
 * dist/page) shows a run embedded in a file (`infomorph report`: writeReport), or every run of
 * a folder served live (`infomorph lab`: startLabServer), and trains networks in the browser.
 * A memory run's report (`infomorph memory`) is the same page's memory view; a goal-search
 * study (`infomorph search report`) gets a static page of its own (study/).
 */

export {
  COMPLEXITY_GROUPS,
  type HiddenLayerSource,
  MAX_COMPLEXITY_SAMPLES,
  type OpenHiddenLayer,
  type ReportComplexity,
  type ReportGroupComplexity,
  reportComplexity,
} from "./complexity.js";
export {
  type GoalChange,
  MAX_SENT_WEIGHTS,
  type PayloadLayer,
  type PayloadSource,
  type RunPayload,
  type RunStatus,
  layerGoal,
  runPayload,
} from "./payload.js";
export { renderMemoryReport, renderReport } from "./html.js";
export {
  type AtomBands,
  type MemoryPayload,
  type MemoryReportData,
  type MemoryRuleCurves,
  isMemoryRun,
  memoryReportData,
} from "./memory/memory-data.js";
export { REPORT_FILE, writeReport } from "./write-report.js";
export { STUDY_REPORT_FILE, writeStudyReport } from "./study/write-study-report.js";
export { type StudyReportData, type TopTrial, studyReportData } from "./study/study-data.js";
export { renderStudyReport } from "./study/study-page.js";
export { type LabServer, type LabServerOptions, startLabServer } from "./server/lab-server.js";
export { TOKEN_ENV } from "./server/security.js";
