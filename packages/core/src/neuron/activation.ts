/** Activation functions A(s) of an infomorphic neuron, each with its partial derivatives ∂A/∂s_j; s[0] is the driving input F. */

import { InfomorphError } from "../errors.js";
import type { ActivationSpec } from "../kernels/params.js";
import { applyActivation, sigmoid } from "../kernels/ts/activation.js";

export { sigmoid };

/** The activation families; "multi-source" covers the ICLR three-source form. */
export type ActivationKind =
  | "kay-phillips"
  | "modulatory"
  | "multi-source"
  | "identity"
  | "heaviside";

/**
 * An activation A(s) with its partials. The neuron fires with θ = σ(A(s)).
 * s[0] is always the driving (feed-forward) input F (r in the papers); the other
 * entries are the context sources in PID order (C, then L).
 */
export interface Activation {
  readonly kind: ActivationKind;
  /** Number of inputs (PID sources) it takes; s[0] = F. */
  readonly sources: number;
  /** Parameters, for the run config, e.g. {k1: 0.9, k2: 2}. */
  readonly params: Readonly<Record<string, number | number[]>>;
  /** The same activation as the kernels compute it (Kernels.activateLayer): plain constants. */
  readonly spec: ActivationSpec;
  /** A(s) for one sample (float64). */
  value(s: ArrayLike<number>): number;
  /** ∂A/∂s_j for one sample, written into out (length = sources); returns A. */
  partials(s: ArrayLike<number>, out: Float64Array): number;
  /**
   * Batched float32 hot path: for every element e < a.length, a[e] = A(s[0][e], s[1][e], …)
   * and, when dA is given, dA[j][e] = ∂A/∂s_j. Each element is computed in float64 with the
   * same expressions as value()/partials() and rounded once to float32 (the kernels' TypeScript
   * activation, kernels/ts/activation.ts, on `spec`).
   */
  apply(s: readonly Float32Array[], a: Float32Array, dA: readonly Float32Array[] | null): void;
}

/**
 * Kay–Phillips activation (Neural Computation 1997), two sources (r = F, c = context):
 *
 *   A = r·[k1 + (1−k1)·exp(k2·r·c)]
 *   u = k2·r·c,  ∂A/∂r = k1 + (1−k1)·e^u·(1 + u),  ∂A/∂c = (1−k1)·k2·r²·e^u
 *
 * Units: dimensionless (A is a logit). Precision: float64 (float32 out of apply()).
 * Domain: any finite r, c; the factor grows exponentially, so A overflows to ±Infinity
 * once k2·r·c > ≈709 (θ = σ(A) then saturates correctly). sign(A) = sign(r); r = 0 gives A = 0.
 * Parameters: k1 ∈ [0, 1] (default 0.5), k2 finite (default 2). Not used in the published runs.
 *
 * @example kayPhillips().value([1, 0]) // 1 (factor k1 + (1−k1)·e^0 = 1)
 */
export function kayPhillips(p: { k1?: number; k2?: number } = {}): Activation {
  const k1 = checkK1(p.k1 ?? 0.5, 0.5);
  const k2 = checkK2(p.k2 ?? 2);
  const gain = 1 - k1;
  // gain·e^u, written so that k1 = 1 gives 0 even where e^u overflows
  const grow = (u: number): number => (gain === 0 ? 0 : gain * Math.exp(u));
  return build({
    kind: "kay-phillips",
    label: "kay-phillips",
    sources: 2,
    params: { k1, k2 },
    spec: { kind: "kay-phillips", k1, k2 },
    value(s) {
      const r = s[0];
      return r * (k1 + grow(k2 * r * s[1]));
    },
    partials(s, out) {
      const r = s[0];
      const u = k2 * r * s[1];
      const g = grow(u);
      out[0] = g === 0 ? k1 : k1 + g * (1 + u);
      out[1] = g === 0 ? 0 : g * k2 * r * r;
      return r * (k1 + g);
    },
  });
}

/**
 * Two-source modulatory ("Graetz") activation, r = F, c = context (C or L):
 *
 *   A = r·[k1 + (1−k1)·2σ(k2·r·c)]
 *   u = k2·r·c,  ∂A/∂r = k1 + 2(1−k1)·[σ(u) + u·σ'(u)],  ∂A/∂c = 2(1−k1)·k2·r²·σ'(u)
 *
 * with σ'(u) = σ(u)·σ(−u). Units: dimensionless (A is a logit). Precision: float64 (float32
 * out of apply()); stable for any finite r, c (no overflow at |u| > 700).
 * Properties: sign(A) = sign(r); the factor A/r lies in (k1, 2−k1) and is 1 when r·c = 0.
 * Parameters: k1 ∈ [0, 1] (default 0.9: hidden layers; k1 = 1 gives A = r, used by output
 * layers), k2 finite (default 2). docs/SCIENCE.md §1.
 *
 * @example modulatory().value([2, 0]) // 2 (factor 0.9 + 0.1·2·½ = 1)
 */
