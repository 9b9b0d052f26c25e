/**
 * What every static page's script starts with, as browser JavaScript source: decode the
 * embedded data (typed arrays as {dtype, base64}, as core/src/codec/state.ts writes them) into `data`,
 * and the small DOM helpers the pages build their figures with (el, legend, figure, …).
 * Kept free of template-literal syntax so it can live in a TypeScript string.
 */

export const PAGE_COMMON = String.raw`
var DTYPES = {
  float32: Float32Array, float64: Float64Array, int8: Int8Array, int16: Int16Array,
  int32: Int32Array, uint8: Uint8Array, uint8clamped: Uint8ClampedArray,
  uint16: Uint16Array, uint32: Uint32Array
};

/** JSON.parse reviver: {dtype, base64} to a typed array (little-endian bytes), {$number} to a number. */
function revive(key, value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  var keys = Object.keys(value);
  if (keys.length === 2 && typeof value.dtype === "string" && typeof value.base64 === "string" && DTYPES[value.dtype]) {
    var binary = atob(value.base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new DTYPES[value.dtype](bytes.buffer);
  }
  if (keys.length === 1 && typeof value.$number === "string") return Number(value.$number);
  return value;
}

var data = JSON.parse(document.getElementById("report-data").textContent, revive);

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (name) {
    node.setAttribute(name, attrs[name]);
  });
  (children || []).forEach(function (child) {
    if (child === null || child === undefined) return;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  });
  return node;
}

function percent(x) {
  return x === null || x === undefined ? "-" : (100 * x).toFixed(1) + "%";
}

function fixed(x, digits) {
  return Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : x.toFixed(digits);
}

function legend(items) {
  return el("div", { class: "legend" }, items.map(function (item) {
    var swatch = el("i", { class: item.band ? "band" : "", style: "background:" + item.color });
    return el("span", {}, [swatch, item.label]);
  }));
}

function figure(caption, body) {
  var cap = el("figcaption");
  if (typeof caption === "string") cap.textContent = caption;
  else caption.forEach(function (part) { cap.append(part); });
  return el("figure", {}, [cap].concat(body));
}

/** Column v of a row-major [epoch × values] array. */
function column(array, v, values, epochs) {
  var out = new Array(epochs);
  for (var e = 0; e < epochs; e++) out[e] = array[e * values + v];
  return out;
}

function range(from, to) {
  var out = [];
  for (var i = from; i <= to; i++) out.push(i);
  return out;
}
`;
