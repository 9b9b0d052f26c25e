/** The Kernels contract: the numeric hot paths of a training step, one interface that every backend (wasm/, ts/) implements and testing/kernels/ checks. Parameters are plain numbers and typed arrays (params.ts). */

import type { Rng } from "../random/rng.js";
import type { ActivationSpec, BinSpec, PidBatch, PidResults, PidRunner } from "./params.js";
import type { SparsePattern } from "./sparse-pattern.js";
import type { AdamStep } from "./ts/adam.js";

/**
 * The dense float32 products of a training step. Row-major arrays,
 * caller-owned output buffers; arrays may be longer than the shape needs
 * (only the leading elements are used). Outputs must not overlap inputs.
 * Bad shapes throw InfomorphError "kernels/bad-shape".
 */
export interface Kernels {
  readonly name: "wasm-simd" | "ts";
  /**
   * Threads the products and the PID run on, the calling one included (1 unless created
   * with threads and a way to start workers). Results are bit-identical for any number.
   */
  readonly threads: number;
  /**
   * estimator.run(input, output), split over the threads by neurons when every array lives
   * in this object's memory (from alloc*()) and the batch is big enough; otherwise on the
   * calling thread. Each neuron's results depend on its own inputs only, so the bits are the
   * same either way; a bad input throws the error the lowest failing neuron gives.
   */
  runPid(estimator: PidRunner, input: PidBatch, output: PidResults): void;
  /** Stops the worker threads, if any; the object must not be used afterwards. */
  close(): void;
  /**
   * A Float32Array of `length` zeros that the kernels use without copying (for
   * wasm, a view into WebAssembly memory). Views stay valid for the life of the
   * Kernels object: the wasm implementation reserves its memory once, at
   * creation, and never grows it again (growing would detach every live view);
   * alloc() bumps through that fixed arena and throws "kernels/out-of-memory"
   * when it is full. Memory from alloc() is never freed: allocate buffers once
   * per model, not per step.
   */
  alloc(length: number): Float32Array;
  /** As alloc(), for float64 values (PID estimator inputs and outputs, optimizer moments). */
  allocFloat64(length: number): Float64Array;
  /** As alloc(), for bytes (bin indices, masks). */
  allocBytes(length: number): Uint8Array;
  /**
   * out[m×n] = a[m×k] · b[n×k]ᵀ (+ bias[n] if given); the layer forward X·Wᵀ.
   * Masks are the caller's (masked weights are zero). Tolerance against ts/:
   * 1e-5 relative to Σ_p |a·b| + |bias| (float32 summation order).
   */
  matmulABt(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
    bias?: Float32Array | null,
  ): void;
  /**
   * out[m×n] = a[k×m]ᵀ · b[k×n]; the weight gradient Dᵀ·X (m = neurons,
   * k = batch, n = inputs). Tolerance as for matmulABt.
   */
  matmulAtB(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    m: number,
    k: number,
    n: number,
  ): void;
  /**
   * The activation step of a layer (InfomorphicLayer.activate, which passes its activation's
   * `spec`), elementwise over the first
   * `cells` elements of [sample × neuron] float32 arrays:
   *
   *   a = A(s), dA[j] = ∂A/∂s_j,  θ = σ(a),  samples = +1 if u_e < θ_e else −1
   *
   * where u_e is the e-th rng.uniform() from the current state, drawn in element order; the
   * rng is left after the last draw (exactly `cells` uniforms). `s` and `dA` hold one array
   * per source of the activation, F first.
   *
   * ts/: ts/activation.ts in float64 rounded to float32, σ in float64 of the float32 a, the
   * comparison against that float64 θ. wasm (multi-source with ≤ 4 sources, modulatory,
   * identity: float32 SIMD; kay-phillips: float64 SIMD rounded to float32; heaviside and
   * larger multi-source fall back to ts/): a and dA within a few float32 ulp of the terms they
   * sum, plus |u|·2⁻²⁴ relative in e^(−|u|) from rounding the exponent argument u = β·F·s_j
   * to float32; θ = σ(a) in float32 of the float32 a, compared as (double)θ. So θ agrees to a
   * few ulp plus |a|·θ(1 − θ) times a's error, and a sample differs only where u_e lies
   * between the two θ (none in the 4.5 million of the conformance tests; the expected rate is
   * the mean |Δθ|, ~1e-8). The rng ends in the same state.
   * layer-conformance.ts checks all of this.
   */
  activateLayer(
    activation: ActivationSpec,
    s: readonly Float32Array[],
    a: Float32Array,
    dA: readonly Float32Array[],
    theta: Float32Array,
    samples: Float32Array,
    cells: number,
    rng: Rng,
  ): void;
  /**
   * The error signal of one source for the local learning rule (InfomorphicLayer.goalGradient):
   *
   *   delta[i·n + k] = −gradient[k·count + i] · θ(1 − θ) · dA[i·n + k],  θ = theta[i·n + k]
   *   biasGrad[k]    = Σ_i delta[i·n + k]
   *
   * gradient: ∂G/∂θ from the PID estimator, [neuron × sample] float64, stride `count`;
   * theta, dA, delta: [sample × neuron] float32, `count` samples × `n` neurons; biasGrad[n].
   * delta is evaluated left to right in float64 and rounded once to float32; biasGrad is
   * summed in float32 in order of i. Both implementations give the same bits.
   */
  layerDelta(
    gradient: Float64Array,
    theta: Float32Array,
    dA: Float32Array,
    delta: Float32Array,
    biasGrad: Float32Array,
    count: number,
    n: number,
  ): void;
  /**
   * out[k·count + i] = theta[i·n + k]: θ [sample × neuron] float32 into the PID estimator's
   * [neuron × sample] float64 layout. Exact in both implementations.
   */
  transposeToNeuronMajor(theta: Float32Array, out: Float64Array, count: number, n: number): void;
  /**
   * The sparsity pattern of a masked [rows × cols] weight matrix (mask row-major, nonzero =
   * connected), for sparseMatmulABt/AtB. Build it once per matrix: the wasm kernels keep its
   * column indices (Int32, 4 bytes per entry) in their memory for good, like alloc().
   */
  sparsePattern(mask: Uint8Array, rows: number, cols: number): SparsePattern;
  /**
   * The layer forward with a sparse weight matrix, reading only the pattern's weights
   * (n = pattern.rows, k = pattern.cols; W [n×k] row-major, entries outside the pattern ignored):
   *
   *   out[i·n + r] = Σ_{(r, j) in pattern} a[i·k + j] · w[r·k + j]  (+ bias[r]),  i < m
   *
   * Costs 2·m·entries instead of matmulABt's 2·m·n·k: for m = 1024 and 2000 × 2000 at 100
   * entries per row (5 %), wasm ≈ 30–40 ms against ≈ 250 ms dense (one Zen 3 core). wasm:
   * float32, bias plus the terms in pattern order per output; ts/: float64 sums rounded once.
   * Tolerance as for matmulABt: 1e-5 relative to Σ|a·w| + |bias| (sparse-conformance.ts;
   * observed ≈ 1.5e-7 at that size). Scratch per call (wasm): (k + 1)·m floats and the
   * pattern's weights.
   */
  sparseMatmulABt(
    a: Float32Array,
    w: Float32Array,
    pattern: SparsePattern,
    out: Float32Array,
    m: number,
    bias?: Float32Array | null,
  ): void;
  /**
   * The weight gradient Dᵀ·X on a sparse pattern (n = pattern.rows, k = pattern.cols):
   *
   *   out[r·k + j] = Σ_{i<m} d[i·n + r] · b[i·k + j]  for (r, j) in the pattern, else 0
   *
   * d [m×n] (per-sample deltas), b [m×k] (inputs), out [n×k]: the same layout as
   * matmulAtB(d, b, out, n, m, k), whose result it equals on the pattern; entries outside it
   * are exactly 0, so a masked optimizer step is unchanged. Costs 2·m·entries (at the size
   * above: wasm ≈ 25–35 ms against ≈ 250 ms for matmulAtB). Precision and tolerance as for
   * sparseMatmulABt (wasm: each sum in 8 float32 lanes, added in a fixed order). Scratch per
   * call (wasm): (n + k)·m floats.
   */
  sparseMatmulAtB(
    d: Float32Array,
    b: Float32Array,
    pattern: SparsePattern,
    out: Float32Array,
    m: number,
  ): void;
  /**
   * ts/binning.ts binLayer(), the discrete PID sources: sources[j] [batch × neurons]
   * float32 (exactly that long) into out[(k·batch + i)·S + j], the bin index of sample i,
   * neuron k, source j (out exactly neurons × batch × S bytes), with the same shape checks
   * ("binning/bad-shape") and, for the first NaN or ±Infinity in binLayer()'s loop order, the
   * same "binning/not-finite" error (out is then unspecified).
   *
   * Every bin index is the TS one: wasm computes each in float64 exactly as binIndex(),
   * floor(((x − min)/(max − min))·K) clamped to [0, K − 1], with adaptive's division by the
   * neuron's batch max |s_j| in float64 too (f64x2 SIMD). learn-conformance.ts checks every
   * bin, edges included. Measured (loaded 2-core EPYC, 3 sources): 1024 × 100 fixed 0.8 ms
   * (TS 2.2), adaptive 0.8 ms (TS 5.9); 1024 × 2000 fixed 16 ms (TS 46), adaptive 24 ms (TS 114).
   */
  binLayer(
    binning: BinSpec,
    sources: readonly Float32Array[],
    batch: number,
    neurons: number,
    out: Uint8Array,
  ): void;
  /**
   * One Adam step (optim/optimizer.ts adam(), ts/adam.ts) over the first `size` elements of the float32
   * params, grad and moments m, v; step holds the step's scalars (ts/adam.ts AdamStep). Per
   * element, in float64:
   *
   *   g = grad + wd·w,  m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g·g  (stored as float32)
   *   w ← w − (stepSize·m)/(√v/sqrtBc2 + eps)                            (stored as float32)
   *
   * Entries with mask[e] === 0 (mask null: none) get w = +0 and keep m and v. Both
   * implementations give the same bits (wasm: the TS operations in the TS order in f64x2
   * SIMD, all correctly rounded; only NaN payloads may differ). Arrays from alloc*() are used
   * in place, others copied in and out. Memory-bound: 5.6 M parameters ≈ 30 ms (TS 60–100),
   * with the 4 M lateral ones masked at 5 % ≈ 16 ms (TS 39); 78 400 ≈ 0.5 ms (TS 1.5).
   */
  adamStep(
    params: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    mask: Uint8Array | null,
    size: number,
    step: AdamStep,
  ): void;
}