export function modulatory(p: { k1?: number; k2?: number } = {}): Activation {
  const k1 = checkK1(p.k1 ?? 0.9, 0.9);
  const k2 = checkK2(p.k2 ?? 2);
  const gain = 2 * (1 - k1);
  return build({
    kind: "modulatory",
    label: "modulatory",
    sources: 2,
    params: { k1, k2 },
    spec: { kind: "modulated", c0: k1, alpha: [gain], beta: [k2] },
    value(s) {
      const r = s[0];
      return r * (k1 + gain * sigmoid(k2 * r * s[1]));
    },
    partials(s, out) {
      const r = s[0];
      const u = k2 * r * s[1];
      const e = Math.exp(-Math.abs(u));
      const d = 1 + e;
      const sig = u >= 0 ? 1 / d : e / d;
      const slope = e / (d * d);
      out[0] = k1 + gain * (sig + (slope === 0 ? 0 : u * slope));
      out[1] = gain * k2 * r * r * slope;
      return r * (k1 + gain * sig);
    },
  });
}

/**
 * n-source activation, the generalisation of the ICLR three-source form (F first, then one
 * context source s_j per entry of alpha and beta, j = 1..n−1):
 *
 *   A = F·[(1 − Σα) + Σ_j α_j·σ(β_j·F·s_j)]
 *   u_j = β_j·F·s_j,  ∂A/∂F = (1 − Σα) + Σ_j α_j·[σ(u_j) + u_j·σ'(u_j)],
 *   ∂A/∂s_j = α_j·β_j·F²·σ'(u_j)
 *
 * Units: dimensionless (A is a logit). Precision: float64 (float32 out of apply()); stable for
 * any finite input. Properties: sign(A) = sign(F); the factor A/F lies in (1 − Σα, 1) and is
 * 1 − Σα/2 when every context is 0 (0.9 for α = (0.1, 0.1): the reference's neutral value).
 * Parameters: alpha_j ∈ [0, 1) with Σα < 1, beta_j finite, same length (≥ 1). docs/SCIENCE.md §1.
 *
 * @example multiSource({ alpha: [0.1, 0.1], beta: [2, 2] }).value([1, 0, 0]) // 0.9000000000000001
 */
export function multiSource(p: { alpha: number[]; beta: number[] }): Activation {
  const { alpha, beta } = checkAlphaBeta(p.alpha, p.beta);
  const n = alpha.length;
  let sum = 0;
  for (const a of alpha) sum += a;
  const neutral = 1 - sum;
  return build({
    kind: "multi-source",
    label: `multi-source (${n + 1} sources)`,
    sources: n + 1,
    params: { alpha: [...alpha], beta: [...beta] },
    spec: { kind: "modulated", c0: neutral, alpha: [...alpha], beta: [...beta] },
    value(s) {
      const f = s[0];
      let factor = neutral;
      for (let j = 0; j < n; j++) factor += alpha[j] * sigmoid(beta[j] * f * s[j + 1]);
      return f * factor;
    },
    partials(s, out) {
      const f = s[0];
      let factor = neutral;
      let dF = neutral;
      for (let j = 0; j < n; j++) {
        const u = beta[j] * f * s[j + 1];
        const e = Math.exp(-Math.abs(u));
        const d = 1 + e;
        const sig = u >= 0 ? 1 / d : e / d;
        const slope = e / (d * d);
        factor += alpha[j] * sig;
        dF += alpha[j] * (sig + (slope === 0 ? 0 : u * slope));
        out[j + 1] = alpha[j] * beta[j] * f * f * slope;
      }
      out[0] = dF;
      return f * factor;
    },
  });
}

/**
 * The ICLR 2025 three-source activation, sources (F, C, L):
 *
 *   A = F·[(1 − α1 − α2) + α1·σ(β1·F·C) + α2·σ(β2·F·L)]
 *
 * multiSource() with defaults α = (0.1, 0.1), β = (2, 2): the factor lies in (0.8, 1) with
 * neutral value 0.9 when C = L = 0. Units, precision and derivatives as multiSource().
 *
 * @example trivariate().value([2, 0, 0]) // 1.8000000000000003 (2 × neutral factor 0.9)
 */
export function trivariate(
  p: { alpha?: [number, number]; beta?: [number, number] } = {},
): Activation {
  return multiSource({ alpha: p.alpha ?? [0.1, 0.1], beta: p.beta ?? [2, 2] });
}

