/**
 * `@infomorph/lab`: the lab page and its server. One page (built from page/ with Vite into
 * dist/page) shows a run embedded in a file (`infomorph report`: writeReport), or every run of
 * a folder served live (`infomorph lab`: startLabServer), and trains networks in the browser.
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
export { renderReport } from "./html.js";
export { REPORT_FILE, writeReport } from "./write-report.js";
export { type LabServer, type LabServerOptions, startLabServer } from "./server/lab-server.js";
export { TOKEN_ENV } from "./server/security.js";
