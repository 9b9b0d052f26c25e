import { describe, expect, it } from "vitest";
import type { Kernels } from "../kernels/kernels.js";
import { tsKernels } from "../kernels/kernels.js";
import { matmulABt, matmulAtB } from "../kernels/ts/matmul.js";
import { createWasmKernels } from "../kernels/wasm/loader.js";
import { lattice } from "../pid/lattice.js";
import { Rng } from "../random/rng.js";
import { trivariate } from "./activation.js";
import { InfomorphicLayer, type LayerConfig } from "./layer.js";

const SIZE = 40;

/** F, C dense; L sparse lateral with `lateral` inputs per neuron out of SIZE. */
function sparseConfig(lateral: number): LayerConfig {
  const rng = new Rng(9);
  return {
    size: SIZE,
    sources: [
      { name: "F", inputs: 6 },
      { name: "C", inputs: 5 },
      { name: "L", inputs: SIZE, connectivity: { kind: "sparse", inputs: lateral } },
    ],
    activation: trivariate(),
    binning: { kind: "fixed", bins: 4, min: -3, max: 3 },
    gamma: Float64Array.from({ length: lattice(3).size + 1 }, () => 2 * rng.uniform() - 1),
    optimizer: { lr: 1e-2, weightDecay: 0 },
  };
}

/** `kernels` with its sparse products counted, and copies of what the last sparse gradient got. */
function spied(kernels: Kernels) {
  const seen = { forward: 0, gradient: 0, delta: new Float32Array(0), x: new Float32Array(0) };
  const spy: Kernels = {
    ...kernels,
    sparseMatmulABt(a, w, pattern, out, m, bias) {
      seen.forward++;
      kernels.sparseMatmulABt(a, w, pattern, out, m, bias);
    },
    sparseMatmulAtB(d, b, pattern, out, m) {
      seen.gradient++;
      seen.delta = d.slice(0, m * pattern.rows);
      seen.x = b.slice(0, m * pattern.cols);
      kernels.sparseMatmulAtB(d, b, pattern, out, m);
    },
  };
  return { spy, seen };
}

function random(rng: Rng, length: number, sign = false): Float32Array {
  return Float32Array.from({ length }, () =>
    sign ? (rng.uniform() < 0.5 ? -1 : 1) : 2 * rng.uniform() - 1,
  );
}

/** Worst |got − want| / scale over the entries where `where` holds. */
function worstError(
  got: Float32Array,
  want: Float32Array,
  scale: Float32Array,
  where: (e: number) => boolean = () => true,
): number {
  let worst = 0;
  for (let e = 0; e < want.length; e++) {
    if (where(e)) worst = Math.max(worst, Math.abs(got[e] - want[e]) / (scale[e] + 1e-30));
  }
  return worst;
}

const implementations: [string, () => Promise<Kernels>][] = [
  ["ts", async () => tsKernels()],
  ["wasm-simd", () => createWasmKernels({ memoryMiB: 16 })],
];

