export { InfomorphError, type InfomorphErrorInit } from "./errors.js";
export * from "./neuron/activation.js";
export * from "./neuron/binning.js";
export * from "./train/optimizer.js";
export { Rng, type RngState } from "./train/rng.js";
