/** What the training estimator derives once from the lattice of n sources and its goal γ: the weight of every I^sx value in G, and the inclusion–exclusion terms of the multi-collection antichains, flattened for its loops (and for the WebAssembly kernel, which gets them as they are). */

import { InfomorphError } from "../errors.js";
import type { Lattice } from "./lattice.js";

/** The estimator's fixed tables for one lattice and goal (see estimatorTerms). */
export interface EstimatorTerms {
  /** γ of the atoms, in canonical order, and γ_res of H_res. */
  readonly gammaAtoms: Float64Array;
  readonly gammaRes: number;
  /** c = Mᵀγ with −γ_res at the top node: the weights of the I^sx values in G. */
  readonly redundancyWeights: Float64Array;
  /** Source subsets, as slots 0 … 2ⁿ − 2 (subset = slot + 1); the last one is all sources. */
  readonly slotCount: number;
  readonly fullSlot: number;
  /** Per subset slot, the antichain {M}. */
  readonly singleOf: Int32Array;
  /** Multi-collection antichains, flattened: terms multiStart[a]…multiStart[a+1]−1 of antichain multiAntichain[a]. */
  readonly multiAntichain: Int32Array;
  readonly multiStart: Int32Array;
  /** Per term: its subset slot and inclusion–exclusion coefficient. */
  readonly multiSlot: Int32Array;
  readonly multiCoef: Float64Array;
  /** c_α · coefficient, per term: the weight of each term in the merged adjoint. */
  readonly multiWeighted: Float64Array;
  /** c_α of the multi-collection antichains, in lattice order. */
  readonly multiWeights: Float64Array;
}

/**
 * The tables of `lattice` for the goal `gamma` (atoms in canonical order, then γ_res; its
 * length is checked by the caller). Precision: float64, computed once.
 *
 * @example estimatorTerms(lattice(2), [0, 0, 0, 1, 0]).multiAntichain // [0]: {1}{2}
 */
export function estimatorTerms(lattice: Lattice, gamma: ArrayLike<number>): EstimatorTerms {
  const size = lattice.size;
  const gammaAtoms = Float64Array.from({ length: size }, (_, a) => gamma[a]);
  const gammaRes = gamma[size];
  const redundancyWeights = lattice.moebiusTransposed(gammaAtoms);
  redundancyWeights[lattice.top] -= gammaRes;

  const slotCount = (1 << lattice.sources) - 1;
  const singleOf = Int32Array.from({ length: slotCount }, (_, s) => lattice.collectionIndex(s + 1));
  const multi = lattice.antichains.filter((a) => a.collections.length > 1).map((a) => a.index);
  const multiStart = new Int32Array(multi.length + 1);
  multi.forEach((a, k) => {
    multiStart[k + 1] = multiStart[k] + lattice.terms[a].subsets.length;
  });
  const termCount = multiStart[multi.length];
  const multiSlot = new Int32Array(termCount);
  const multiCoef = new Float64Array(termCount);
  const multiWeighted = new Float64Array(termCount);
  multi.forEach((a, k) => {
    const { subsets, coefficients } = lattice.terms[a];
    for (let t = 0; t < subsets.length; t++) {
      multiSlot[multiStart[k] + t] = subsets[t] - 1;
      multiCoef[multiStart[k] + t] = coefficients[t];
      multiWeighted[multiStart[k] + t] = redundancyWeights[a] * coefficients[t];
    }
  });
  return {
    gammaAtoms,
    gammaRes,
    redundancyWeights,
    slotCount,
    fullSlot: slotCount - 1,
    singleOf,
    multiAntichain: Int32Array.from(multi),
    multiStart,
    multiSlot,
    multiCoef,
    multiWeighted,
    multiWeights: Float64Array.from(multi, (a) => redundancyWeights[a]),
  };
}

/** γ must hold one finite weight per atom, then γ_res. */
export function checkGamma(gamma: ArrayLike<number>, sources: number, size: number): void {
  if (gamma.length !== size + 1) {
    throw new InfomorphError({
      code: "estimator/bad-gamma",
      path: ["gamma"],
      message: `gamma has ${gamma.length} entries; ${sources} sources need ${size + 1} (${size} atoms in canonical order, then H_res).`,
    });
  }
  for (let a = 0; a <= size; a++) {
    if (!Number.isFinite(gamma[a])) {
      throw new InfomorphError({
        code: "estimator/bad-gamma",
        path: ["gamma", a],
        message: `gamma[${a}] is ${gamma[a]}; every goal weight must be a finite number.`,
      });
    }
  }
}
