/** Receptive fields: one neuron's weights of a source as an RGBA image on a symmetric blue–white–red scale, and per-neuron weight summaries. */

import { InfomorphError } from "../errors.js";

/**
 * The weights of one input class (source) of a layer, as in SourceParameters:
 * `weights` row-major [neuron × inputs], one `bias` per neuron (which fixes the neuron
 * count), `mask` 1 where a connection exists (null when dense).
 */
export interface SourceWeights {
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly mask?: Uint8Array | null;
}

export interface ReceptiveFieldOptions {
  /** Image height in pixels, e.g. 28 for MNIST. */
  rows: number;
  /** Image width in pixels, e.g. 28; rows × cols must equal the source's inputs per neuron. */
  cols: number;
  /**
   * The |w| drawn at full colour, symmetric around 0:
   * "neuron" (default): max |w| of this neuron (each image uses its full range);
   * "layer": max |w| over all neurons of the source (images comparable within a layer);
   * a positive number: fixed (images comparable across layers or epochs).
   */
  scale?: "neuron" | "layer" | number;
}

/** An image ready for `new ImageData(rgba, width, height)` in a browser or a PNG encoder in Node. */
export interface ReceptiveFieldImage {
  readonly width: number;
  readonly height: number;
  /** Row-major RGBA, 4 bytes per pixel, alpha 255. */
  readonly rgba: Uint8ClampedArray;
  /** The |w| drawn at full colour (0 when every weight is 0: the image is all white). */
  readonly scale: number;
}

/**
 * The colour of weight w on the symmetric diverging scale with full colour at |w| = scale:
 *
 *   t = clamp(w / scale, −1, 1)
 *   t ≥ 0: (R, G, B) = (255, round(255·(1 − t)), round(255·(1 − t)))   white → red
 *   t < 0: (R, G, B) = (round(255·(1 + t)), round(255·(1 + t)), 255)   white → blue
 *
 * Math.round rounds halves up (127.5 → 128). scale = 0 draws white. Writes 4 bytes
 * (alpha 255) at `offset`.
 *
 * @example weightColour(-0.5, 1, px, 0) // px = [128, 128, 255, 255]
 */
export function weightColour(
  w: number,
  scale: number,
  rgba: Uint8ClampedArray,
  offset: number,
): void {
  let t = scale > 0 ? w / scale : 0;
  if (t > 1) t = 1;
  else if (t < -1) t = -1;
  if (t >= 0) {
    const fade = Math.round(255 * (1 - t));
    rgba[offset] = 255;
    rgba[offset + 1] = fade;
    rgba[offset + 2] = fade;
  } else {
    const fade = Math.round(255 * (1 + t));
    rgba[offset] = fade;
    rgba[offset + 1] = fade;
    rgba[offset + 2] = 255;
  }
  rgba[offset + 3] = 255;
}

/**
 * One neuron's weights as a rows × cols image, pixel (r, c) = input r·cols + c, on the
 * blue (negative) – white (zero) – red (positive) scale of {@link weightColour}. Use it
 * for feed-forward fields (28 × 28 on MNIST) and, with rows = 1, as a colour strip for
 * context weights (1 × 10 label weights). Masked-out inputs count as 0: they draw
 * white and do not set the scale. Non-finite weights are rejected. Precision: 8 bits
 * per channel.
 *
 * @example
 * // neuron 0 of a 2-neuron source with 4 inputs, weights (1, −1, 0.5, 0)
 * receptiveField(f, 0, { rows: 2, cols: 2 }).rgba
 * // red, blue, (255, 128, 128), white — each with alpha 255
 */
export function receptiveField(
  source: SourceWeights,
  neuron: number,
  options: ReceptiveFieldOptions,
): ReceptiveFieldImage {
  const { rows, cols } = options;
  const inputs = inputsOf(source);
  checkNeuron(neuron, source.bias.length);
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new InfomorphError({
      code: "receptive-field/bad-size",
      path: ["rows"],
      message: `rows and cols must be positive integers (got ${rows} × ${cols}), e.g. 28 × 28 for MNIST.`,
    });
  }
  if (rows * cols !== inputs) {
    throw new InfomorphError({
      code: "receptive-field/size-mismatch",
      path: ["rows"],
      message: `a ${rows} × ${cols} image has ${rows * cols} pixels but each neuron has ${inputs} inputs; choose rows × cols = ${inputs}.`,
    });
  }
  const row = neuronWeights(source, neuron);
  const scale = resolveScale(options.scale ?? "neuron", source, neuron * inputs, inputs);
  const rgba = new Uint8ClampedArray(inputs * 4);
  for (let i = 0; i < inputs; i++) {
    checkFinite(row[i], neuron * inputs + i);
    weightColour(row[i], scale, rgba, i * 4);
  }
  return { width: cols, height: rows, rgba, scale };
}

/** Per-neuron statistics of one source's weights, each a vector over neurons (float64). */
export interface WeightSummary {
  readonly neurons: number;
  readonly inputs: number;
  /** Connected inputs per neuron (all inputs when dense). */
  readonly connections: Int32Array;
  /** ‖w‖₂ over connected inputs. */
  readonly norm: Float64Array;
  /** Mean weight over connected inputs (0 with no connections). */
  readonly mean: Float64Array;
  /** max |w| over connected inputs. */
  readonly maxAbs: Float64Array;
  /** The input with the largest |w| (first on ties; −1 with no connections). */
  readonly strongest: Int32Array;
  /** Fraction of connected weights > 0 (0 with no connections). */
  readonly positiveFraction: Float64Array;
}

