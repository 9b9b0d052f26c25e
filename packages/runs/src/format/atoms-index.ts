/** atoms.json, the index of a run's atom trajectories (layers, sizes, sources, atom names, epochs stored), made and checked; the trajectories are one float32 file per layer, [epoch][neuron][atom + 1]. */

import { type LayerEpochStats, lattice } from "@infomorph/core";

export const ATOMS_INDEX_FILE = "atoms.json";

/** One layer in atoms.json. */
export interface AtomsLayer {
  name: string;
  size: number;
  sources: string[];
  /** The trajectory file, relative to the run folder. */
  file: string;
  /** Canonical atom names, in storage order; H_res is stored after them. */
  atoms: string[];
  /** The same atoms named by source, e.g. "(F)(C)". */
  aliases: string[];
  /** Values per neuron per epoch: atoms + 1 (H_res). */
  stride: number;
}

/** atoms.json. */
export interface AtomsIndex {
  format: 1;
  /** Epochs stored in every layer's file; read only epochs × size × stride float32 values. */
  epochs: number;
  dtype: "float32";
  byteOrder: "little";
  layout: "[epoch][neuron][atom + 1], atoms in canonical order, H_res last";
  layers: AtomsLayer[];
}

/** atoms.json for these layers, with no epochs stored yet. */
export function atomsIndex(layers: readonly LayerEpochStats[]): AtomsIndex {
  return {
    format: 1,
    epochs: 0,
    dtype: "float32",
    byteOrder: "little",
    layout: "[epoch][neuron][atom + 1], atoms in canonical order, H_res last",
    layers: layers.map((layer) => {
      const sources = [...layer.sources];
      const lat = lattice(sources.length);
      return {
        name: layer.name,
        size: layer.size,
        sources,
        file: `atoms-${layer.name.replace(/[^A-Za-z0-9_-]/g, "_")}.f32`,
        atoms: [...lat.names],
        aliases: lat.names.map((_, i) => lat.alias(i, sources)),
        stride: lat.names.length + 1,
      };
    }),
  };
}

/** null when `value` is an atoms index, else what is wrong with it. */
export function checkAtomsIndex(value: unknown): string | null {
  const index = value as Partial<AtomsIndex> | null;
  if (index === null || typeof index !== "object") return "not a JSON object";
  if (!isCount(index.epochs)) return "epochs must be a non-negative integer";
  if (!Array.isArray(index.layers)) return "layers must be a list";
  for (const [l, layer] of index.layers.entries()) {
    const where = `layers[${l}]`;
    if (layer === null || typeof layer !== "object") return `${where} is not an object`;
    if (typeof layer.name !== "string") return `${where}.name must be a string`;
    if (!isCount(layer.size) || layer.size < 1) return `${where}.size must be a positive integer`;
    if (typeof layer.file !== "string" || /[\\/]/.test(layer.file) || layer.file.startsWith(".")) {
      return `${where}.file must be a file name in the run folder`;
    }
    const names = (xs: unknown) => Array.isArray(xs) && xs.every((x) => typeof x === "string");
    if (!names(layer.atoms) || !names(layer.aliases) || !names(layer.sources)) {
      return `${where}: atoms, aliases and sources must be lists of names`;
    }
    if (layer.stride !== layer.atoms.length + 1) {
      return `${where}.stride must be the number of atoms + 1 (${layer.atoms.length + 1})`;
    }
  }
  return null;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** Bytes of one epoch of `layer` in its file. */
export function epochBytes(layer: AtomsLayer): number {
  return layer.size * layer.stride * 4;
}
