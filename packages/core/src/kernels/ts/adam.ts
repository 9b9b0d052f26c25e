/** One Adam step over a flat float32 tensor in plain TypeScript: the loop of optim/optimizer.ts adam() and the oracle wasm/adam.c is tested against. */

/**
 * The scalars of Adam step t (t = 1, 2, …), as optim/optimizer.ts adam() computes them from
 * its settings: stepSize = lr / (1 − β1^t), sqrtBc2 = √(1 − β2^t).
 */
export interface AdamStep {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** Coupled L2 weight decay (torch.optim.Adam's weight_decay). */
  readonly weightDecay: number;
  /** lr / (1 − β1^t). */
  readonly stepSize: number;
  /** √(1 − β2^t). */
  readonly sqrtBc2: number;
}

/**
 * Kernels.adamStep for the first `size` elements, per element e in float64:
 *
 *   g = grad + wd·w
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g·g     (stored as float32)
 *   w ← w − (stepSize·m) / (√v / sqrtBc2 + eps)         (from the stored m, v; float32)
 *
 * Entries with mask[e] === 0 get w = 0 and keep m and v. No shape checks (callers do them).
 *
 * @example
 * // lr 0.1, step 1: stepSize = 0.1/(1 − 0.9) = 1, sqrtBc2 = √(1 − 0.999)
 * adamStep(w = [1], grad = [1], m = [0], v = [0], null, 1, step) // w = [0.9], m = [0.1], v = [0.001]
 */
export function adamStep(
  params: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  mask: Uint8Array | null,
  size: number,
  step: AdamStep,
): void {
  const { beta1, beta2, eps, weightDecay: wd, stepSize, sqrtBc2 } = step;
  for (let e = 0; e < size; e++) {
    if (mask !== null && mask[e] === 0) {
      params[e] = 0;
      continue;
    }
    const w = params[e];
    const g = grad[e] + wd * w;
    const me = beta1 * m[e] + (1 - beta1) * g;
    const ve = beta2 * v[e] + (1 - beta2) * g * g;
    m[e] = me;
    v[e] = ve;
    // PyTorch: denom = √v / √(1 − β2^t) + eps; w −= (lr / (1 − β1^t))·m / denom,
    // from the stored (float32) moments
    params[e] = w - (stepSize * m[e]) / (Math.sqrt(v[e]) / sqrtBc2 + eps);
  }
}
