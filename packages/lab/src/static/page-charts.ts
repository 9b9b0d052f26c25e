/**
 * The report page's drawing functions, as browser JavaScript source: line charts with
 * bands, a heat map, a bar strip and a pixel image, on canvas 2D. Hand-written, no
 * library; a page's own script (memory/memory-page-app.ts) calls them. Kept free of template-literal
 * syntax so it can live in a TypeScript string.
 */

export const PAGE_CHARTS = String.raw`
var FONT = "11px system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
var AXIS = "#5f6b7a";
var GRID = "#eceff3";

/** Size a canvas for the screen's pixel ratio; returns a context in CSS pixels. */
function setupCanvas(canvas, width, height) {
  var ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = width + "px";
  canvas.style.height = height + "px";
  var ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

/** About 'count' round tick values covering [lo, hi]. */
function niceTicks(lo, hi, count) {
  var span = hi - lo;
  var step = Math.pow(10, Math.floor(Math.log10(span / count)));
  var err = (count / span) * step;
  if (err <= 0.15) step *= 10;
  else if (err <= 0.35) step *= 5;
  else if (err <= 0.75) step *= 2;
  var ticks = [];
  for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return { values: ticks, step: step };
}

function formatTick(v, step) {
  if (v === 0) return "0";
  var digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  if (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && digits > 4)) return v.toExponential(1);
  return v.toFixed(Math.min(digits, 6));
}

/** The smallest and largest finite value over arrays (typed or plain). */
function extent(arrays, includeZero) {
  var lo = Infinity;
  var hi = -Infinity;
  for (var a = 0; a < arrays.length; a++) {
    var xs = arrays[a];
    if (!xs) continue;
    for (var i = 0; i < xs.length; i++) {
      var v = xs[i];
      if (v === null || !isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (includeZero) {
    if (lo > 0) lo = 0;
    if (hi < 0) hi = 0;
  }
  if (lo === Infinity) return [0, 1];
  if (hi - lo < 1e-12) {
    var pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1e-3;
    return [lo - pad, hi + pad];
  }
  var margin = (hi - lo) * 0.06;
  return [includeZero && lo === 0 ? 0 : lo - margin, includeZero && hi === 0 ? 0 : hi + margin];
}

/**
 * A line chart. opts: width, height, x (numbers), series [{values, color, width, dash,
 * lo, hi (a band), fill}], y ([min, max], optional), zero (include 0), xLabel, yLabel,
 * percent (y as %), xContinuous (label fractional x ticks too; default: whole numbers only,
 * as for epochs). A null value leaves a gap in its line.
 */
function lineChart(canvas, opts) {
  var W = opts.width;
  var H = opts.height;
  var ctx = setupCanvas(canvas, W, H);
  var left = opts.yLabel ? 52 : 44;
  var right = 10;
  var top = 8;
  var bottom = opts.xLabel ? 34 : 22;
  var pw = W - left - right;
  var ph = H - top - bottom;
  var x = opts.x;
  var x0 = x[0];
  var x1 = x[x.length - 1];
  if (x1 === x0) {
    x0 -= 0.5;
    x1 += 0.5;
  }
  var ys = [];
  opts.series.forEach(function (s) {
    ys.push(s.values, s.lo, s.hi);
  });
  var yr = opts.y || extent(ys, opts.zero);
  var y0 = yr[0];
  var y1 = yr[1];
  function px(v) { return left + ((v - x0) / (x1 - x0)) * pw; }
  function py(v) { return top + (1 - (v - y0) / (y1 - y0)) * ph; }

  ctx.font = FONT;
  ctx.lineWidth = 1;
  var yt = niceTicks(y0, y1, Math.max(2, Math.round(ph / 34)));
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  yt.values.forEach(function (v) {
    if (v < y0 - 1e-12 || v > y1 + 1e-12) return;
    ctx.strokeStyle = v === 0 ? "#c5ccd4" : GRID;
    ctx.beginPath();
    ctx.moveTo(left, Math.round(py(v)) + 0.5);
    ctx.lineTo(left + pw, Math.round(py(v)) + 0.5);
    ctx.stroke();
    ctx.fillStyle = AXIS;
    var label = opts.percent ? formatTick(v * 100, yt.step * 100) + "%" : formatTick(v, yt.step);
    ctx.fillText(label, left - 5, py(v));
  });
  var xt = niceTicks(x0, x1, Math.max(2, Math.round(pw / 60)));
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  xt.values.forEach(function (v) {
    if (!opts.xContinuous && Math.abs(v - Math.round(v)) > 1e-9) return;
    ctx.fillStyle = AXIS;
    ctx.fillText(opts.xContinuous ? formatTick(v, xt.step) : String(Math.round(v)), px(v), top + ph + 5);
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(Math.round(px(v)) + 0.5, top + ph);
    ctx.lineTo(Math.round(px(v)) + 0.5, top + ph + 3);
    ctx.stroke();
  });
  ctx.strokeStyle = "#9aa5b1";
  ctx.strokeRect(left + 0.5, top + 0.5, pw, ph);
  if (opts.xLabel) {
    ctx.fillStyle = AXIS;
    ctx.fillText(opts.xLabel, left + pw / 2, H - 13);
  }
  if (opts.yLabel) {
    ctx.save();
    ctx.translate(11, top + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(opts.yLabel, 0, 0);
    ctx.restore();
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(left - 3, top, pw + 6, ph); // room for the dots at the first and last epoch
  ctx.clip();
  opts.series.forEach(function (s) {
    if (s.lo && s.hi) {
      ctx.fillStyle = s.fill || "rgba(31, 95, 153, 0.18)";
      ctx.beginPath();
      for (var i = 0; i < x.length; i++) ctx.lineTo(px(x[i]), py(s.lo[i]));
      for (var j = x.length - 1; j >= 0; j--) ctx.lineTo(px(x[j]), py(s.hi[j]));
      ctx.closePath();
      ctx.fill();
      if (x.length === 1) ctx.fillRect(px(x[0]) - 3, py(s.hi[0]), 6, py(s.lo[0]) - py(s.hi[0]));
    }
  });
  opts.series.forEach(function (s) {
    if (!s.values) return;
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = s.width || 1.6;
    ctx.setLineDash(s.dash || []);
    ctx.beginPath();
    var open = false;
    for (var i = 0; i < x.length; i++) {
      var v = s.values[i];
      if (v === null || !isFinite(v)) {
        open = false;
        continue;
      }
      if (open) ctx.lineTo(px(x[i]), py(v));
      else ctx.moveTo(px(x[i]), py(v));
      open = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    if (x.length <= 12) {
      for (var k = 0; k < x.length; k++) {
        if (s.values[k] === null || !isFinite(s.values[k])) continue;
        ctx.beginPath();
        ctx.arc(px(x[k]), py(s.values[k]), 2.2, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  });
  ctx.restore();
}

/** A heat map of counts with row-normalised shading; rows are true classes, columns predictions. */
function heatMap(canvas, matrix, opts) {
  var n = matrix.length;
  var cell = Math.max(14, Math.min(34, Math.floor(340 / n)));
  var left = 44;
  var top = 8;
  var W = left + n * cell + 8;
  var H = top + n * cell + 36;
  var ctx = setupCanvas(canvas, W, H);
  ctx.font = FONT;
  for (var t = 0; t < n; t++) {
    var row = matrix[t];
    var total = 0;
    for (var p = 0; p < n; p++) total += row[p];
    for (var q = 0; q < n; q++) {
      var f = total > 0 ? row[q] / total : 0;
      // white (0) to the accent blue (1), by the row's fraction
      ctx.fillStyle = "rgb(" + Math.round(255 - f * (255 - 31)) + "," + Math.round(255 - f * (255 - 95)) + "," + Math.round(255 - f * (255 - 153)) + ")";
      ctx.fillRect(left + q * cell, top + t * cell, cell, cell);
      if (cell >= 20 && row[q] > 0) {
        ctx.fillStyle = f > 0.55 ? "#ffffff" : "#1d232b";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(String(row[q]), left + (q + 0.5) * cell, top + (t + 0.5) * cell);
      }
    }
  }
  ctx.strokeStyle = "#9aa5b1";
  ctx.strokeRect(left + 0.5, top + 0.5, n * cell, n * cell);
  ctx.fillStyle = AXIS;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (var i = 0; i < n; i++) ctx.fillText(opts.labels[i], left - 5, top + (i + 0.5) * cell);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (var j = 0; j < n; j++) ctx.fillText(opts.labels[j], left + (j + 0.5) * cell, top + n * cell + 4);
  ctx.fillText("predicted", left + (n * cell) / 2, top + n * cell + 19);
  ctx.save();
  ctx.translate(11, top + (n * cell) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText("true", 0, 0);
  ctx.restore();
}

/** Signed bars around a zero line: red up for w > 0, blue down for w < 0, scaled to max |w|. */
function barStrip(canvas, values, opts) {
  var W = opts.width;
  var H = opts.height;
  var ctx = setupCanvas(canvas, W, H);
  var n = values.length;
  var labelled = n <= 32;
  var bottom = labelled ? 16 : 4;
  var ph = H - 4 - bottom;
  var mid = 4 + ph / 2;
  var max = 0;
  for (var i = 0; i < n; i++) max = Math.max(max, Math.abs(values[i]));
  var slot = W / n;
  var gap = slot > 4 ? Math.min(3, slot * 0.2) : 0;
  ctx.fillStyle = "#f7f8fa";
  ctx.fillRect(0, 4, W, ph);
  for (var k = 0; k < n; k++) {
    var h = max > 0 ? (values[k] / max) * (ph / 2) : 0;
    ctx.fillStyle = values[k] >= 0 ? "#d6453d" : "#2f6db5";
    var w = Math.max(1, slot - gap);
    if (h >= 0) ctx.fillRect(k * slot + gap / 2, mid - h, w, h);
    else ctx.fillRect(k * slot + gap / 2, mid, w, -h);
  }
  ctx.fillStyle = "#5f6b7a";
  ctx.fillRect(0, Math.round(mid), W, 1);
  if (labelled) {
    ctx.font = FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (var j = 0; j < n; j++) ctx.fillText((opts.labels || [])[j] || String(j), (j + 0.5) * slot, H - 13);
  }
}

/** An RGBA image (rows x cols, 4 bytes a pixel, from 'offset'), scaled up without smoothing. */
function pixelImage(canvas, rgba, offset, rows, cols, size) {
  var ctx = setupCanvas(canvas, size, size);
  var image = new ImageData(cols, rows);
  image.data.set(rgba.subarray(offset, offset + rows * cols * 4));
  var small = document.createElement("canvas");
  small.width = cols;
  small.height = rows;
  small.getContext("2d").putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, size, size);
  ctx.strokeStyle = "#9aa5b1";
  ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
}

/** n distinct colours around the hue circle. */
function palette(n) {
  var colours = [];
  for (var i = 0; i < n; i++) colours.push("hsl(" + Math.round((i * 360) / n + 210) % 360 + ", 62%, " + (i % 2 ? 38 : 50) + "%)");
  return colours;
}
`;
