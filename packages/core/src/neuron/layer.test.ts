import { describe, expect, it } from "vitest";
import { naiveKernels } from "../../testing/naive-kernels.js";
import { createWasmKernels } from "../kernels/wasm/loader.js";
import { lattice } from "../pid/lattice.js";
import { Rng } from "../random/rng.js";
import { modulatory, trivariate } from "./activation.js";
import { InfomorphicLayer, type LayerConfig } from "./layer.js";

function randomInputs(rng: Rng, count: number, dims: number[]): Float32Array[] {
  return dims.map((d) => Float32Array.from({ length: count * d }, () => rng.normal()));
}

function layerConfig(n: number, gammaSeed: number): LayerConfig {
  const rng = new Rng(gammaSeed);
  const atoms = lattice(n === 3 ? 3 : 2).size;
  return {
    size: 3,
    sources:
      n === 3
        ? [
            { name: "F", inputs: 5 },
            { name: "C", inputs: 4 },
            { name: "L", inputs: 3, connectivity: { kind: "no-self" } },
          ]
        : [
            { name: "F", inputs: 5 },
            { name: "C", inputs: 4 },
          ],
    activation: n === 3 ? trivariate() : modulatory({ k1: 0.5, k2: 2 }),
    binning: { kind: "fixed", bins: 4, min: -3, max: 3 },
    gamma: Float64Array.from({ length: atoms + 1 }, () => 2 * rng.uniform() - 1),
    optimizer: { lr: 1e-2, weightDecay: 0 },
  };
}

describe("InfomorphicLayer", () => {
  it.each([2, 3])(
    "has a weight gradient equal to finite differences of ΣG with frozen bins (%i sources)",
    (n) => {
      const count = 24;
      const rng = new Rng(5);
      const layer = new InfomorphicLayer(layerConfig(n, 7), count, naiveKernels(), rng);
      const inputs = randomInputs(
        rng,
        count,
        layer.config.sources.map((s) => s.inputs),
      );
      const forward = () => {
        inputs.forEach((x, j) => layer.project(j, x, count));
        layer.activate(count, new Rng(1));
      };
      forward();
      layer.bin(count);
      layer.goalGradient(inputs, count);
      const analytic = layer
        .gradients()
        .map((g) => ({ weights: g.weights.slice(), bias: g.bias.slice() }));
      const totalGoal = () => {
        forward();
        return layer.goalGradient(inputs, count).meanGoal * layer.size;
      };
      const h = 1e-2;
      let checked = 0;
      layer.parameters.forEach((p, j) => {
        for (const e of [0, 4, 7, p.weights.length - 1]) {
          if (p.mask && p.mask[e] === 0) continue;
          const w = p.weights[e];
          p.weights[e] = w + h;
          const up = totalGoal();
          p.weights[e] = w - h;
          const down = totalGoal();
          p.weights[e] = w;
          const fd = (up - down) / (2 * h);
          const got = -analytic[j].weights[e];
          expect(
            Math.abs(got - fd),
            `source ${p.name} weight ${e}: fd ${fd} vs ${got}`,
          ).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)) + 1e-4);
          checked++;
        }
        const b = p.bias[1];
        p.bias[1] = b + h;
        const up = totalGoal();
        p.bias[1] = b - h;
        const down = totalGoal();
        p.bias[1] = b;
        expect(Math.abs(-analytic[j].bias[1] - (up - down) / (2 * h))).toBeLessThan(
          2e-3 * Math.max(1, Math.abs((up - down) / (2 * h))) + 1e-4,
        );
      });
      expect(checked).toBeGreaterThanOrEqual(8);
    },
  );

  it("keeps masked lateral weights at exactly 0 while learning", () => {
    const count = 32;
    const rng = new Rng(3);
    const layer = new InfomorphicLayer(layerConfig(3, 2), count, naiveKernels(), rng);
    const inputs = randomInputs(rng, count, [5, 4, 3]);
    for (let step = 0; step < 5; step++) {
      inputs.forEach((x, j) => layer.project(j, x, count));
      layer.activate(count, rng);
      layer.learn(inputs, count);
    }
    const lateral = layer.parameters[2];
    for (let k = 0; k < 3; k++) expect(lateral.weights[k * 3 + k]).toBe(0);
    expect(lateral.weights.some((w, e) => e % 4 !== 0 && w !== 0)).toBe(true);
  });

  it("builds sparse lateral masks with k inputs per neuron, never itself, from the seed", () => {
    const make = (seed: number) =>
      new InfomorphicLayer(
        {
          ...layerConfig(3, 1),
          size: 12,
          sources: [
            { name: "F", inputs: 5 },
            { name: "C", inputs: 4 },
            { name: "L", inputs: 12, connectivity: { kind: "sparse", inputs: 4 } },
          ],
        },
        8,
        naiveKernels(),
        new Rng(seed),
      ).parameters[2].mask!;
    const mask = make(1);
    for (let k = 0; k < 12; k++) {
      const row = mask.subarray(k * 12, (k + 1) * 12);
      expect(row.reduce((a, b) => a + b, 0)).toBe(4);
      expect(row[k]).toBe(0);
    }
    expect(Array.from(make(1))).toEqual(Array.from(mask));
    expect(Array.from(make(2))).not.toEqual(Array.from(mask));
  });

  it("ascends its goal: ΣG rises over training steps on a fixed batch", () => {
    const count = 64;
    const rng = new Rng(11);
    const config: LayerConfig = { ...layerConfig(2, 3), gamma: Float64Array.from([0, 0, 1, 0, 0]) };
    const layer = new InfomorphicLayer(config, count, naiveKernels(), rng);
    const inputs = randomInputs(rng, count, [5, 4]);
    const goalNow = () => {
      inputs.forEach((x, j) => layer.project(j, x, count));
      layer.activate(count, rng);
      return layer.learn(inputs, count).meanGoal;
    };
    const first = goalNow();
    let last = first;
    for (let step = 0; step < 60; step++) last = goalNow();
    expect(last).toBeGreaterThan(first + 0.05);
  });

  it("rejects a goal of the wrong length", () => {
    expect(
      () =>
        new InfomorphicLayer(
          { ...layerConfig(3, 1), gamma: new Float64Array(5) },
          4,
          naiveKernels(),
          new Rng(1),
        ),
    ).toThrow("the goal has 5 entries; 3 sources need 19.");
  });
});

