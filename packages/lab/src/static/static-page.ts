/**
 * The frame of the static pages that are not the lab's page (a memory run's report): head and
 * style, the sections rendered in Node, the data embedded as JSON, and an inline canvas script
 * (the chart functions, the shared helpers, then the page's own `app`).
 */

import { embedJson, escapeHtml } from "../html.js";
import { PAGE_CHARTS } from "./page-charts.js";
import { PAGE_COMMON } from "./page-common.js";
import { PAGE_STYLE } from "./page-style.js";

/** One self-contained page; no network access is needed to view it. */
export function staticPage(page: {
  title: string;
  version: string;
  sections: string;
  data: unknown;
  app: string;
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="infomorph ${escapeHtml(page.version)}">
<title>${escapeHtml(page.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${page.sections}
</main>
<script type="application/json" id="report-data">${embedJson(page.data)}</script>
<script>
"use strict";
(function () {
${PAGE_CHARTS}
${PAGE_COMMON}
${page.app}
})();
</script>
</body>
</html>
`;
}

/** A run's config, folded away. */
export function configSection(config: unknown): string {
  return `<section id="config"><details><summary>Run config (config.json)</summary>
<pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre></details></section>`;
}