/**
 * The identity on the driving input, one source: A = F, ∂A/∂F = 1.
 * For read-out units and baselines that do not modulate. Units: dimensionless. Precision: exact.
 *
 * @example identity().value([-1.5]) // -1.5
 */
export function identity(): Activation {
  return build({
    kind: "identity",
    label: "identity",
    sources: 1,
    params: {},
    spec: { kind: "identity" },
    value: (s) => s[0],
    partials(s, out) {
      out[0] = 1;
      return s[0];
    },
  });
}

/**
 * Heaviside threshold with a sigmoid surrogate derivative (one source):
 *
 *   A = H(F) = 1 if F > 0 else 0,   surrogate ∂A/∂F := σ(F)·(1 − σ(F))
 *
 * For deterministic threshold units (the random-projection baseline fires Y = 2·H(F) − 1)
 * and for surrogate-gradient training, where a gradient must pass the step. A here is the
 * unit's output, not a logit. Units: dimensionless; H(0) = 0. Precision: exact value,
 * float64 surrogate (float32 from apply()).
 *
 * @example heaviside().value([0.3]) // 1
 * @example heaviside().partials([0], new Float64Array(1)) // returns 0, writes 0.25
 */
export function heaviside(): Activation {
  const slope = (x: number): number => {
    const t = sigmoid(x);
    return t * (1 - t);
  };
  return build({
    kind: "heaviside",
    label: "heaviside",
    sources: 1,
    params: {},
    spec: { kind: "heaviside" },
    value: (s) => (s[0] > 0 ? 1 : 0),
    partials(s, out) {
      out[0] = slope(s[0]);
      return s[0] > 0 ? 1 : 0;
    },
  });
}

const KINDS: readonly ActivationKind[] = [
  "kay-phillips",
  "modulatory",
  "multi-source",
  "identity",
  "heaviside",
];

const PARAMS: Record<ActivationKind, readonly string[]> = {
  "kay-phillips": ["k1", "k2"],
  modulatory: ["k1", "k2"],
  "multi-source": ["alpha", "beta"],
  identity: [],
  heaviside: [],
};

/**
 * Build an activation from its run-config form `{ kind, ...params }` (the inverse of reading
 * `kind` and `params`), validating the kind, the parameter names and their values.
 *
 * @example activationFromConfig({ kind: "modulatory", k1: 1 }).value([3, 5]) // 3
 */
export function activationFromConfig(cfg: { kind: string; [k: string]: unknown }): Activation {
  const kind = cfg?.kind;
  if (!KINDS.includes(kind as ActivationKind)) {
    throw new InfomorphError({
      code: "activation/unknown",
      path: ["kind"],
      message:
        `unknown activation kind ${show(kind)}. ` +
        `Valid kinds: ${KINDS.map((k) => `"${k}"`).join(", ")}.`,
    });
  }
  const known = PARAMS[kind as ActivationKind];
  for (const key of Object.keys(cfg)) {
    if (key === "kind" || known.includes(key)) continue;
    throw new InfomorphError({
      code: "activation/bad-param",
      path: [key],
      message:
        `activation "${kind}" has no parameter "${key}". ` +
        (known.length === 0 ? "It takes none." : `Its parameters are: ${known.join(", ")}.`),
    });
  }
  switch (kind as ActivationKind) {
    case "kay-phillips":
      return kayPhillips({ k1: cfg.k1 as number | undefined, k2: cfg.k2 as number | undefined });
    case "modulatory":
      return modulatory({ k1: cfg.k1 as number | undefined, k2: cfg.k2 as number | undefined });
    case "multi-source":
      return multiSource({ alpha: cfg.alpha as number[], beta: cfg.beta as number[] });
    case "heaviside":
      return heaviside();
    default:
      return identity();
  }
}

// ---- construction and validation ---------------------------------------------------------

interface Parts {
  kind: ActivationKind;
  label: string;
  sources: number;
  params: Record<string, number | number[]>;
  spec: ActivationSpec;
  value(s: ArrayLike<number>): number;
  partials(s: ArrayLike<number>, out: Float64Array): number;
}

