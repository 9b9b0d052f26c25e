/** Goal-sensitivity study (docs/SCIENCE.md §7): the perturbed goal vectors (each γ_i zeroed, scaled, shifted) and the cumulative-zeroing sequence. */

import { InfomorphError } from "../errors.js";
import { H_RES } from "../goals/goal.js";
import { lattice } from "../pid/lattice.js";

/** How one entry of the goal vector is changed. */
export type SensitivityChange = "zero" | "scale-0.9" | "scale-1.1" | "plus-0.1" | "minus-0.1";

/** The changes applied to every entry, in this order. */
export const SENSITIVITY_CHANGES: readonly SensitivityChange[] = [
  "zero",
  "scale-0.9",
  "scale-1.1",
  "plus-0.1",
  "minus-0.1",
];

export interface SensitivityVariant {
  /** For reports and plots, e.g. "(FC)(FL) = 0", "(F) × 0.9", "H_res − 0.1". */
  readonly label: string;
  /** Index of the changed entry in the goal vector. */
  readonly index: number;
  /** Name of the changed entry, as given in `names`. */
  readonly name: string;
  readonly change: SensitivityChange;
  /** The modified goal vector (a fresh copy; every other entry as in the baseline). */
  readonly gamma: Float64Array;
}

/**
 * All single-entry perturbations of a goal vector γ (atoms in canonical order, then
 * H_res): for each entry i, in vector order, five variants in the order of
 * {@link SENSITIVITY_CHANGES}:
 *
 *   γ_i → 0,   γ_i·0.9,   γ_i·1.1,   γ_i + 0.1,   γ_i − 0.1
 *
 * computed in float64 exactly as written (e.g. 0.331 × 0.9 = 0.2979 up to rounding).
 * A zero entry still yields its five variants (three equal the baseline), so the grid
 * is always 5 × length. Precision: float64.
 *
 * @example
 * sensitivityVariants([1, 0], ["(F)", "H_res"])[3]
 * // { label: "(F) + 0.1", index: 0, name: "(F)", change: "plus-0.1", gamma: [1.1, 0] }
 */
export function sensitivityVariants(
  gamma: ArrayLike<number>,
  names: readonly string[],
): SensitivityVariant[] {
  checkGamma(gamma);
  if (names.length !== gamma.length || new Set(names).size !== names.length) {
    throw new InfomorphError({
      code: "sensitivity/bad-names",
      path: ["names"],
      message: `need ${gamma.length} distinct names, one per goal entry (got ${names.length}${new Set(names).size !== names.length ? ", with repeats" : ""}); use goalVectorNames(sources, classNames).`,
    });
  }
  const variants: SensitivityVariant[] = [];
  for (let i = 0; i < gamma.length; i++) {
    const g = gamma[i];
    const name = names[i];
    const changed: [SensitivityChange, number, string][] = [
      ["zero", 0, `${name} = 0`],
      ["scale-0.9", g * 0.9, `${name} × 0.9`],
      ["scale-1.1", g * 1.1, `${name} × 1.1`],
      ["plus-0.1", g + 0.1, `${name} + 0.1`],
      ["minus-0.1", g - 0.1, `${name} − 0.1`],
    ];
    for (const [change, value, label] of changed) {
      const next = Float64Array.from(gamma);
      next[i] = value;
      variants.push({ label, index: i, name, change, gamma: next });
    }
  }
  return variants;
}

/**
 * The cumulative-zeroing sequence: step k (0-based) is γ with the entries order[0…k]
 * set to 0, so the result has order.length vectors and the last zeroes every listed
 * entry. Entries not in `order` keep their value throughout. Precision: float64; the
 * kept entries are copied bit for bit.
 *
 * @example cumulativeZeroing([1, 2, 3], [2, 0]) // [[1, 2, 0], [0, 2, 0]]
 */
export function cumulativeZeroing(
  gamma: ArrayLike<number>,
  order: readonly number[],
): Float64Array[] {
  checkGamma(gamma);
  const seen = new Set<number>();
  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= gamma.length) {
      throw new InfomorphError({
        code: "sensitivity/bad-order",
        path: ["order"],
        message: `order lists ${i}, which is not an entry of the ${gamma.length}-entry goal vector (indices 0…${gamma.length - 1}).`,
      });
    }
    if (seen.has(i)) {
      throw new InfomorphError({
        code: "sensitivity/bad-order",
        path: ["order"],
        message: `order lists entry ${i} twice; each entry is zeroed once.`,
      });
    }
    seen.add(i);
  }
  const steps: Float64Array[] = [];
  const current = Float64Array.from(gamma);
  for (const i of order) {
    current[i] = 0;
    steps.push(current.slice());
  }
  return steps;
}

/**
 * The paper's cumulative-zeroing order for the trivariate goal tpe_1 (ICLR 2025;
 * docs/SCIENCE.md §7), least important first, by alias with classes F, C, L; H_res is the
 * last goal entry.
 */
export const TRIVARIATE_ZEROING_NAMES: readonly string[] = Object.freeze([
  "(F)(CL)",
  "(CL)",
  "(FC)(FL)(CL)",
  "(FCL)",
  "(C)(FL)",
  "(L)",
  "(C)",
  "(FC)",
  H_RES,
  "(FL)(CL)",
  "(FC)(CL)",
  "(L)(FC)",
  "(FL)",
  "(C)(L)",
  "(F)",
  "(F)(C)",
  "(F)(C)(L)",
  "(F)(L)",
  "(FC)(FL)",
]);

/** {@link TRIVARIATE_ZEROING_NAMES} as indices into the 19-entry trivariate goal vector. */
export const TRIVARIATE_ZEROING_ORDER: readonly number[] = Object.freeze(
  TRIVARIATE_ZEROING_NAMES.map((name) => {
    const lat = lattice(3);
    return name === H_RES ? lat.size : lat.indexOf(name, ["F", "C", "L"]);
  }),
);

function checkGamma(gamma: ArrayLike<number>): void {
  for (let i = 0; i < gamma.length; i++) {
    if (!Number.isFinite(gamma[i])) {
      throw new InfomorphError({
        code: "sensitivity/bad-gamma",
        path: ["gamma", i],
        message: `goal entry ${i} is ${gamma[i]}; every γ must be a finite number.`,
      });
    }
  }
  if (gamma.length === 0) {
    throw new InfomorphError({
      code: "sensitivity/bad-gamma",
      path: ["gamma"],
      message: "the goal vector is empty; pass γ over the atoms in canonical order, then H_res.",
    });
  }
}
