/** The layer kernels of wasm/layer.c (activation with sampling, δ, transpose) as Kernels methods, copying arrays that live outside WebAssembly memory. */

import type { Rng } from "../../random/rng.js";
import type { Kernels } from "../contract.js";
import type { ActivationSpec } from "../params.js";
import { checkActivateLayer, checkLayerDelta, checkTranspose } from "../shapes.js";
import type { Arena } from "./arena.js";
import type { RowSplit } from "./threads.js";

/** What layer.c exports (pointers are byte addresses; 0 for an unused source). */
export interface LayerExports {
  layer_activate_modulated(
    contexts: number,
    c0: number,
    alpha1: number,
    alpha2: number,
    alpha3: number,
    beta1: number,
    beta2: number,
    beta3: number,
    s0: number,
    s1: number,
    s2: number,
    s3: number,
    a: number,
    da0: number,
    da1: number,
    da2: number,
    da3: number,
    theta: number,
    samples: number,
    cells: number,
    rng: number,
  ): void;
  layer_activate_kay_phillips(
    k1: number,
    k2: number,
    r: number,
    c: number,
    a: number,
    da0: number,
    da1: number,
    theta: number,
    samples: number,
    cells: number,
    rng: number,
  ): void;
  layer_activate_identity(
    f: number,
    a: number,
    da0: number,
    theta: number,
    samples: number,
    cells: number,
    rng: number,
  ): void;
  layer_draw(rng: number, words: number, cells: number): void;
  layer_activate(
    kind: number,
    contexts: number,
    values: number,
    s0: number,
    s1: number,
    s2: number,
    s3: number,
    a: number,
    da0: number,
    da1: number,
    da2: number,
    da3: number,
    theta: number,
    samples: number,
    words: number,
    first: number,
    last: number,
  ): void;
  layer_delta(
    gradient: number,
    theta: number,
    da: number,
    delta: number,
    biasGrad: number,
    count: number,
    n: number,
    first: number,
    last: number,
  ): void;
  layer_transpose(
    theta: number,
    out: number,
    count: number,
    n: number,
    first: number,
    last: number,
  ): void;
}

/** The Kernels methods this file provides. */
export type LayerKernels = Pick<Kernels, "activateLayer" | "layerDelta" | "transposeToNeuronMajor">;

/**
 * The grain of a split, elements or neurons: 16 float32, one 64-byte cache line, so ranges
 * start on whole lines of the [sample × neuron] rows and two threads rarely write the same line.
 */
const LINE_FLOATS = 16;

/**
 * The activation's work per element for the split (RowSplit elements): it is split from
 * MIN_SPLIT_ELEMENTS elements per thread, below which the fused single pass runs.
 */
const ACTIVATION_WORK = { elements: 1 };

/** Context sources layer_activate_modulated handles (4 sources in all, F included). */
const MAX_CONTEXTS = 3;

/**
 * The activations layer.c computes: the modulated form F·[c0 + Σ_j α_j·σ(β_j·F·s_j)] with at
 * most MAX_CONTEXTS contexts (multi-source and modulatory), Kay–Phillips and the identity.
 * The others (heaviside, more contexts) take the TS path.
 */
type WasmActivation = Exclude<ActivationSpec, { kind: "heaviside" }>;

function runsInWasm(activation: ActivationSpec): activation is WasmActivation {
  if (activation.kind === "heaviside") return false;
  return activation.kind !== "modulated" || activation.alpha.length <= MAX_CONTEXTS;
}

/**
 * The layer kernels on one instance of the kernel module. Arrays from the arena (kernels
 * alloc*()) are used in place; others are copied to scratch for the call (outputs copied
 * back), as the products do. Activations layer.c does not handle go to `fallback.activateLayer`
 * (the ts/ implementation, called after the shape checks). δ and the transpose run through
 * `split` by neuron ranges (each neuron's outputs depend on its own column only).
 */
