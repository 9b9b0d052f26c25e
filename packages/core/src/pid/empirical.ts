/** The PID of samples: the empirical (plug-in) joint distribution of observed source and target values, decomposed exactly. */

import { InfomorphError } from "../errors.js";
import { argumentError, checkLength, describeValue } from "../validate/arguments.js";
import { MAX_SOURCES } from "./lattice.js";
import { type PidResult, pidOfTable } from "./table.js";

/** A value a sample may take: a number (finite) or a label. */
export type SampleValue = number | string;

/** The largest joint table built from samples: 2²⁴ cells (128 MiB of float64). */
export const MAX_SAMPLE_TABLE_CELLS = 1 << 24;

/** The PID of samples, with what the table's axes mean. */
export interface SamplesPidResult extends PidResult {
  /** Number of samples. */
  readonly samples: number;
  /** Per axis (sources, then the target), the distinct values in index order. */
  readonly values: readonly (readonly SampleValue[])[];
  /** The joint table's shape: distinct values per source, then per target. */
  readonly shape: readonly number[];
}

/**
 * The I^sx PID of the empirical distribution of `count` samples: `sources[j][i]` is the value
 * of source j in sample i, `target[i]` the target's. Any values (numbers or strings); each
 * axis's distinct values become 0 … k−1, in numeric order when all are numbers (or numeric
 * strings), else in string order. The table is p(s, t) = (times (s, t) was seen) / count,
 * decomposed exactly by pidOfTable — the plug-in estimate, biased upwards for mutual
 * information when samples are few compared with the cells (about cells / (2·count·ln 2)
 * bits), so give many samples per occupied cell. Units: bits.
 *
 * @example pidOfSamples([[0, 0, 1, 1], [0, 1, 0, 1]], [0, 1, 1, 0]).atom("{12}") // 1 (XOR: all synergy)
 */
export function pidOfSamples(
  sources: readonly ArrayLike<SampleValue>[],
  target: ArrayLike<SampleValue>,
  options: { readonly pointwise?: boolean } = {},
): SamplesPidResult {
  if (!Array.isArray(sources) || sources.length < 1) {
    throw argumentError(
      "samples/no-sources",
      ["sources"],
      `must be an array of 1 to ${MAX_SOURCES} source columns (got ${describeValue(sources)})`,
      "Pass one array of values per source, e.g. [[0, 1, 1], [1, 0, 1]].",
    );
  }
  if (sources.length > MAX_SOURCES) {
    throw argumentError(
      "samples/too-many-sources",
      ["sources"],
      `has ${sources.length} sources, but the I^sx lattice supports at most ${MAX_SOURCES} (7579 atoms)`,
      "Merge sources into fewer columns.",
    );
  }
  const columns = [...sources, target];
  const names = columns.map((_, c) => (c < sources.length ? ["sources", c] : ["target"]));
  const count = columnLength(target, ["target"]);
  if (count === 0) {
    throw argumentError("samples/empty", ["target"], "has no samples", "Give at least one sample.");
  }
  columns.forEach((column, c) => {
    columnLength(column, names[c]);
    checkLength(column, count, names[c], `the target's ${count} samples`, {
      fix: "Every source needs one value per sample, as the target has.",
    });
  });
  const values: SampleValue[][] = [];
  const indices: Int32Array[] = [];
  columns.forEach((column, c) => {
    const { distinct, index } = indexColumn(column, names[c], count);
    values.push(distinct);
    indices.push(index);
  });
  const shape = values.map((v) => v.length);
  const cells = shape.reduce((a, b) => a * b, 1);
  if (cells > MAX_SAMPLE_TABLE_CELLS) {
    throw new InfomorphError({
      code: "samples/table-too-large",
      path: ["sources"],
      message: `the columns have ${shape.join(" × ")} distinct values, a joint table of ${cells} cells (at most ${MAX_SAMPLE_TABLE_CELLS}); bin the columns into fewer values.`,
    });
  }
  const counts = new Float64Array(cells);
  for (let i = 0; i < count; i++) {
    let flat = 0;
    for (let c = 0; c < columns.length; c++) flat = flat * shape[c] + indices[c][i];
    counts[flat] += 1;
  }
  const pid = pidOfTable(counts, shape, { normalize: true, pointwise: options.pointwise });
  return { ...pid, samples: count, values, shape };
}

function columnLength(column: unknown, path: readonly (string | number)[]): number {
  if (!Array.isArray(column) && !(ArrayBuffer.isView(column) && !(column instanceof DataView))) {
    throw argumentError(
      "argument/wrong-type",
      path,
      `must be an array of values (got ${describeValue(column)})`,
      "Pass one value per sample.",
    );
  }
  return (column as ArrayLike<unknown>).length;
}

/** A column's distinct values in order (see pidOfSamples) and each sample's index among them. */
function indexColumn(
  column: ArrayLike<SampleValue>,
  path: readonly (string | number)[],
  count: number,
): { distinct: SampleValue[]; index: Int32Array } {
  const seen = new Map<SampleValue, number>();
  for (let i = 0; i < count; i++) {
    const v = column[i];
    if (!(typeof v === "string" || (typeof v === "number" && Number.isFinite(v)))) {
      throw argumentError(
        "samples/bad-value",
        [...path, i],
        `is ${describeValue(v)}; a sample's value is a finite number or a string`,
        'Drop the samples with missing values, or encode them as a value of their own (e.g. "missing").',
      );
    }
    if (!seen.has(v)) seen.set(v, seen.size);
  }
  const distinct = sortValues([...seen.keys()]);
  const position = new Map(distinct.map((v, k) => [v, k]));
  const index = new Int32Array(count);
  for (let i = 0; i < count; i++) index[i] = position.get(column[i]) as number;
  return { distinct, index };
}

/** Numeric order when every value is a number or a numeric string, else string order. */
function sortValues(values: SampleValue[]): SampleValue[] {
  const numeric = values.every(
    (v) => typeof v === "number" || (v.trim() !== "" && Number.isFinite(Number(v))),
  );
  const text = (v: SampleValue) => String(v);
  return values.sort((a, b) => {
    if (numeric && Number(a) !== Number(b)) return Number(a) - Number(b);
    const x = text(a);
    const y = text(b);
    return x < y ? -1 : x > y ? 1 : typeof a === typeof b ? 0 : typeof a === "number" ? -1 : 1;
  });
}
