/** The PID atoms of a trained network's neurons, with one definition for every learning rule: how the recall output of each neuron depends on its pattern bit and on its recurrent field. */

import type { Kernels } from "../kernels/kernels.js";
import { binIndex } from "../neuron/binning.js";
import { PidEstimator, estimatorOutput } from "../pid/samples.js";
import type { HopfieldNetwork } from "./network.js";

/** Values per neuron in atom arrays: unique external {1}, unique internal {2}, redundancy {1}{2}, synergy {12}, H_res. */
export const MEMORY_ATOM_STRIDE = 5;

/** The names of the MEMORY_ATOM_STRIDE values, in order. */
export const MEMORY_ATOM_NAMES = ["{1}", "{2}", "{1}{2}", "{12}", "H_res"] as const;

/**
 * The recall atoms of every neuron: the PID (I^sx, bits) of its one-step output
 * Y_i = sign(h_i) (h = W·ξ + b; ties keep ξ_i) over the stored patterns ξ, with sources
 * S1 = ξ_i (the external pattern bit) and S2 = h_i binned into `bins` equal bins after
 * dividing by the neuron's max |h_i| over the patterns (adaptive binning, so the result does
 * not depend on the rule's weight scale; with an even number of bins an edge falls at 0, so
 * S2 determines Y).
 * Y is deterministic (θ ∈ {0, 1}).
 *
 * Where every pattern is a fixed point, Y_i = ξ_i is a function of S2 and the neuron's
 * information is all redundant: Π{1}{2} = H(Y) and the other atoms vanish. As storage fails,
 * unique and synergistic information appear (the paper's Fig. 1 observation for Hebbian
 * networks). Output [neuron × 5]: the four atoms in canonical order, then H_res (0 here).
 *
 * @example recallAtoms(hebbian(patterns, 5, 100, k), patterns, 5, k)[2] // ≈ 1 bit of redundancy for neuron 0
 */
export function recallAtoms(
  network: HopfieldNetwork,
  patterns: Float32Array,
  count: number,
  kernels: Pick<Kernels, "matmulABt" | "runPid">,
  bins = 60,
): Float64Array {
  const N = network.neurons;
  const P = count;
  const fields = new Float32Array(P * N);
  kernels.matmulABt(patterns, network.weights, fields, P, N, N, network.bias);
  const peak = new Float64Array(N);
  for (let e = 0; e < P * N; e++) peak[e % N] = Math.max(peak[e % N], Math.abs(fields[e]));
  const bin = new Uint8Array(N * P * 2);
  const theta = new Float64Array(N * P);
  for (let mu = 0; mu < P; mu++) {
    for (let i = 0; i < N; i++) {
      const xi = patterns[mu * N + i];
      const h = fields[mu * N + i];
      const y = h > 0 ? 1 : h < 0 ? -1 : xi;
      theta[i * P + mu] = y > 0 ? 1 : 0;
      bin[(i * P + mu) * 2] = xi > 0 ? 1 : 0;
      bin[(i * P + mu) * 2 + 1] = binIndex(peak[i] > 0 ? h / peak[i] : 0, -1, 1, bins);
    }
  }
  const estimator = new PidEstimator({ sources: 2, bins, batch: P, gamma: [0, 0, 1, 0, 0] });
  const output = estimatorOutput(estimator.config, N);
  kernels.runPid(estimator, { neurons: N, binIndex: bin, theta }, output);
  return interleaveAtoms(output.atoms, output.hRes, N);
}

/** [neuron × 4] atoms and [neuron] H_res into one [neuron × 5] array. */
export function interleaveAtoms(
  atoms: Float64Array,
  hRes: Float64Array,
  neurons: number,
): Float64Array {
  const out = new Float64Array(neurons * MEMORY_ATOM_STRIDE);
  for (let i = 0; i < neurons; i++) {
    out.set(atoms.subarray(i * 4, i * 4 + 4), i * MEMORY_ATOM_STRIDE);
    out[i * MEMORY_ATOM_STRIDE + 4] = hRes[i];
  }
  return out;
}