/** Wrap the formulas with the shape checks every activation shares (O(sources) per call). */
function build(parts: Parts): Activation {
  const { kind, label, sources } = parts;
  const badShape = (message: string): InfomorphError =>
    new InfomorphError({ code: "activation/bad-shape", message });
  const checkSample = (s: ArrayLike<number>): void => {
    if (s.length !== sources) {
      throw badShape(
        `${label} expects ${sources} source values with F first (got ${s.length}). ` +
          "Pass one value per source.",
      );
    }
  };
  return Object.freeze({
    kind,
    sources,
    params: Object.freeze(parts.params),
    spec: Object.freeze(parts.spec),
    value(s: ArrayLike<number>): number {
      checkSample(s);
      return parts.value(s);
    },
    partials(s: ArrayLike<number>, out: Float64Array): number {
      checkSample(s);
      if (out.length !== sources) {
        throw badShape(
          `${label} writes ${sources} partials, but out has length ${out.length}. ` +
            `Pass a Float64Array(${sources}).`,
        );
      }
      return parts.partials(s, out);
    },
    apply(s: readonly Float32Array[], a: Float32Array, dA: readonly Float32Array[] | null): void {
      if (s.length !== sources) {
        throw badShape(
          `${label} expects ${sources} source arrays with F first (got ${s.length}). ` +
            "Pass one Float32Array per source.",
        );
      }
      for (let j = 0; j < sources; j++) {
        if (s[j].length !== a.length) {
          throw badShape(
            `source array ${j} has length ${s[j].length} but the output has ${a.length}. ` +
              "Give every source and output array the same length.",
          );
        }
      }
      if (dA !== null) {
        if (dA.length !== sources) {
          throw badShape(
            `${label} writes ${sources} partial arrays, but dA holds ${dA.length}. ` +
              "Pass one Float32Array per source, or null.",
          );
        }
        for (let j = 0; j < sources; j++) {
          if (dA[j].length !== a.length) {
            throw badShape(
              `dA[${j}] has length ${dA[j].length} but the output has ${a.length}. ` +
                "Give every partial array the output's length.",
            );
          }
        }
      }
      applyActivation(parts.spec, s, a, dA);
    },
  });
}

function badParam(path: (string | number)[], message: string): InfomorphError {
  return new InfomorphError({ code: "activation/bad-param", path, message });
}

/** A received value as the user wrote it: numbers bare, everything else as JSON. */
function show(x: unknown): string {
  if (typeof x === "number") return String(x);
  return JSON.stringify(x) ?? String(x);
}

function checkK1(k1: unknown, hint: number): number {
  if (typeof k1 !== "number" || !(k1 >= 0 && k1 <= 1)) {
    throw badParam(["k1"], `k1 must be a number in [0, 1] (got ${show(k1)}). Try k1: ${hint}.`);
  }
  return k1;
}

/**
 * The largest |gain| (k2, beta) accepted. Beyond it the sigmoid is a step for every input the
 * layer can see, and gain·r·c can overflow to ±Infinity, whose product with a zero is NaN.
 */
const MAX_GAIN = 1e6;

function isGain(x: unknown): x is number {
  return typeof x === "number" && Math.abs(x) <= MAX_GAIN;
}

function checkK2(k2: unknown): number {
  if (!isGain(k2)) {
    throw badParam(
      ["k2"],
      `k2 must be a number in [-${MAX_GAIN}, ${MAX_GAIN}] (got ${show(k2)}). Try k2: 2.`,
    );
  }
  return k2;
}

function checkAlphaBeta(alpha: unknown, beta: unknown): { alpha: number[]; beta: number[] } {
  const example = "Try alpha: [0.1, 0.1], beta: [2, 2].";
  for (const [name, xs] of [
    ["alpha", alpha],
    ["beta", beta],
  ] as const) {
    if (!Array.isArray(xs) || xs.length === 0) {
      throw badParam(
        [name],
        `${name} must be a non-empty array of numbers, one per context source ` +
          `(got ${show(xs)}). ${example}`,
      );
    }
  }
  const a = alpha as unknown[];
  const b = beta as unknown[];
  if (a.length !== b.length) {
    throw badParam(
      ["beta"],
      "alpha and beta must have the same length, one entry per context source " +
        `(got ${a.length} and ${b.length}). ${example}`,
    );
  }
  let sum = 0;
  a.forEach((x, j) => {
    if (typeof x !== "number" || !(x >= 0 && x < 1)) {
      throw badParam(
        ["alpha", j],
        `alpha[${j}] must be a number in [0, 1) (got ${show(x)}). Try 0.1.`,
      );
    }
    sum += x;
  });
  if (!(sum < 1)) {
    throw badParam(
      ["alpha"],
      `alpha must sum to less than 1, so the factor 1 − Σα stays positive (got sum ${sum}). ` +
        example,
    );
  }
  b.forEach((x, j) => {
    if (!isGain(x)) {
      throw badParam(
        ["beta", j],
        `beta[${j}] must be a number in [-${MAX_GAIN}, ${MAX_GAIN}] (got ${show(x)}). Try 2.`,
      );
    }
  });
  return { alpha: [...(a as number[])], beta: [...(b as number[])] };
}
