/** The stylesheet of the static pages (a memory run's report, a study's report), inlined into each. */

export const PAGE_STYLE = `
:root {
  --ink: #1d232b;
  --muted: #5f6b7a;
  --line: #dfe3e8;
  --panel: #ffffff;
  --page: #f4f6f8;
  --accent: #1f5f99;
  --goal: #b3261e;
}
* { box-sizing: border-box; }
body {
  margin: 0;
  background: var(--page);
  color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 2px; }
h1 .run { font-weight: 400; color: var(--muted); font-size: 16px; margin-left: 6px; word-break: break-all; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 0 0 8px; }
section {
  background: var(--panel);
  border: 1px solid var(--line);
  border-radius: 8px;
  padding: 16px 18px;
  margin-top: 16px;
}
.note { color: var(--muted); font-size: 12.5px; margin: 4px 0 10px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 6px 18px; margin: 12px 0 0; }
.facts div { min-width: 0; }
.facts div.wide { grid-column: span 2; }
.facts dt { color: var(--muted); font-size: 12px; }
.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.scores { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 14px; }
.score { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; min-width: 120px; }
.score b { display: block; font-size: 20px; }
.score span { color: var(--muted); font-size: 12px; }
.row { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
figure { margin: 0; }
figcaption { font-size: 12.5px; color: var(--muted); margin-bottom: 3px; }
figcaption b { color: var(--ink); }
canvas { display: block; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); margin: 4px 0 8px; }
.legend i { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 5px; }
.legend i.band { height: 10px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(228px, 1fr)); gap: 12px 12px; }
.grid figure { border: 1px solid var(--line); border-radius: 6px; padding: 6px 6px 4px; }
.gamma { color: var(--goal); font-weight: 600; }
.canon { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11.5px; }
.controls { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin-bottom: 12px; }
.controls label { color: var(--muted); font-size: 13px; }
.controls input[type=number] { width: 80px; }
.controls input[type=range] { width: 260px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.zero td { color: #a3acb7; }
.goals { display: flex; flex-wrap: wrap; gap: 28px; }
pre {
  background: #f7f8fa;
  border: 1px solid var(--line);
  border-radius: 6px;
  padding: 10px 12px;
  overflow: auto;
  max-height: 480px;
  font-size: 12px;
}
summary { cursor: pointer; font-weight: 600; }
`;
