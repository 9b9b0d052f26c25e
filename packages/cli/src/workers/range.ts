/** The one code path of every thread of a PidPool: run the estimator on neurons first…first+count−1 of the shared buffers. */

import type { EstimatorConfig, PidEstimator } from "@infomorph/core";

/** SharedArrayBuffers of a pool: inputs (bins, θ) and outputs (goal, atoms, H_res, ∂G/∂θ), for `capacity` neurons. */
export interface SharedBuffers {
  binIndex: SharedArrayBuffer;
  theta: SharedArrayBuffer;
  goal: SharedArrayBuffer;
  atoms: SharedArrayBuffer;
  hRes: SharedArrayBuffer;
  gradient: SharedArrayBuffer;
}

/** Typed views of SharedBuffers. */
export interface SharedViews {
  binIndex: Uint8Array;
  theta: Float64Array;
  goal: Float64Array;
  atoms: Float64Array;
  hRes: Float64Array;
  gradient: Float64Array;
}

/** What the pool sends each worker at start. */
export interface WorkerInit {
  config: EstimatorConfig;
  buffers: SharedBuffers;
}

/** One job: neurons first…first+count−1 of a batch of `batch` samples. */
export interface RangeJob {
  id: number;
  first: number;
  count: number;
  batch: number;
}

/** A worker's answer: the job id, and the error message if the estimator threw. */
export interface RangeDone {
  id: number;
  error?: string;
}

export function sharedViews(buffers: SharedBuffers): SharedViews {
  return {
    binIndex: new Uint8Array(buffers.binIndex),
    theta: new Float64Array(buffers.theta),
    goal: new Float64Array(buffers.goal),
    atoms: new Float64Array(buffers.atoms),
    hRes: new Float64Array(buffers.hRes),
    gradient: new Float64Array(buffers.gradient),
  };
}

/**
 * Run `estimator` on one range of neurons, reading and writing the shared views in place.
 * Each neuron's results depend on that neuron's inputs only, so any split of the neurons
 * over threads gives the same bits as one thread.
 */
export function runRange(
  estimator: PidEstimator,
  views: SharedViews,
  first: number,
  count: number,
  batch: number,
): void {
  if (count === 0) return;
  const n = estimator.sources;
  const size = estimator.lattice.size;
  const end = first + count;
  estimator.run(
    {
      neurons: count,
      batch,
      binIndex: views.binIndex.subarray(first * batch * n, end * batch * n),
      theta: views.theta.subarray(first * batch, end * batch),
    },
    {
      goal: views.goal.subarray(first, end),
      atoms: views.atoms.subarray(first * size, end * size),
      hRes: views.hRes.subarray(first, end),
      gradient: views.gradient.subarray(first * batch, end * batch),
    },
  );
}
