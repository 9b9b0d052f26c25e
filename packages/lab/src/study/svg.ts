/** The study page's charts as inline SVG drawn in Node: the optimisation history, learning curves and importance bars. No script, so the page works anywhere, offline. */

const AXIS = "#5f6b7a";
const GRID = "#eceff3";
const FONT = `font-family="system-ui, sans-serif" font-size="11"`;
/** Colours of lines for the top trials, best first. */
export const SERIES = ["#1f5f99", "#b3261e", "#2e7d32", "#8e44ad", "#e67e22"];

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
}
const PAD = { left: 46, right: 12, top: 10, bottom: 30 };

/** A point's SVG coordinates in a frame. */
function at(f: Frame, x: number, y: number): [number, number] {
  const w = f.width - PAD.left - PAD.right;
  const h = f.height - PAD.top - PAD.bottom;
  const px = PAD.left + ((x - f.x[0]) / (f.x[1] - f.x[0] || 1)) * w;
  const py = PAD.top + h - ((y - f.y[0]) / (f.y[1] - f.y[0] || 1)) * h;
  return [round(px), round(py)];
}

/** About five round ticks over [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5 || 1;
  const step =
    [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/** Axes, grid and labels of a frame; y values shown as percent when `percent`. */
function axes(f: Frame, xLabel: string, yLabel: string, percent: boolean): string {
  const parts: string[] = [];
  for (const v of ticks(f.y[0], f.y[1])) {
    const [, y] = at(f, f.x[0], v);
    parts.push(
      `<line x1="${PAD.left}" x2="${f.width - PAD.right}" y1="${y}" y2="${y}" stroke="${GRID}"/>`,
    );
    parts.push(
      `<text x="${PAD.left - 4}" y="${y + 3}" text-anchor="end" fill="${AXIS}" ${FONT}>${percent ? `${round(100 * v)}` : v}</text>`,
    );
  }
  for (const v of ticks(f.x[0], f.x[1]).filter((v) => Number.isInteger(v))) {
    const [x, y] = at(f, v, f.y[0]);
    parts.push(
      `<text x="${x}" y="${y + 14}" text-anchor="middle" fill="${AXIS}" ${FONT}>${v}</text>`,
    );
  }
  parts.push(
    `<text x="${(f.width + PAD.left) / 2}" y="${f.height - 3}" text-anchor="middle" fill="${AXIS}" ${FONT}>${xLabel}</text>`,
  );
  parts.push(
    `<text transform="translate(11 ${f.height / 2}) rotate(-90)" text-anchor="middle" fill="${AXIS}" ${FONT}>${yLabel}</text>`,
  );
  return parts.join("");
}

function svg(f: Frame, body: string, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${label}">${body}</svg>`;
}

/**
 * Every trial's value (a dot; failed trials as a red cross on the floor) and the best so far
 * (a step line), against the trial id.
 */
export function historyChart(
  history: readonly { id: number; value: number | null; state: string }[],
  best: readonly (number | null)[],
  /** Draw only values in [low, high] (a zoom on the best trials); default all. */
  range?: readonly [number, number],
): string {
  const values = history.flatMap((h) => (h.value === null ? [] : [h.value]));
  const lo = range?.[0] ?? (values.length > 0 ? Math.max(0, Math.min(...values) - 0.02) : 0);
  const hi = range?.[1] ?? (values.length > 0 ? Math.min(1, Math.max(...values) + 0.02) : 1);
  const f: Frame = {
    width: range ? 490 : 600,
    height: range ? 260 : 300,
    x: [0, Math.max(1, history.length - 1)],
    y: [lo, hi],
  };
  const dots = history.map((h) => {
    if (h.value !== null && (h.value < lo || h.value > hi)) return "";
    if (h.value !== null) {
      const [x, y] = at(f, h.id, h.value);
      return `<circle cx="${x}" cy="${y}" r="2.6" fill="#1f5f99" fill-opacity="0.55"><title>trial ${h.id}: ${pct(h.value)}</title></circle>`;
    }
    if (h.state !== "failed" || range) return "";
    const [x, y] = at(f, h.id, f.y[0]);
    return `<path d="M${x - 3} ${y - 3}L${x + 3} ${y + 3}M${x - 3} ${y + 3}L${x + 3} ${y - 3}" stroke="#b3261e" stroke-width="1.5"><title>trial ${h.id}: failed</title></path>`;
  });
  let path = "";
  best.forEach((b, i) => {
    if (b === null || b < lo) return; // in a zoom, the line starts where it enters the range
    const [x, y] = at(f, i, b);
    path += path === "" ? `M${x} ${y}` : `H${x}V${y}`;
  });
  const line = path ? `<path d="${path}" fill="none" stroke="#b3261e" stroke-width="1.8"/>` : "";
  return svg(
    f,
    axes(f, "trial", "validation accuracy (%)", true) + dots.join("") + line,
    "optimisation history",
  );
}

/** Validation accuracy per epoch of several trials, one line each, coloured as SERIES. */
export function curvesChart(
  curves: readonly { id: number; validation: readonly number[] }[],
): string {
  const values = curves.flatMap((c) => c.validation);
  const epochs = Math.max(1, ...curves.map((c) => c.validation.length));
  const f: Frame = {
    width: 420,
    height: 260,
    x: [1, Math.max(2, epochs)],
    y: [Math.max(0, Math.min(...values) - 0.01), Math.min(1, Math.max(...values) + 0.01)],
  };
  const lines = curves.map((c, k) => {
    const points = c.validation.map((v, e) => at(f, e + 1, v).join(",")).join(" ");
    return `<polyline points="${points}" fill="none" stroke="${SERIES[k % SERIES.length]}" stroke-width="1.6"><title>trial ${c.id}</title></polyline>`;
  });
  return svg(
    f,
    axes(f, "epoch", "validation accuracy (%)", true) + lines.join(""),
    "learning curves of the best trials",
  );
}

/** Horizontal bars of values in [0, 1] with labels and a note per bar. */
export function barsChart(
  items: readonly { label: string; value: number; note: string }[],
): string {
  const row = 18;
  const width = 620;
  const labelWidth = 120;
  const barWidth = 300;
  const height = items.length * row + 8;
  const bars = items.map((item, i) => {
    const y = 4 + i * row;
    const w = round(Math.max(0, Math.min(1, item.value)) * barWidth);
    return [
      `<text x="${labelWidth - 6}" y="${y + 12}" text-anchor="end" fill="#1d232b" font-family="ui-monospace, monospace" font-size="11">${escapeXml(item.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${w}" height="11" fill="#1f5f99" fill-opacity="0.75"/>`,
      `<text x="${labelWidth + w + 6}" y="${y + 12}" fill="${AXIS}" ${FONT}>${escapeXml(item.note)}</text>`,
    ].join("");
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="parameter importance">${bars.join("")}</svg>`;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)} %`;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