describe("InfomorphicLayer with sparse lateral connectivity", () => {
  it.each(implementations)(
    "computes s_L and the weight gradient as the dense products do, exactly 0 off the mask (%s)",
    async (_, make) => {
      const { spy, seen } = spied(await make());
      const count = 67;
      const rng = new Rng(4);
      const layer = new InfomorphicLayer(sparseConfig(5), count, spy, rng);
      const lateral = layer.parameters[2];
      const mask = lateral.mask;
      if (!mask) throw new Error("a sparse source has a mask");
      const inputs = [
        random(rng, count * 6),
        random(rng, count * 5),
        random(rng, count * SIZE, true),
      ];
      inputs.forEach((x, j) => layer.project(j, x, count));
      expect(seen.forward).toBe(1);

      const cells = count * SIZE;
      const want = new Float32Array(cells);
      const scale = new Float32Array(cells);
      matmulABt(inputs[2], lateral.weights, want, count, SIZE, SIZE, lateral.bias);
      const absW = lateral.weights.map(Math.abs);
      matmulABt(
        inputs[2].map(Math.abs),
        absW,
        scale,
        count,
        SIZE,
        SIZE,
        lateral.bias.map(Math.abs),
      );
      expect(worstError(layer.s[2].subarray(0, cells), want, scale)).toBeLessThanOrEqual(1e-5);

      layer.activate(count, rng);
      layer.bin(count);
      layer.goalGradient(inputs, count);
      expect(seen.gradient).toBe(1);
      expect(Array.from(seen.x)).toEqual(Array.from(inputs[2]));
      const gradient = layer.gradients()[2].weights;
      const dense = new Float32Array(SIZE * SIZE);
      const denseScale = new Float32Array(SIZE * SIZE);
      matmulAtB(seen.delta, inputs[2], dense, SIZE, count, SIZE);
      matmulAtB(seen.delta.map(Math.abs), inputs[2].map(Math.abs), denseScale, SIZE, count, SIZE);
      expect(seen.delta.some((x) => x !== 0)).toBe(true);
      expect(worstError(gradient, dense, denseScale, (e) => mask[e] === 1)).toBeLessThanOrEqual(
        1e-5,
      );
      const offMask = gradient.filter((_, e) => mask[e] === 0);
      expect(offMask.length).toBe(SIZE * (SIZE - 5));
      expect(offMask.every((g) => Object.is(g, 0))).toBe(true);
      // and the off-mask gradient the dense product would give is not 0: the test can fail
      expect(dense.some((g, e) => mask[e] === 0 && g !== 0)).toBe(true);

      layer.step();
      expect(lateral.weights.every((w, e) => mask[e] === 1 || w === 0)).toBe(true);
      expect(lateral.weights.filter((w, e) => mask[e] === 1 && w !== 0).length).toBe(SIZE * 5);
    },
  );

  it("runs the dense products above 25 % density and for no-self lateral sources", async () => {
    for (const connectivity of [{ kind: "sparse", inputs: 11 }, { kind: "no-self" }] as const) {
      const { spy, seen } = spied(tsKernels());
      const config = sparseConfig(10);
      const layer = new InfomorphicLayer(
        {
          ...config,
          sources: [
            config.sources[0],
            config.sources[1],
            { name: "L", inputs: SIZE, connectivity },
          ],
        },
        8,
        spy,
        new Rng(1),
      );
      const rng = new Rng(2);
      const inputs = [random(rng, 8 * 6), random(rng, 8 * 5), random(rng, 8 * SIZE, true)];
      inputs.forEach((x, j) => layer.project(j, x, 8));
      layer.activate(8, rng);
      layer.learn(inputs, 8);
      expect(seen).toMatchObject({ forward: 0, gradient: 0 });
    }
    // exactly 25 %: sparse
    const { spy, seen } = spied(tsKernels());
    const layer = new InfomorphicLayer(sparseConfig(10), 8, spy, new Rng(1));
    layer.project(2, new Float32Array(8 * SIZE), 8);
    expect(seen.forward).toBe(1);
  });

  it("starts sparse lateral weights and biases in ±1/√(layer size), as torch.nn.Linear before masking", () => {
    // 5 of 40 inputs: the reference's bound is 1/√40 ≈ 0.158; 1/√5 ≈ 0.447 would be the per-connection rule.
    const layer = new InfomorphicLayer(sparseConfig(5), 8, tsKernels(), new Rng(3));
    const lateral = layer.parameters[2];
    const bound = 1 / Math.sqrt(SIZE);
    const connected = Array.from(lateral.weights).filter((_, e) => lateral.mask?.[e] === 1);
    expect(connected).toHaveLength(SIZE * 5);
    const largest = Math.max(...connected.map(Math.abs), ...Array.from(lateral.bias, Math.abs));
    expect(largest).toBeLessThanOrEqual(bound);
    expect(largest).toBeGreaterThan(0.9 * bound);
  });
});
