/** The report as one self-contained HTML page: the built lab page's script and styles inlined, and the run's payload embedded as JSON, so it opens offline from a file. */

import { encodeState } from "@infomorph/core";
import type { RunPayload } from "./payload.js";
import { PageFiles } from "./server/page-files.js";

/** The page for `payload`, drawn by the lab's page in static mode. No network access is needed to view it. */
export function renderReport(payload: RunPayload, page: PageFiles = new PageFiles()): string {
  const { script, style } = page.entry();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="infomorph ${escapeHtml(payload.config.versions.infomorph)}">
<title>infomorph report: ${escapeHtml(payload.name)}</title>
<style>${style.replace(/<\/style/gi, "<\\/style")}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="run-data">${embedJson(payload)}</script>
<script type="module">${inlineScript(script)}</script>
</body>
</html>
`;
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
