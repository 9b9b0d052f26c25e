/** Optimizers (Adam, SGD) that update one flat Float32Array parameter tensor to minimise a loss, with state for bit-exact resume. */

import { InfomorphError } from "../errors.js";
import type { Kernels } from "../kernels/kernels.js";
import { adamStep } from "../kernels/ts/adam.js";

/** Everything needed for bit-exact resume: the step count and the moment buffers. */
export interface OptimizerState {
  kind: "adam" | "sgd";
  /** Number of step() calls so far. */
  step: number;
  /** Adam: [m, v] (first and second moments). SGD: [buffer] with momentum, [] without. */
  moments: Float32Array[];
}

/**
 * A stateful optimizer over one flat parameter tensor. It MINIMISES: callers pass the
 * gradient of the loss. For an infomorphic layer the loss is −Σ G over its neurons, so the
 * gradient passed is −∂ΣG/∂params.
 */
export interface Optimizer {
  readonly kind: "adam" | "sgd";
  /**
   * params ← params − update(grad); grad is ∂loss/∂params. Entries where mask[e] === 0 (if a
   * mask is given) are set to exactly 0 and their moments are left untouched.
   */
  step(params: Float32Array, grad: Float32Array, mask?: Uint8Array | null): void;
  /** A deep copy of the state. */
  state(): OptimizerState;
  /** Continue from a saved state (deep-copied in); the next step() is bit-identical. */
  restore(state: OptimizerState): void;
}

/**
 * Adam with coupled L2 weight decay, as torch.optim.Adam(weight_decay = wd), per element e
 * at step t = 1, 2, …:
 *
 *   g ← grad + wd·w
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   w ← w − lr·m̂ / (√v̂ + eps),   m̂ = m / (1 − β1^t),   v̂ = v / (1 − β2^t)
 *
 * Units: w in the parameters' units, lr per step. Precision: float64 arithmetic per element,
 * m, v and w stored as float32. Domain: lr > 0, β1 and β2 in [0, 1), eps > 0, wd ≥ 0 (all
 * finite). Defaults β1 = 0.9, β2 = 0.999, eps = 1e-8, wd = 0 (PyTorch's).
 * Kingma & Ba, ICLR 2015; eps placement as PyTorch (after the square root of v̂).
 *
 * With `kernels`, the moments live in their memory (kernels.alloc) and each step runs
 * kernels.adamStep(): the WebAssembly kernel gives the same bits as the TS loop, so states
 * saved with or without kernels restore into either.
 *
 * @example
 * const opt = adam(1, { lr: 0.1 });
 * const w = Float32Array.of(1);
 * opt.step(w, Float32Array.of(1)); // w[0] = 0.9 (first step moves by lr·g/(|g| + eps))
 */
export function adam(
  size: number,
  p: { lr: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number },
  kernels?: Pick<Kernels, "alloc" | "adamStep">,
): Optimizer {
  checkSize(size);
  const lr = checkPositive("lr", p.lr, "1e-3");
  const beta1 = checkUnit("beta1", p.beta1 ?? 0.9, "0.9");
  const beta2 = checkUnit("beta2", p.beta2 ?? 0.999, "0.999");
  const eps = checkPositive("eps", p.eps ?? 1e-8, "1e-8");
  const wd = checkNonNegative("weightDecay", p.weightDecay ?? 0, "0");
  let t = 0;
  // allocated once and updated in place (restore() copies in), so kernel memory is never re-taken
  const m = kernels ? kernels.alloc(size) : new Float32Array(size);
  const v = kernels ? kernels.alloc(size) : new Float32Array(size);
  return {
    kind: "adam",
    step(params, grad, mask = null) {
      checkStep(size, params, grad, mask);
      t += 1;
      const step = {
        beta1,
        beta2,
        eps,
        weightDecay: wd,
        stepSize: lr / (1 - beta1 ** t),
        sqrtBc2: Math.sqrt(1 - beta2 ** t),
      };
      if (kernels) kernels.adamStep(params, grad, m, v, mask, size, step);
      else adamStep(params, grad, m, v, mask, size, step);
    },
    state() {
      return { kind: "adam", step: t, moments: [m.slice(), v.slice()] };
    },
    restore(state) {
      checkState(state, "adam", size, 2);
      t = state.step;
      m.set(state.moments[0]);
      v.set(state.moments[1]);
    },
  };
}

