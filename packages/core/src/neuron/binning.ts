/**
 * Equal-width binning of each neuron's source values into K bins, the discrete PID sources.
 *
 * Two modes (docs/SCIENCE.md §4):
 * - "fixed": raw values over a fixed range [min, max], values outside clamped to the end bins;
 * - "adaptive": symmetric normalisation, v / max_batch|v| ∈ [−1, 1], per neuron, per source,
 *   per batch, then K bins over [−1, 1].
 *
 * Reference quirk: the published trivariate hidden layer bins raw values over [−20, 20] and
 * ignores its own "normalize" flag, while the bivariate and output layers bin adaptively. We
 * offer both modes and the presets choose explicitly; nothing here switches silently.
 *
 * Bin assignment is not differentiated; only θ carries gradient (docs/SCIENCE.md §4.4).
 */

import { InfomorphError } from "../errors.js";
import type { BinSpec } from "../kernels/params.js";

/** The hot path (one value, a layer) is the kernels' TypeScript binning. */
export { binIndex, binLayer } from "../kernels/ts/binning.js";

/**
 * How one layer bins its source values (the kernels' BinSpec): "fixed" bins raw values
 * clamped into [min, max]; "adaptive" bins v / max_batch|v| ∈ [−1, 1], per neuron and
 * source, per batch. See resolveBinning() for defaults.
 */
export type Binning = BinSpec;

/** A binning as written in a config: any field but `kind` may be left to its default. */
export type BinningInput =
  | { kind: "fixed"; bins?: number; min?: number; max?: number }
  | { kind: "adaptive"; bins?: number };

const FIELDS = { fixed: ["kind", "bins", "min", "max"], adaptive: ["kind", "bins"] } as const;

/**
 * Fill defaults and validate: bins = 20 for both kinds, min = −20 and max = 20 for "fixed"
 * (the reference's trivariate range). bins must be an integer from 2 to 255 (a bin index fits
 * a byte); min and max finite with min < max.
 *
 * @example resolveBinning({ kind: "fixed" }) // { kind: "fixed", bins: 20, min: -20, max: 20 }
 */
export function resolveBinning(b: BinningInput): Binning {
  const kind = (b as { kind?: unknown } | null)?.kind;
  if (kind !== "fixed" && kind !== "adaptive") {
    throw new InfomorphError({
      code: "binning/unknown",
      path: ["kind"],
      message: `unknown binning kind ${show(kind)}. Valid kinds: "fixed", "adaptive".`,
    });
  }
  const allowed: readonly string[] = FIELDS[kind];
  for (const key of Object.keys(b)) {
    if (!allowed.includes(key)) {
      throw new InfomorphError({
        code: "binning/bad-param",
        path: [key],
        message: `binning "${kind}" has no field "${key}". Its fields are: ${allowed.join(", ")}.`,
      });
    }
  }
  const bins = b.bins ?? 20;
  if (typeof bins !== "number" || !Number.isInteger(bins) || bins < 2 || bins > 255) {
    throw new InfomorphError({
      code: "binning/bad-bins",
      path: ["bins"],
      message: `bins must be an integer from 2 to 255 (got ${show(bins)}). Try 20.`,
    });
  }
  if (b.kind === "adaptive") return { kind: "adaptive", bins };
  const min = b.min ?? -20;
  const max = b.max ?? 20;
  for (const [name, x, hint] of [
    ["min", min, -20],
    ["max", max, 20],
  ] as const) {
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new InfomorphError({
        code: "binning/bad-range",
        path: [name],
        message: `${name} must be a finite number (got ${show(x)}). Try ${hint}.`,
      });
    }
  }
  if (!(min < max)) {
    throw new InfomorphError({
      code: "binning/bad-range",
      path: ["max"],
      message: `min must be less than max (got min ${min}, max ${max}). Try min: -20, max: 20.`,
    });
  }
  return { kind: "fixed", bins, min, max };
}

/** A received value as the user wrote it: numbers bare, everything else as JSON. */
function show(x: unknown): string {
  if (typeof x === "number") return String(x);
  return JSON.stringify(x) ?? String(x);
}