/**
 * Summarise each neuron's weights of one source (context or lateral), over connected
 * inputs only (mask = 1, or all when dense):
 *
 *   norm_i = √(Σ_j w_ij²),  mean_i = (1/K_i)·Σ_j w_ij,  maxAbs_i = max_j |w_ij|,
 *   positiveFraction_i = #{j : w_ij > 0} / K_i
 *
 * with K_i connected inputs. Units: those of the weights. Precision: float64
 * accumulation of float32 weights. For the full vector of one neuron (e.g. its 10
 * label weights) use {@link neuronWeights}.
 *
 * @example weightSummary({ weights: Float32Array.of(3, -4), bias: new Float32Array(1) })
 * // norm [5], mean [-0.5], maxAbs [4], strongest [1], positiveFraction [0.5]
 */
export function weightSummary(source: SourceWeights): WeightSummary {
  const inputs = inputsOf(source);
  const neurons = source.bias.length;
  const { weights } = source;
  const mask = source.mask ?? null;
  const connections = new Int32Array(neurons);
  const norm = new Float64Array(neurons);
  const mean = new Float64Array(neurons);
  const maxAbs = new Float64Array(neurons);
  const strongest = new Int32Array(neurons).fill(-1);
  const positiveFraction = new Float64Array(neurons);
  for (let i = 0; i < neurons; i++) {
    let count = 0;
    let sum = 0;
    let squares = 0;
    let positive = 0;
    let best = -1;
    for (let j = 0; j < inputs; j++) {
      const k = i * inputs + j;
      if (mask && mask[k] === 0) continue;
      const w = weights[k];
      checkFinite(w, k);
      count++;
      sum += w;
      squares += w * w;
      if (w > 0) positive++;
      if (best < 0 || Math.abs(w) > maxAbs[i]) {
        best = j;
        maxAbs[i] = Math.abs(w);
      }
    }
    connections[i] = count;
    norm[i] = Math.sqrt(squares);
    mean[i] = count > 0 ? sum / count : 0;
    strongest[i] = best;
    positiveFraction[i] = count > 0 ? positive / count : 0;
  }
  return { neurons, inputs, connections, norm, mean, maxAbs, strongest, positiveFraction };
}

/**
 * A copy of one neuron's weight vector of a source, float32, one entry per input
 * (masked-out inputs read 0).
 *
 * @example neuronWeights(c, 3) // the 10 label weights of neuron 3
 */
export function neuronWeights(source: SourceWeights, neuron: number): Float32Array {
  const inputs = inputsOf(source);
  checkNeuron(neuron, source.bias.length);
  const row = source.weights.slice(neuron * inputs, (neuron + 1) * inputs);
  const mask = source.mask ?? null;
  if (mask) for (let j = 0; j < inputs; j++) if (mask[neuron * inputs + j] === 0) row[j] = 0;
  return row;
}

function resolveScale(
  scale: "neuron" | "layer" | number,
  source: SourceWeights,
  rowStart: number,
  inputs: number,
): number {
  if (scale === "neuron") return maxAbsOf(source, rowStart, rowStart + inputs);
  if (scale === "layer") return maxAbsOf(source, 0, source.weights.length);
  if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0) {
    throw new InfomorphError({
      code: "receptive-field/bad-scale",
      path: ["scale"],
      message: `scale must be "neuron", "layer" or a positive finite number (got ${String(scale)}).`,
    });
  }
  return scale;
}

/** max |w| over the connected weights in [start, end); throws on a non-finite weight. */
function maxAbsOf(source: SourceWeights, start: number, end: number): number {
  const { weights } = source;
  const mask = source.mask ?? null;
  let max = 0;
  for (let k = start; k < end; k++) {
    if (mask && mask[k] === 0) continue;
    checkFinite(weights[k], k);
    const a = Math.abs(weights[k]);
    if (a > max) max = a;
  }
  return max;
}

function checkFinite(w: number, index: number): void {
  if (!Number.isFinite(w)) {
    throw new InfomorphError({
      code: "receptive-field/not-finite",
      path: ["weights", index],
      message: `weight ${index} is ${w}; weights must be finite to be drawn or summarised. Look for a diverged run.`,
    });
  }
}

function inputsOf(source: SourceWeights): number {
  const neurons = source.bias.length;
  const { length } = source.weights;
  if (neurons === 0 || length % neurons !== 0) {
    throw new InfomorphError({
      code: "receptive-field/bad-weights",
      path: ["weights"],
      message: `weights has ${length} entries, not a multiple of the ${neurons} neurons given by bias; pass a source's weights [neuron × inputs] with its bias.`,
    });
  }
  const inputs = length / neurons;
  if (source.mask && source.mask.length !== length) {
    throw new InfomorphError({
      code: "receptive-field/bad-mask",
      path: ["mask"],
      message: `mask has ${source.mask.length} entries but weights has ${length}; pass the source's own mask, or null when dense.`,
    });
  }
  return inputs;
}

function checkNeuron(neuron: number, neurons: number): void {
  if (!Number.isInteger(neuron) || neuron < 0 || neuron >= neurons) {
    throw new InfomorphError({
      code: "receptive-field/bad-neuron",
      path: ["neuron"],
      message: `neuron must be an integer from 0 to ${neurons - 1} (got ${neuron}).`,
    });
  }
}
