/**
 * `@infomorph/lab`: the run report page. Today it writes one self-contained report.html per run
 * folder (`infomorph report DIR`; training and memory runs): the numbers gathered in Node from
 * the run store, the charts drawn by an inline canvas script.
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
export { MAX_BAR_WEIGHTS, type ReportData, layerGoal, reportData } from "./data.js";
export { renderReport } from "./html.js";
export {
  type AtomBands,
  type MemoryReportData,
  type MemoryRuleCurves,
  isMemoryRun,
  memoryReportData,
} from "./memory-data.js";
export { renderMemoryReport } from "./memory-html.js";
export { REPORT_FILE, writeReport } from "./write-report.js";
export { STUDY_REPORT_FILE, writeStudyReport } from "./study/write-study-report.js";
export { type StudyReportData, type TopTrial, studyReportData } from "./study/study-data.js";
export { renderStudyReport } from "./study/study-page.js";
