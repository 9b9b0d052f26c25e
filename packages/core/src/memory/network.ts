/** What every learning rule produces: a recurrent network of N ±1 neurons, its weight matrix and thresholds, recalled by the same dynamics. */

import { InfomorphError } from "../errors.js";
import { checkNeurons } from "./patterns.js";

/**
 * A recurrent network of `neurons` binary ±1 units. Neuron i's field is
 *
 *   h_i = Σ_j weights[i·N + j] · s_j + bias[i]
 *
 * (row i holds the weights *into* neuron i; no symmetry is assumed). Every learning rule
 * here keeps the diagonal at 0 (no self-connections), as the paper does for all rules.
 */
export interface HopfieldNetwork {
  readonly neurons: number;
  /** [N × N] row-major, float32. */
  readonly weights: Float32Array;
  /** [N] thresholds (the rules with biases: MPF); null for none. */
  readonly bias: Float32Array | null;
}

/** A network from its parts, checking the shapes ("memory/bad-shape") and that every weight is finite. */
export function hopfieldNetwork(
  neurons: number,
  weights: Float32Array,
  bias: Float32Array | null = null,
): HopfieldNetwork {
  checkNeurons(neurons);
  if (weights.length !== neurons * neurons) {
    throw new InfomorphError({
      code: "memory/bad-shape",
      path: ["weights"],
      message: `weights has ${weights.length} values, expected neurons² = ${neurons * neurons}.`,
    });
  }
  if (bias !== null && bias.length !== neurons) {
    throw new InfomorphError({
      code: "memory/bad-shape",
      path: ["bias"],
      message: `bias has ${bias.length} values, expected one per neuron (${neurons}).`,
    });
  }
  for (const [name, values] of [
    ["weights", weights],
    ["bias", bias ?? new Float32Array(0)],
  ] as const) {
    for (let e = 0; e < values.length; e++) {
      if (!Number.isFinite(values[e])) {
        throw new InfomorphError({
          code: "memory/not-finite",
          path: [name, e],
          message: `${name}[${e}] is ${values[e]}; the learning rule diverged (lower its learning rate).`,
        });
      }
    }
  }
  return { neurons, weights, bias };
}

/** Set w_ii = 0 for every neuron (no self-connections). */
export function zeroDiagonal(
  weights: Float32Array | Float64Array | Uint8Array,
  neurons: number,
): void {
  for (let i = 0; i < neurons; i++) weights[i * neurons + i] = 0;
}
