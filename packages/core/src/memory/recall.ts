/** Recall: iterate a network's own dynamics from each cue to a fixed point, a two-cycle or a step limit, and score the end state against the stored pattern. */

import { InfomorphError } from "../errors.js";
import type { Kernels } from "../kernels/kernels.js";
import type { HopfieldNetwork } from "./network.js";

/** How the dynamics from one cue ended. */
export type RecallOutcome = "fixed-point" | "two-cycle" | "step-limit";

/** Outcome codes in RecallResult.outcome, by index. */
export const RECALL_OUTCOMES: readonly RecallOutcome[] = ["fixed-point", "two-cycle", "step-limit"];

export interface RecallOptions {
  /** Most synchronous updates per cue; default N (the reference's max_iterations). */
  maxSteps?: number;
}

export interface RecallResult {
  /** End state of every cue, [cue × neuron] ±1. */
  states: Float32Array;
  /** Cosine similarity of each end state with its target pattern, in [−1, 1]. */
  cosine: Float64Array;
  /** Updates that changed the state, per cue. */
  steps: Int32Array;
  /** Index into RECALL_OUTCOMES, per cue. */
  outcome: Uint8Array;
}

/**
 * Deterministic synchronous dynamics (the reference's fixed_point with sequential = False):
 *
 *   s_i(t+1) = sign(h_i),  h = W·s(t) + b,   s_i(t+1) = s_i(t) where h_i = 0 exactly
 *
 * from each cue until s(t+1) = s(t) (a fixed point), s(t+1) = s(t−1) (a two-cycle; the
 * later state is returned, as the reference does) or `maxSteps` updates. Cues that have
 * stopped are left out of later products. Every rule is scored by this one function, so
 * capacities differ only by the weights.
 *
 * cosine = Σ_i s_i·ξ_i / N for the ±1 end state s and target ξ. Precision: fields in
 * float32 (the kernels' products); the sign of a field within float32 rounding of 0 may differ
 * between kernels. Cost: ≤ maxSteps products of [active cues × N]·[N × N].
 *
 * @example recall(net, cues, patterns, P, kernels).cosine // one value per cue; ≥ 0.95 counts as stored
 */
export function recall(
  network: HopfieldNetwork,
  cues: Float32Array,
  targets: Float32Array,
  count: number,
  kernels: Pick<Kernels, "matmulABt">,
  options: RecallOptions = {},
): RecallResult {
  const N = network.neurons;
  const maxSteps = options.maxSteps ?? N;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new InfomorphError({
      code: "memory/bad-steps",
      path: ["maxSteps"],
      message: `maxSteps must be an integer ≥ 1 (got ${maxSteps}); the reference uses N.`,
    });
  }
  for (const [name, values] of [
    ["cues", cues],
    ["targets", targets],
  ] as const) {
    if (values.length !== count * N) {
      throw new InfomorphError({
        code: "memory/bad-shape",
        path: [name],
        message: `${name} has ${values.length} values, expected ${count} × ${N} = ${count * N}.`,
      });
    }
  }
  const states = cues.slice();
  const previous = new Float32Array(count * N);
  const steps = new Int32Array(count);
  const outcome = new Uint8Array(count).fill(2);
  let active = Int32Array.from({ length: count }, (_, p) => p);
  const batch = new Float32Array(count * N);
  const fields = new Float32Array(count * N);
  for (let step = 0; step < maxSteps && active.length > 0; step++) {
    const m = active.length;
    for (let r = 0; r < m; r++)
      batch.set(states.subarray(active[r] * N, (active[r] + 1) * N), r * N);
    kernels.matmulABt(batch, network.weights, fields, m, N, N, network.bias);
    let kept = 0;
    for (let r = 0; r < m; r++) {
      const p = active[r];
      const s = states.subarray(p * N, (p + 1) * N);
      const before = previous.subarray(p * N, (p + 1) * N);
      let changed = false;
      let backToPrevious = step > 0;
      for (let i = 0; i < N; i++) {
        const h = fields[r * N + i];
        const next = h > 0 ? 1 : h < 0 ? -1 : s[i];
        if (next !== s[i]) changed = true;
        if (next !== before[i]) backToPrevious = false;
        before[i] = s[i];
        s[i] = next;
      }
      if (!changed) {
        outcome[p] = 0;
      } else {
        steps[p] += 1;
        if (backToPrevious) outcome[p] = 1;
        else active[kept++] = p;
      }
    }
    active = active.subarray(0, kept);
  }
  const cosine = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    let dot = 0;
    for (let i = 0; i < N; i++) dot += states[p * N + i] * targets[p * N + i];
    cosine[p] = dot / N;
  }
  return { states, cosine, steps, outcome };
}

/** What a capacity scan records of one recall. */
export interface RecallScore {
  /** Mean cosine similarity over cues (the reference's "accuracy"). */
  meanCosine: number;
  /** Fraction of cues whose end state has cosine similarity ≥ the threshold: the stored fraction. */
  storedFraction: number;
  /** Fraction of cues that ended at a fixed point. */
  fixedPointFraction: number;
}

/**
 * Summarise a recall: mean cosine, stored fraction (cosine ≥ threshold, default 0.95) and
 * the fraction that reached a fixed point.
 *
 * @example scoreRecall(recall(net, patterns, patterns, P, kernels)).storedFraction // 1 below capacity
 */
export function scoreRecall(result: RecallResult, threshold = 0.95): RecallScore {
  const count = result.cosine.length;
  let sum = 0;
  let stored = 0;
  let fixed = 0;
  for (let p = 0; p < count; p++) {
    sum += result.cosine[p];
    if (result.cosine[p] >= threshold - 1e-12) stored += 1;
    if (result.outcome[p] === 0) fixed += 1;
  }
  return {
    meanCosine: sum / count,
    storedFraction: stored / count,
    fixedPointFraction: fixed / count,
  };
}
