/** Test helpers: the I^sx ground-truth vectors (a committed fixture) and seeded random tables. Used by tests only. */

import { createHash } from "node:crypto";
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

/** sha256 of fixtures/pid_vectors.json as computed by SxPID (provenance: fixtures/README.md). */
const PID_VECTORS_SHA256 = "6572af86cd89fe669e45ebcbb88c657dc4599d5e5cb38bc189861a36c04203d0";

/**
 * The cases of fixtures/pid_vectors.json. Throws if the file is not the one whose provenance
 * fixtures/README.md states: ground truth is never edited to make a test pass.
 */
export function loadPidVectors(): PidVectorCase[] {
  const bytes = readFileSync(new URL("./fixtures/pid_vectors.json", import.meta.url));
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== PID_VECTORS_SHA256) {
    throw new Error(
      `testing/fixtures/pid_vectors.json has sha256 ${sha256}, not the SxPID file's ${PID_VECTORS_SHA256}. Restore it with git checkout; see testing/fixtures/README.md.`,
    );
  }
  return JSON.parse(bytes.toString("utf8")).cases;
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
