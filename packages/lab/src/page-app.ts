/**
 * The training report's script, as browser JavaScript source: fill the learning curves, the
 * atom small multiples, the neuron picker and the confusion matrices from the embedded data
 * (typed arrays as {dtype, base64}, as core/src/codec/state.ts writes them; decoded by
 * page-common.ts) with the drawing functions of page-charts.ts. Kept free of
 * template-literal syntax so it can live in a TypeScript string.
 */

export const PAGE_APP = String.raw`
var COLOURS = { train: "#1f5f99", validation: "#e07b00", test: "#2e8b57" };
var BAND = "rgba(31, 95, 153, 0.2)";
var MEDIAN = "#1f5f99";
var MEAN = "#9a4d00";

function drawCurves() {
  var root = document.getElementById("curves");
  var c = data.curves;
  if (c.epochs.length === 0) {
    root.append(el("p", { class: "note" }, ["No epoch has completed yet."]));
    return;
  }
  var row = el("div", { class: "row" });
  root.append(row);
  var hasTest = c.test.some(function (v) { return v !== null; });
  var series = [
    { label: "train", values: c.train, color: COLOURS.train },
    { label: "validation", values: c.validation, color: COLOURS.validation }
  ];
  if (hasTest) series.push({ label: "test", values: c.test, color: COLOURS.test });
  var accuracy = el("canvas", { "data-chart": "accuracy" });
  row.append(figure([el("b", {}, ["accuracy"]), " per epoch"], [legend(series), accuracy]));
  lineChart(accuracy, { width: 400, height: 240, x: c.epochs, series: series, y: [0, 1], percent: true, xLabel: "epoch" });

  c.goals.forEach(function (goal) {
    var canvas = el("canvas", { "data-chart": "goal" });
    var what = c.goalKind === "loss" ? "training loss (cross-entropy, nats)" : "mean training goal G (bits)";
    row.append(figure([el("b", {}, [goal.label]), " " + what], [legend([{ label: goal.label, color: "#5b3a8e" }]), canvas]));
    lineChart(canvas, {
      width: 330, height: 240, x: c.epochs, xLabel: "epoch",
      series: [{ values: goal.values, color: "#5b3a8e" }]
    });
  });
}

function gammaText(layer, v) {
  if (!layer.goal) return null;
  var g = layer.goal.gamma[v];
  return g === 0 ? null : el("span", { class: "gamma" }, [" \u03b3 = " + String(+g.toPrecision(4))]);
}

function drawAtomLayer(root, layer) {
  var E = layer.epochs;
  var V = layer.values;
  var x = range(1, E);
  var block = el("div", { class: "layer", "data-layer": layer.name });
  root.append(block);
  block.append(el("h3", {}, [layer.name + " layer: " + layer.size + " neurons, sources " + layer.sources.join(", ") + ", " + (V - 1) + " atoms + H_res"]));
  var shared = el("input", { type: "checkbox" });
  block.append(el("div", { class: "controls" }, [
    legend([
      { label: "median over neurons", color: MEDIAN },
      { label: "10\u201390 % band", color: BAND, band: true },
      { label: "mean", color: MEAN }
    ]),
    el("label", {}, [shared, " same y-scale for every atom (H_res apart)"])
  ]));
  var grid = el("div", { class: "grid" });
  block.append(grid);
  var canvases = [];
  for (var v = 0; v < V; v++) {
    var canvas = el("canvas", { "data-chart": "atom" });
    canvases.push(canvas);
    var caption = [el("b", {}, [layer.aliases[v]])];
    if (layer.names[v] !== layer.aliases[v]) caption.push(" ", el("span", { class: "canon" }, [layer.names[v]]));
    var gamma = gammaText(layer, v);
    if (gamma) caption.push(gamma);
    grid.append(figure(caption, [canvas]));
  }
  function draw() {
    var common = shared.checked ? extent([layer.bands.q10.filter(function (_, i) { return i % V !== V - 1; }),
      layer.bands.q90.filter(function (_, i) { return i % V !== V - 1; })], true) : null;
    for (var v = 0; v < V; v++) {
      lineChart(canvases[v], {
        width: 214, height: 130, x: x, zero: true, y: v === V - 1 ? null : common,
        series: [
          { lo: column(layer.bands.q10, v, V, E), hi: column(layer.bands.q90, v, V, E), fill: BAND },
          { values: column(layer.bands.mean, v, V, E), color: MEAN, width: 1, dash: [3, 3] },
          { values: column(layer.bands.median, v, V, E), color: MEDIAN, width: 1.8 }
        ]
      });
    }
  }
  shared.addEventListener("change", draw);
  draw();
}

function drawAtoms() {
  var root = document.getElementById("atoms");
  if (data.layers.length === 0) {
    root.append(el("p", { class: "note" }, [data.header.model === "backprop"
      ? "A backprop run has no PID atoms."
      : "No atoms are stored yet; they are written after every epoch."]));
    return;
  }
  data.layers.forEach(function (layer) { drawAtomLayer(root, layer); });
}

/** One neuron's values over training, [epoch × values], from the stored [epoch][neuron][value]. */
function neuronValues(layer, n) {
  var V = layer.values;
  var out = new Float32Array(layer.epochs * V);
  for (var e = 0; e < layer.epochs; e++) {
    out.set(layer.atoms.subarray((e * layer.size + n) * V, (e * layer.size + n + 1) * V), e * V);
  }
  return out;
}

function drawNeuronPanel(panel, layer, n) {
  panel.textContent = "";
  var V = layer.values;
  var E = layer.epochs;
  panel.append(el("h3", { id: "neuron-title" }, [layer.name + " neuron " + n + " of " + layer.size + " (0\u2013" + (layer.size - 1) + ")"]));
  var row = el("div", { class: "row" });
  panel.append(row);

  var values = neuronValues(layer, n);
  var colours = palette(V - 1);
  colours.push("#8a94a0");
  var series = [];
  var items = [];
  for (var v = 0; v < V; v++) {
    series.push({ values: column(values, v, V, E), color: colours[v], width: 1.6, dash: v === V - 1 ? [4, 3] : null });
    items.push({ label: layer.aliases[v], color: colours[v] });
  }
  var atoms = el("canvas", { "data-chart": "neuron-atoms" });
  row.append(figure([el("b", {}, ["atoms over training"]), " (bits; dashed = H_res)"], [atoms, legend(items)]));
  row.lastChild.style.maxWidth = "560px";
  lineChart(atoms, { width: 540, height: 280, x: range(1, E), series: series, zero: true, xLabel: "epoch", yLabel: "bits" });

  var weights = el("div", { class: "weights" });
  row.append(weights);
  if (layer.weights.length === 0) {
    weights.append(el("p", { class: "note" }, ["The checkpoint holds no weights for this layer."]));
    return;
  }
  var table = el("table", {}, [el("tr", {}, [
    el("th", {}, ["source"]), el("th", { class: "num" }, ["inputs"]), el("th", { class: "num" }, ["\u2016w\u2016\u2082"]),
    el("th", { class: "num" }, ["mean w"]), el("th", { class: "num" }, ["max |w|"]), el("th", { class: "num" }, ["w > 0"])
  ])]);
  layer.weights.forEach(function (source) {
    var s = source.summary;
    table.append(el("tr", {}, [
      el("td", {}, [source.name]), el("td", { class: "num" }, [String(source.inputs)]),
      el("td", { class: "num" }, [fixed(s.norm[n], 3)]), el("td", { class: "num" }, [fixed(s.mean[n], 4)]),
      el("td", { class: "num" }, [fixed(s.maxAbs[n], 3)]), el("td", { class: "num" }, [percent(s.positiveFraction[n])])
    ]));
    if (source.image) {
      var img = source.image;
      var canvas = el("canvas", { "data-chart": "receptive-field" });
      weights.append(figure([el("b", {}, [source.name + " weights"]), " as a " + img.rows + "\u00d7" + img.cols + " image; full colour at |w| = " + fixed(img.scale[n], 3) + " (blue < 0 < red)"], [canvas]));
      pixelImage(canvas, img.rgba, n * img.rows * img.cols * 4, img.rows, img.cols, 196);
    } else if (source.weights) {
      var bars = el("canvas", { "data-chart": "weights" });
      var row0 = source.weights.subarray(n * source.inputs, (n + 1) * source.inputs);
      weights.append(figure([el("b", {}, [source.name + " weights"]), " (" + source.inputs + " inputs; red > 0, blue < 0)"], [bars]));
      barStrip(bars, row0, { width: 360, height: 90 });
    } else {
      weights.append(el("p", { class: "note" }, [source.name + ": " + source.inputs + " inputs per neuron, too many to embed; see the summary below."]));
    }
  });
  weights.append(table);
}

function drawNeuronPicker() {
  var root = document.getElementById("neuron");
  var layers = data.layers;
  if (layers.length === 0) {
    root.append(el("p", { class: "note" }, ["No layer with atoms to pick a neuron from."]));
    return;
  }
  var select = el("select", { id: "neuron-layer" }, layers.map(function (layer, i) {
    return el("option", { value: String(i) }, [layer.name + " (" + layer.size + ")"]);
  }));
  var number = el("input", { id: "neuron-index", type: "number", min: "0", step: "1", value: "0" });
  var slider = el("input", { id: "neuron-slider", type: "range", min: "0", step: "1", value: "0" });
  var panel = el("div", { id: "neuron-panel" });
  root.append(el("div", { class: "controls" }, [
    el("label", {}, ["layer ", select]), el("label", {}, ["neuron ", number]), slider
  ]), panel);
  function show(source) {
    var layer = layers[Number(select.value)];
    number.max = slider.max = String(layer.size - 1);
    var n = Math.round(Number(source.value));
    if (!isFinite(n)) n = 0;
    n = Math.max(0, Math.min(layer.size - 1, n));
    number.value = slider.value = String(n);
    drawNeuronPanel(panel, layer, n);
  }
  number.addEventListener("input", function () { show(number); });
  slider.addEventListener("input", function () { show(slider); });
  select.addEventListener("change", function () { show(number); });
  show(number);
}

function drawConfusion() {
  var root = document.getElementById("confusion");
  var c = data.confusion;
  if (!c) {
    root.append(el("p", { class: "note" }, ["No validation or test confusion matrix was recorded."]));
    return;
  }
  root.append(el("p", { class: "note" }, ["Epoch " + c.epoch + ". Rows are true classes, columns predictions; shading is the fraction of the row."]));
  var labels = range(0, c.classes - 1).map(String);
  var row = el("div", { class: "row" });
  root.append(row);
  [["validation", c.validation], ["test", c.test]].forEach(function (pair) {
    if (!pair[1]) return;
    var total = 0;
    var right = 0;
    pair[1].forEach(function (r, t) { r.forEach(function (count, p) { total += count; if (p === t) right += count; }); });
    var canvas = el("canvas", { "data-chart": "confusion" });
    row.append(figure([el("b", {}, [pair[0]]), " (" + total + " samples, " + percent(total ? right / total : 0) + " correct)"], [canvas]));
    heatMap(canvas, pair[1], { labels: labels });
  });
}

drawCurves();
drawAtoms();
drawNeuronPicker();
drawConfusion();
document.body.setAttribute("data-ready", "1");
`;