describe("InfomorphicLayer on the wasm layer kernels", () => {
  it.each([2, 3])(
    "samples, θ, gradients and the rng match the TypeScript kernels (%i sources)",
    async (n) => {
      const count = 67;
      const wasm = await createWasmKernels({ memoryMiB: 16 });
      const run = (kernels: typeof wasm) => {
        const rng = new Rng(21);
        const layer = new InfomorphicLayer(layerConfig(n, 4), count, kernels, rng);
        const inputs = randomInputs(
          rng,
          count,
          layer.config.sources.map((s) => s.inputs),
        );
        inputs.forEach((x, j) => layer.project(j, x, count));
        layer.activate(count, rng);
        layer.bin(count);
        layer.goalGradient(inputs, count);
        return { layer, rng: rng.state() };
      };
      const ts = run(naiveKernels());
      const got = run(wasm);
      const cells = count * 3;
      expect(got.rng).toEqual(ts.rng);
      expect(Array.from(got.layer.samples.subarray(0, cells))).toEqual(
        Array.from(ts.layer.samples.subarray(0, cells)),
      );
      for (let e = 0; e < cells; e++) {
        expect(Math.abs(got.layer.theta[e] - ts.layer.theta[e])).toBeLessThan(1e-6);
      }
      got.layer.gradients().forEach((g, j) => {
        const want = ts.layer.gradients()[j];
        for (const [x, y] of [
          [g.weights, want.weights],
          [g.bias, want.bias],
        ]) {
          let scale = 0;
          for (const v of y) scale = Math.max(scale, Math.abs(v));
          for (let e = 0; e < y.length; e++) {
            expect(Math.abs(x[e] - y[e]), `source ${j} element ${e}`).toBeLessThan(1e-4 * scale);
          }
        }
      });
    },
  );
});
