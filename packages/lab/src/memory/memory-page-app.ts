/**
 * The memory report's script, as browser JavaScript source: the storage curves of every rule
 * over the load α, each rule's recall from corrupted cues (basins), and each rule's atoms over
 * α (mean, median and 10–90 % band over neurons and seeds), drawn with static/page-charts.ts from the
 * data page-common.ts decodes. Kept free of template-literal syntax so it can live in a
 * TypeScript string.
 */

export const MEMORY_PAGE_APP = String.raw`
var BAND = "rgba(31, 95, 153, 0.2)";
var MEDIAN = "#1f5f99";
var MEAN = "#9a4d00";

/** Every load any rule ran, ascending, and each rule's values spread onto it (null where it did not run). */
function unionLoads(rules) {
  var all = [];
  rules.forEach(function (r) { r.loads.forEach(function (a) { if (all.indexOf(a) < 0) all.push(a); }); });
  all.sort(function (a, b) { return a - b; });
  return all;
}

function onGrid(grid, loads, values) {
  return grid.map(function (a) {
    var k = loads.indexOf(a);
    return k < 0 ? null : values[k];
  });
}

function drawStorage() {
  var root = document.getElementById("storage");
  var rules = data.rules;
  if (rules.length === 0) {
    root.append(el("p", { class: "note" }, ["No task has finished yet."]));
    return;
  }
  var colours = palette(rules.length);
  var grid = unionLoads(rules);
  var items = rules.map(function (r, i) { return { label: r.rule, color: colours[i] }; });
  var row = el("div", { class: "row" });
  root.append(row);
  [["stored", "fraction of patterns recalled (cosine \u2265 " + data.header.threshold + ")", true],
   ["cosine", "mean cosine similarity of the recalled states", false]].forEach(function (what) {
    var canvas = el("canvas", { "data-chart": "storage-" + what[0] });
    row.append(figure([el("b", {}, [what[1]])], [legend(items), canvas]));
    lineChart(canvas, {
      width: 470, height: 260, x: grid, xContinuous: true, xLabel: "load \u03b1 = patterns / neurons",
      y: [what[2] ? 0 : Math.min(0, Math.min.apply(null, rules.map(function (r) { return Math.min.apply(null, r.meanCosine); }))), 1],
      percent: what[2],
      series: rules.map(function (r, i) {
        return { values: onGrid(grid, r.loads, what[2] ? r.stored.mean : r.meanCosine), color: colours[i], width: 1.8 };
      })
    });
  });
}

function drawBasins() {
  var root = document.getElementById("basins");
  var rules = data.rules;
  if (rules.length === 0) return;
  var noise = rules[0].cues.map(function (c) { return c.noise; });
  var shades = ["#1f5f99", "#e07b00", "#8e3a8e", "#2e8b57", "#b03030"];
  var items = [{ label: "from the pattern itself", color: shades[0] }].concat(noise.map(function (f, k) {
    return { label: Math.round(100 * f) + " % of the bits flipped", color: shades[(k + 1) % shades.length] };
  }));
  root.append(legend(items.concat([{ label: "min\u2013max over seeds", color: BAND, band: true }])));
  var gridEl = el("div", { class: "grid" });
  root.append(gridEl);
  rules.forEach(function (r) {
    var canvas = el("canvas", { "data-chart": "basins" });
    gridEl.append(figure([el("b", {}, [r.rule]), " (" + r.seeds.length + " seed" + (r.seeds.length === 1 ? "" : "s") + ")"], [canvas]));
    var series = [{ lo: r.stored.min, hi: r.stored.max, fill: BAND }, { values: r.stored.mean, color: shades[0], width: 1.8 }];
    r.cues.forEach(function (c, k) {
      series.push({ values: c.stored, color: shades[(k + 1) % shades.length], width: 1.3, dash: [4, 3] });
    });
    lineChart(canvas, { width: 300, height: 200, x: r.loads, xContinuous: true, xLabel: "load \u03b1", y: [0, 1], percent: true, series: series });
  });
}

/** One rule's atoms over loads, a chart per value; H_res is left out where it is 0 by construction (recall atoms). */
function drawAtomBlock(root, title, loads, bands, withHRes) {
  var V = data.atomNames.length;
  var shown = withHRes ? V : V - 1;
  var K = loads.length;
  var block = el("div", { class: "layer" });
  root.append(block);
  block.append(el("h3", {}, [title]));
  var gridEl = el("div", { class: "grid" });
  block.append(gridEl);
  for (var v = 0; v < shown; v++) {
    var canvas = el("canvas", { "data-chart": "memory-atom" });
    var caption = [el("b", {}, [data.atomAliases[v]])];
    if (data.atomNames[v] !== data.atomAliases[v]) caption.push(" ", el("span", { class: "canon" }, [data.atomNames[v]]));
    gridEl.append(figure(caption, [canvas]));
    lineChart(canvas, {
      width: 214, height: 140, x: loads, xContinuous: true, zero: true, xLabel: "load \u03b1",
      series: [
        { lo: column(bands.q10, v, V, K), hi: column(bands.q90, v, V, K), fill: BAND },
        { values: column(bands.mean, v, V, K), color: MEAN, width: 1, dash: [3, 3] },
        { values: column(bands.median, v, V, K), color: MEDIAN, width: 1.8 }
      ]
    });
  }
}

function drawAtoms() {
  var root = document.getElementById("atoms");
  if (data.rules.length === 0) return;
  root.append(legend([
    { label: "median over neurons and seeds", color: MEDIAN },
    { label: "10\u201390 % band", color: BAND, band: true },
    { label: "mean", color: MEAN }
  ]));
  data.rules.forEach(function (r) {
    drawAtomBlock(root, r.rule + ": recall atoms (H_res = 0: the recall output is deterministic)", r.loads, r.atoms, false);
    if (r.goalAtoms) drawAtomBlock(root, r.rule + ": atoms of its training goal", r.loads, r.goalAtoms, true);
  });
}

drawStorage();
drawBasins();
drawAtoms();
document.body.setAttribute("data-ready", "1");
`;
