export { InfomorphError, type InfomorphErrorInit } from "./errors.js";
export * from "./neuron/activation.js";
export * from "./neuron/binning.js";
export * from "./train/optimizer.js";
export { Rng, type RngState } from "./train/rng.js";
export * from "./pid/lattice.js";
export * from "./pid/table.js";
export * from "./pid/samples.js";
export { validateTable, NORMALISATION_TOLERANCE } from "./pid/validate.js";
