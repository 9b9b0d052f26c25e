/** A report as one self-contained HTML page: the built lab page's script and styles inlined, and the run's payload embedded as JSON, so it opens offline from a file. A training run's payload opens the run view; a memory run's, marked `view: "memory"`, the memory view. */

import { encodeState } from "@infomorph/core";
import type { MemoryPayload, MemoryReportData } from "./memory/memory-data.js";
import type { RunPayload } from "./payload.js";
import { PageFiles } from "./server/page-files.js";

/** The page for `payload`, drawn by the lab's page in static mode. No network access is needed to view it. */
export function renderReport(payload: RunPayload, page: PageFiles = new PageFiles()): string {
  return reportPage(
    {
      title: `infomorph report: ${payload.name}`,
      version: payload.config.versions.infomorph,
      payload,
    },
    page,
  );
}

/** The page for a memory run's report (`memoryReportData`); `title` names the run (its folder). */
export function renderMemoryReport(
  data: MemoryReportData,
  title: string,
  page: PageFiles = new PageFiles(),
): string {
  const payload: MemoryPayload = { ...data, view: "memory", name: title };
  return reportPage(
    { title: `infomorph memory report: ${title}`, version: data.header.version, payload },
    page,
  );
}

function reportPage(
  report: { title: string; version: string; payload: RunPayload | MemoryPayload },
  page: PageFiles,
): string {
  const { script, style } = page.entry();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="infomorph ${escapeHtml(report.version)}">
<title>${escapeHtml(report.title)}</title>
<style>${inlineStyle(style)}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="run-data">${embedJson(report.payload)}</script>
<script type="module">${inlineScript(script)}</script>
</body>
</html>
`;
}

/** A stylesheet made safe inside a style element: "</style" cannot end it early. */
export function inlineStyle(css: string): string {
  return css.replace(/<\/style/gi, "<\\/style");
}

/** JSON for a script element: typed arrays as {dtype, base64}; "<" escaped so no "</script>" can end it early. */
export function embedJson(data: unknown): string {
  return JSON.stringify(encodeState(data)).replace(/</g, "\\u003c");
}

/**
 * A script's text made safe inside a script element: "</script" and "<!--" cannot appear
 * (in the bundle they can only be inside strings, regular expressions or comments, where
 * "<\/" and "<\!" mean the same).
 */
function inlineScript(script: string): string {
  return script.replace(/<\/script/gi, "<\\/script").replace(/<!--/g, "<\\!--");
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