/**
 * Stochastic gradient descent with optional momentum and coupled L2 weight decay, as
 * torch.optim.SGD(momentum = μ, dampening = 0, nesterov = false, weight_decay = wd):
 *
 *   g ← grad + wd·w
 *   b ← μ·b + g   (b = g on the first step; with μ = 0 there is no buffer and b = g)
 *   w ← w − lr·b
 *
 * Units: w in the parameters' units, lr per step. Precision: float64 arithmetic per element,
 * b and w stored as float32. Domain: lr > 0, μ in [0, 1), wd ≥ 0 (all finite).
 *
 * @example
 * const opt = sgd(1, { lr: 0.1, momentum: 0.9 });
 * const w = Float32Array.of(1);
 * opt.step(w, Float32Array.of(1)); opt.step(w, Float32Array.of(1)); // w[0] = 0.71 (float32)
 */
export function sgd(
  size: number,
  p: { lr: number; momentum?: number; weightDecay?: number },
): Optimizer {
  checkSize(size);
  const lr = checkPositive("lr", p.lr, "1e-2");
  const momentum = checkUnit("momentum", p.momentum ?? 0, "0.9");
  const wd = checkNonNegative("weightDecay", p.weightDecay ?? 0, "0");
  const buffers = momentum > 0 ? 1 : 0;
  let t = 0;
  let b = new Float32Array(buffers === 1 ? size : 0);
  return {
    kind: "sgd",
    step(params, grad, mask = null) {
      checkStep(size, params, grad, mask);
      t += 1;
      for (let e = 0; e < size; e++) {
        if (mask !== null && mask[e] === 0) {
          params[e] = 0;
          continue;
        }
        const w = params[e];
        let g = grad[e] + wd * w;
        if (buffers === 1) {
          // b starts at 0, so the first step gives b = g, as PyTorch's clone
          b[e] = momentum * b[e] + g;
          g = b[e];
        }
        params[e] = w - lr * g;
      }
    },
    state() {
      return { kind: "sgd", step: t, moments: buffers === 1 ? [b.slice()] : [] };
    },
    restore(state) {
      checkState(state, "sgd", size, buffers);
      t = state.step;
      b = buffers === 1 ? state.moments[0].slice() : new Float32Array(0);
    },
  };
}

// ---- validation ------------------------------------------------------------------------

function badParam(name: string, message: string): InfomorphError {
  return new InfomorphError({ code: "optimizer/bad-param", path: [name], message });
}

function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 1) {
    throw badParam(
      "size",
      `size must be a positive integer, the number of parameters (got ${size}). ` +
        "Pass params.length.",
    );
  }
}

function checkPositive(name: string, x: number, hint: string): number {
  if (typeof x !== "number" || !(x > 0 && Number.isFinite(x))) {
    throw badParam(
      name,
      `${name} must be a positive finite number (got ${x}). Try ${name}: ${hint}.`,
    );
  }
  return x;
}

function checkNonNegative(name: string, x: number, hint: string): number {
  if (typeof x !== "number" || !(x >= 0 && Number.isFinite(x))) {
    throw badParam(
      name,
      `${name} must be a non-negative finite number (got ${x}). Try ${name}: ${hint}.`,
    );
  }
  return x;
}

function checkUnit(name: string, x: number, hint: string): number {
  if (typeof x !== "number" || !(x >= 0 && x < 1)) {
    throw badParam(name, `${name} must be in [0, 1) (got ${x}). Try ${name}: ${hint}.`);
  }
  return x;
}

function checkStep(
  size: number,
  params: Float32Array,
  grad: Float32Array,
  mask: Uint8Array | null,
): void {
  for (const [name, arr] of [
    ["params", params],
    ["grad", grad],
    ["mask", mask],
  ] as const) {
    if (arr !== null && arr.length !== size) {
      throw new InfomorphError({
        code: "optimizer/bad-shape",
        path: [name],
        message:
          `${name} has length ${arr.length} but the optimizer was made for ${size} parameters. ` +
          "Use one optimizer per parameter tensor.",
      });
    }
  }
}

function checkState(
  state: OptimizerState,
  kind: "adam" | "sgd",
  size: number,
  buffers: number,
): void {
  const bad = (message: string): InfomorphError =>
    new InfomorphError({ code: "optimizer/bad-state", path: ["state"], message });
  if (state.kind !== kind) {
    throw bad(
      `cannot restore a state of kind "${state.kind}" into a "${kind}" optimizer. ` +
        `Create the optimizer with ${state.kind}() instead.`,
    );
  }
  if (!Number.isSafeInteger(state.step) || state.step < 0) {
    throw bad(
      `state.step must be a non-negative integer (got ${state.step}). Save it with state().`,
    );
  }
  if (state.moments.length !== buffers || state.moments.some((x) => x.length !== size)) {
    throw bad(
      `state holds ${state.moments.length} moment buffers of lengths ` +
        `[${state.moments.map((x) => x.length).join(", ")}], expected ${buffers} of length ${size}. ` +
        "Restore a state saved from an optimizer with the same size and settings.",
    );
  }
}