export function wasmLayerKernels(
  wasm: LayerExports,
  arena: Arena,
  fallback: Pick<LayerKernels, "activateLayer">,
  split: RowSplit,
): LayerKernels {
  return {
    activateLayer(activation, s, a, dA, theta, samples, cells, rng) {
      checkActivateLayer(activation, s, a, dA, theta, samples, cells);
      if (!runsInWasm(activation)) {
        fallback.activateLayer(activation, s, a, dA, theta, samples, cells, rng);
        return;
      }
      if (cells === 0) return;
      try {
        const ps = s.map((v) => arena.input(v, cells));
        const out = arena.outputs();
        const pa = out.place(a, cells);
        const pdA = dA.map((v) => out.place(v, cells));
        const pTheta = out.place(theta, cells);
        const pSamples = out.place(samples, cells);
        const words = rngWords(arena, rng);
        const pRng = words.byteOffset;
        // Four source and four ∂A/∂s addresses, 0 for unused ones (as layer.c takes them).
        const [s0, s1, s2, s3] = [0, 1, 2, 3].map((j) => ps[j] ?? 0);
        const [d0, d1, d2, d3] = [0, 1, 2, 3].map((j) => pdA[j] ?? 0);
        if (split.parts(cells, ACTIVATION_WORK, LINE_FLOATS) > 1) {
          // The stream drawn here, in element order; the activation over element ranges.
          const stream = arena.scratchBytes(8 * cells).byteOffset;
          wasm.layer_draw(pRng, stream, cells);
          const values = arena.scratchFloat64(7);
          const kind =
            activation.kind === "modulated" ? 0 : activation.kind === "kay-phillips" ? 1 : 2;
          values.fill(0);
          if (activation.kind === "modulated") {
            values[0] = activation.c0;
            activation.alpha.forEach((x, j) => {
              values[1 + j] = x;
            });
            activation.beta.forEach((x, j) => {
              values[4 + j] = x;
            });
          } else if (activation.kind === "kay-phillips") {
            values.set([activation.k1, activation.k2]);
          }
          const contexts = activation.kind === "modulated" ? activation.alpha.length : 0;
          split(
            "layer_activate",
            cells,
            ACTIVATION_WORK,
            (first, last) => [
              kind,
              contexts,
              values.byteOffset,
              s0,
              s1,
              s2,
              s3,
              pa,
              d0,
              d1,
              d2,
              d3,
              pTheta,
              pSamples,
              stream,
              first,
              last,
            ],
            LINE_FLOATS,
          );
        } else if (activation.kind === "modulated") {
          const { alpha, beta, c0 } = activation;
          const contexts = alpha.length;
          wasm.layer_activate_modulated(
            contexts,
            c0,
            alpha[0] ?? 0,
            alpha[1] ?? 0,
            alpha[2] ?? 0,
            beta[0] ?? 0,
            beta[1] ?? 0,
            beta[2] ?? 0,
            s0,
            s1,
            s2,
            s3,
            pa,
            d0,
            d1,
            d2,
            d3,
            pTheta,
            pSamples,
            cells,
            pRng,
          );
        } else if (activation.kind === "kay-phillips") {
          wasm.layer_activate_kay_phillips(
            activation.k1,
            activation.k2,
            ps[0],
            ps[1],
            pa,
            pdA[0],
            pdA[1],
            pTheta,
            pSamples,
            cells,
            pRng,
          );
        } else {
          wasm.layer_activate_identity(ps[0], pa, pdA[0], pTheta, pSamples, cells, pRng);
        }
        out.flush();
        rng.setWords(words);
      } finally {
        arena.releaseScratch();
      }
    },

    layerDelta(gradient, theta, dA, delta, biasGrad, count, n) {
      checkLayerDelta(gradient, theta, dA, delta, biasGrad, count, n);
      if (n === 0) return;
      const cells = count * n;
      try {
        const pg = arena.input(gradient, cells);
        const pt = arena.input(theta, cells);
        const pd = arena.input(dA, cells);
        const out = arena.outputs();
        const pDelta = out.place(delta, cells);
        const pBias = out.place(biasGrad, n);
        split(
          "layer_delta",
          n,
          { elements: count },
          (first, last) => [pg, pt, pd, pDelta, pBias, count, n, first, last],
          LINE_FLOATS,
        );
        out.flush();
      } finally {
        arena.releaseScratch();
      }
    },

    transposeToNeuronMajor(theta, out, count, n) {
      checkTranspose(theta, out, count, n);
      const cells = count * n;
      if (cells === 0) return;
      try {
        const pt = arena.input(theta, cells);
        const outs = arena.outputs();
        const pOut = outs.place(out, cells);
        split(
          "layer_transpose",
          n,
          { elements: count },
          (first, last) => [pt, pOut, count, n, first, last],
          LINE_FLOATS,
        );
        outs.flush();
      } finally {
        arena.releaseScratch();
      }
    },
  };
}

/** The rng's four state words in scratch memory, for layer.c to advance. */
function rngWords(arena: Arena, rng: Rng): Uint32Array {
  const bytes = arena.scratchBytes(16);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, 4);
  words.set(rng.words().map((w) => w >>> 0));
  return words;
}
