/** The learning-step kernels of wasm/binning.c and wasm/adam.c (binning for the PID, the Adam update) as Kernels methods, copying arrays that live outside WebAssembly memory. */

import { checkBinLayer, notFiniteError } from "../../neuron/binning.js";
import type { Kernels } from "../kernels.js";
import { checkAdamStep } from "../shapes.js";
import type { Arena } from "./arena.js";

/** What binning.c and adam.c export (pointers are byte addresses; 0 for none). */
export interface LearnExports {
  bin_layer(
    sources: number,
    nSources: number,
    batch: number,
    neurons: number,
    adaptive: number,
    bins: number,
    min: number,
    max: number,
    peak: number,
    out: number,
  ): number;
  adam_step(
    w: number,
    grad: number,
    m: number,
    v: number,
    mask: number,
    size: number,
    beta1: number,
    beta2: number,
    eps: number,
    wd: number,
    stepSize: number,
    sqrtBc2: number,
  ): void;
}

/** The Kernels methods this file provides. */
export type LearnKernels = Pick<Kernels, "binLayer" | "adamStep">;

/**
 * The learning-step kernels on one instance of the kernel module. Arrays from the arena
 * (kernels alloc*()) are used in place; others are copied to scratch for the call (outputs
 * copied back), as the products do.
 */
export function wasmLearnKernels(wasm: LearnExports, arena: Arena): LearnKernels {
  return {
    binLayer(binning, sources, batch, neurons, out) {
      checkBinLayer(sources, batch, neurons, out);
      const size = batch * neurons;
      const count = sources.length;
      if (size === 0 || count === 0) return;
      try {
        const table = arena.scratchBytes(4 * count);
        const addresses = new Uint32Array(table.buffer, table.byteOffset, count);
        sources.forEach((s, j) => {
          addresses[j] = arena.input(s, size);
        });
        const adaptive = binning.kind === "adaptive";
        const peak = adaptive ? arena.scratch(count * neurons).byteOffset : 0;
        const outs = arena.outputs();
        const pOut = outs.place(out, size * count);
        const bad = wasm.bin_layer(
          table.byteOffset,
          count,
          batch,
          neurons,
          adaptive ? 1 : 0,
          binning.bins,
          adaptive ? -1 : binning.min,
          adaptive ? 1 : binning.max,
          peak,
          pOut,
        );
        if (bad >= 0) {
          const j = Math.floor(bad / size);
          const e = bad - j * size;
          throw notFiniteError(j, e % neurons, Math.floor(e / neurons), sources[j][e]);
        }
        outs.flush();
      } finally {
        arena.releaseScratch();
      }
    },

    adamStep(params, grad, m, v, mask, size, step) {
      checkAdamStep(params, grad, m, v, mask, size);
      if (size === 0) return;
      try {
        const pGrad = arena.input(grad, size);
        const pMask = mask ? arena.input(mask, size) : 0;
        const outs = arena.outputs();
        const pw = outs.place(params, size, true);
        const pm = outs.place(m, size, true);
        const pv = outs.place(v, size, true);
        wasm.adam_step(
          pw,
          pGrad,
          pm,
          pv,
          pMask,
          size,
          step.beta1,
          step.beta2,
          step.eps,
          step.weightDecay,
          step.stepSize,
          step.sqrtBc2,
        );
        outs.flush();
      } finally {
        arena.releaseScratch();
      }
    },
  };
}
