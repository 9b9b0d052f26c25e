/** Test helpers: the shared I^sx ground-truth vectors and seeded random tables. Used by tests only. */

import { readFileSync } from "node:fs";
import { Rng } from "../src/random/rng.js";

export interface PidVectorCase {
  name: string;
  n_sources: number;
  shape: number[];
  p_flat: number[];
  atoms: Record<string, number>;
  atoms_informative: Record<string, number>;
  atoms_misinformative: Record<string, number>;
  redundancies: Record<string, number>;
  mutual_information: Record<string, number>;
  pointwise?: {
    index: number[];
    p: number;
    atoms: Record<string, number>;
    atoms_informative: Record<string, number>;
    atoms_misinformative: Record<string, number>;
  }[];
}

/** The cases of ../shared/pid_vectors.json (beside the repository). */
export function loadPidVectors(): PidVectorCase[] {
  const url = new URL("../../../../shared/pid_vectors.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).cases;
}

/** A random normalised table; `zeroFraction` of its cells are set to 0. */
export function randomTable(
  shape: readonly number[],
  seed: number,
  zeroFraction = 0,
): Float64Array {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const p = Float64Array.from({ length: size }, () =>
    rng.uniform() < zeroFraction ? 0 : rng.uniform(),
  );
  if (p.every((v) => v === 0)) p[0] = 1;
  const sum = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / sum);
}
