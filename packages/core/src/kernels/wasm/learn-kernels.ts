/** The learning-step kernels of wasm/binning.c and wasm/adam.c (binning for the PID, the Adam update) as Kernels methods, copying arrays that live outside WebAssembly memory. */

import type { Kernels } from "../contract.js";
import { checkAdamStep } from "../shapes.js";
import { checkBinLayer, notFiniteError } from "../ts/binning.js";
import type { Arena } from "./arena.js";
import { MAX_THREADS, type RowSplit } from "./threads.js";

/**
 * What binning.c and adam.c export (pointers are byte addresses; 0 for none), called by name
 * through RowSplit (threads.ts CALLABLE).
 */
export interface LearnExports {
  bin_layer(
    sources: number,
    nSources: number,
    batch: number,
    neurons: number,
    adaptive: number,
    bins: number,
    bounds: number,
    peak: number,
    out: number,
    first: number,
    last: number,
    badKey: number,
  ): void;
  adam_step(
    w: number,
    grad: number,
    m: number,
    v: number,
    mask: number,
    scalars: number,
    first: number,
    last: number,
  ): void;
}

/** The Kernels methods this file provides. */
export type LearnKernels = Pick<Kernels, "binLayer" | "adamStep">;

/**
 * The learning-step kernels on one instance of the kernel module. Arrays from the arena
 * (kernels alloc*()) are used in place; others are copied to scratch for the call (outputs
 * copied back), as the products do. Both run through `split`: binning by neuron ranges (a
 * neuron's bins depend on its own samples only), Adam by element ranges; ranges start on
 * multiples of 16 (whole cache lines of the float32 arrays and the mask).
 */
export function wasmLearnKernels(arena: Arena, split: RowSplit): LearnKernels {
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
        const bounds = arena.scratchFloat64(2);
        bounds[0] = adaptive ? -1 : binning.min;
        bounds[1] = adaptive ? 1 : binning.max;
        const keys = arena.scratchBytes(4 * MAX_THREADS);
        const badKeys = new Int32Array(keys.buffer, keys.byteOffset, MAX_THREADS);
        const outs = arena.outputs();
        const pOut = outs.place(out, size * count);
        const parts = split(
          "bin_layer",
          neurons,
          { elements: batch * count },
          (first, last, part) => [
            table.byteOffset,
            count,
            batch,
            neurons,
            adaptive ? 1 : 0,
            binning.bins,
            bounds.byteOffset,
            peak,
            pOut,
            first,
            last,
            badKeys.byteOffset + 4 * part,
          ],
          16,
        );
        // Each range's first bad value; keys grow in the TS loop's order (see binning.c).
        let bad = -1;
        for (const key of badKeys.subarray(0, parts))
          if (key >= 0 && (bad < 0 || key < bad)) bad = key;
        if (bad >= 0) {
          const j = Math.floor(bad / (2 * size));
          const e = bad % size;
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
        const scalars = arena.scratchFloat64(6);
        scalars.set([
          step.beta1,
          step.beta2,
          step.eps,
          step.weightDecay,
          step.stepSize,
          step.sqrtBc2,
        ]);
        split(
          "adam_step",
          size,
          { elements: 1 },
          (first, last) => [pw, pGrad, pm, pv, pMask, scalars.byteOffset, first, last],
          16,
        );
        outs.flush();
      } finally {
        arena.releaseScratch();
      }
    },
  };
}
