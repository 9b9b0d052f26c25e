/** A layer's atoms per neuron, read by name: the named view of the per-epoch means a model and a run folder record. */

import { InfomorphError } from "../errors.js";
import { H_RES } from "../goals/goal.js";
import { lattice } from "../pid/lattice.js";
import type { LayerEpochStats } from "./model.js";

/**
 * The atoms of every neuron of one layer, in bits, averaged over an epoch's training batches
 * (label context present): each neuron's PID of its output Y with its sources (F, C, L) as
 * the training estimator computed it. Σ atoms + H_res = H(Y) ≤ 1 bit per neuron.
 */
export interface LayerAtoms {
  /** The layer's name: "hidden" or "output". */
  readonly layer: string;
  readonly neurons: number;
  /** The layer's PID sources in order, e.g. ["F", "C", "L"]. */
  readonly sources: readonly string[];
  /** Canonical atom names in canonical order ("{1}{2}", …), then "H_res". */
  readonly names: readonly string[];
  /** The same atoms by alias over the sources ("(F)(C)", …), then "H_res". */
  readonly aliases: readonly string[];
  /** [neuron × (atoms + 1)], row-major: atoms in canonical order, then H_res. */
  readonly values: Float64Array;
  /** One atom of every neuron (length `neurons`), by canonical name, alias or "H_res". */
  atom(name: string): Float64Array;
  /** Every atom of one neuron, keyed by alias, then H_res. */
  neuron(index: number): Record<string, number>;
}

/**
 * Named access to a layer's epoch statistics (EpochRecord.layers, or a run folder's atoms).
 *
 * @example layerAtoms(record.layers[0]).atom("(F)(C)") // Float64Array, one value per neuron
 * @example layerAtoms(record.layers[0]).neuron(3)["(FC)(FL)"] // bits
 */
export function layerAtoms(stats: LayerEpochStats): LayerAtoms {
  const lat = lattice(stats.sources.length);
  const stride = lat.size + 1;
  const aliases = [...lat.names.map((_, a) => lat.alias(a, stats.sources)), H_RES];
  const names = [...lat.names, H_RES];
  const values = stats.atoms;
  const column = (name: string): number => {
    if (name === H_RES) return lat.size;
    try {
      return lat.indexOf(name, stats.sources);
    } catch (err) {
      if (!(err instanceof InfomorphError)) throw err;
      throw new InfomorphError({
        code: "atoms/unknown-atom",
        path: ["name"],
        message: `the ${stats.name} layer (sources ${stats.sources.join(", ")}) has no atom "${name}". Its atoms: ${aliases.join(", ")} (or canonical names ${lat.names.join(", ")}).`,
      });
    }
  };
  return {
    layer: stats.name,
    neurons: stats.size,
    sources: stats.sources,
    names,
    aliases,
    values,
    atom(name) {
      const a = column(name);
      return Float64Array.from({ length: stats.size }, (_, k) => values[k * stride + a]);
    },
    neuron(index) {
      if (!Number.isInteger(index) || index < 0 || index >= stats.size) {
        throw new InfomorphError({
          code: "atoms/bad-neuron",
          path: ["index"],
          message: `neuron ${index} is not in the ${stats.name} layer, which has neurons 0 … ${stats.size - 1}.`,
        });
      }
      return Object.fromEntries(aliases.map((alias, a) => [alias, values[index * stride + a]]));
    },
  };
}

/** The error of atoms() on a backprop network, which computes no PID. */
export function backpropHasNoAtoms(): InfomorphError {
  return new InfomorphError({
    code: "atoms/not-available",
    path: ["layer"],
    message:
      "a backprop network computes no PID atoms; train an infomorphic preset (e.g. trivariate) to read atoms.",
  });
}
