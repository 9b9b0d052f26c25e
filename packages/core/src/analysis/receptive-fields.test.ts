import { describe, expect, it } from "vitest";
import { neuronWeights, receptiveField, weightColour, weightSummary } from "./receptive-fields.js";

const WHITE = [255, 255, 255, 255];
const RED = [255, 0, 0, 255];
const BLUE = [0, 0, 255, 255];

function pixels(rgba: Uint8ClampedArray): number[][] {
  return Array.from({ length: rgba.length / 4 }, (_, i) =>
    Array.from(rgba.subarray(i * 4, i * 4 + 4)),
  );
}

/** Two neurons, four inputs each (a 2 × 2 image). */
const source = {
  weights: Float32Array.of(1, -1, 0.5, 0, /* neuron 1 */ 2, -0.25, 0, 4),
  bias: new Float32Array(2),
};

describe("weightColour", () => {
  it("maps the symmetric scale to exact colours", () => {
    const px = new Uint8ClampedArray(4);
    const at = (w: number, scale: number) => {
      weightColour(w, scale, px, 0);
      return Array.from(px);
    };
    expect(at(0, 1)).toEqual(WHITE);
    expect(at(1, 1)).toEqual(RED);
    expect(at(-1, 1)).toEqual(BLUE);
    expect(at(0.5, 1)).toEqual([255, 128, 128, 255]); // 127.5 rounds up
    expect(at(-0.5, 1)).toEqual([128, 128, 255, 255]);
    expect(at(0.25, 1)).toEqual([255, 191, 191, 255]); // round(191.25)
    expect(at(-0.75, 1)).toEqual([64, 64, 255, 255]); // round(63.75)
    expect(at(3, 1)).toEqual(RED); // clamped beyond the scale
    expect(at(-3, 2)).toEqual(BLUE);
    expect(at(5, 0)).toEqual(WHITE); // zero scale: all white
  });
});

describe("receptiveField", () => {
  it("draws a neuron on its own scale (default)", () => {
    const image = receptiveField(source, 0, { rows: 2, cols: 2 });
    expect([image.width, image.height, image.scale]).toEqual([2, 2, 1]);
    expect(pixels(image.rgba)).toEqual([RED, BLUE, [255, 128, 128, 255], WHITE]);
  });

  it("uses the layer's max |w| with scale: layer", () => {
    // layer max |w| = 4: neuron 0's weight 1 is a quarter of full colour
    const image = receptiveField(source, 0, { rows: 2, cols: 2, scale: "layer" });
    expect(image.scale).toBe(4);
    expect(pixels(image.rgba)).toEqual([
      [255, 191, 191, 255],
      [191, 191, 255, 255],
      [255, 223, 223, 255], // 0.125 → round(223.125)
      WHITE,
    ]);
  });

  it("uses a fixed numeric scale and lays pixels out row-major", () => {
    const image = receptiveField(source, 1, { rows: 1, cols: 4, scale: 2 });
    expect([image.width, image.height]).toEqual([4, 1]);
    expect(pixels(image.rgba)).toEqual([RED, [223, 223, 255, 255], WHITE, RED]);
  });

  it("draws masked inputs white and keeps them out of the scale", () => {
    const masked = { ...source, mask: Uint8Array.of(1, 0, 1, 1, 1, 1, 1, 1) };
    masked.weights[1] = -9; // present in storage but not connected
    const image = receptiveField(masked, 0, { rows: 2, cols: 2 });
    expect(image.scale).toBe(1);
    expect(pixels(image.rgba)[1]).toEqual(WHITE);
    expect(receptiveField(masked, 0, { rows: 2, cols: 2, scale: "layer" }).scale).toBe(4);
  });

  it("rejects bad input with messages that name the fix", () => {
    expect(() => receptiveField(source, 0, { rows: 28, cols: 28 })).toThrow(
      "a 28 × 28 image has 784 pixels but each neuron has 4 inputs; choose rows × cols = 4.",
    );
    expect(() => receptiveField(source, 2, { rows: 2, cols: 2 })).toThrow(
      "neuron must be an integer from 0 to 1 (got 2).",
    );
    expect(() => receptiveField(source, 0, { rows: 2, cols: 2, scale: -1 })).toThrow(
      'scale must be "neuron", "layer" or a positive finite number (got -1).',
    );
    const diverged = { weights: Float32Array.of(1, Number.NaN), bias: new Float32Array(1) };
    expect(() => receptiveField(diverged, 0, { rows: 1, cols: 2, scale: 1 })).toThrow(
      "weight 1 is NaN; weights must be finite to be drawn or summarised. Look for a diverged run.",
    );
    expect(() =>
      receptiveField({ weights: new Float32Array(5), bias: new Float32Array(2) }, 0, {
        rows: 1,
        cols: 2,
      }),
    ).toThrow(
      "weights has 5 entries, not a multiple of the 2 neurons given by bias; pass a source's weights [neuron × inputs] with its bias.",
    );
  });
});

describe("weightSummary and neuronWeights", () => {
  it("summarises each neuron's weights by hand-computed values", () => {
    const s = weightSummary({
      weights: Float32Array.of(3, -4, 0, 0, 1, 1),
      bias: new Float32Array(2),
    });
    expect([s.neurons, s.inputs]).toEqual([2, 3]);
    expect(Array.from(s.norm)).toEqual([5, Math.SQRT2]);
    expect(s.mean[0]).toBeCloseTo(-1 / 3, 14);
    expect(s.mean[1]).toBeCloseTo(2 / 3, 14);
    expect(Array.from(s.maxAbs)).toEqual([4, 1]);
    expect(Array.from(s.strongest)).toEqual([1, 1]); // first of the ties for neuron 1
    expect(s.positiveFraction[0]).toBeCloseTo(1 / 3, 14);
    expect(s.positiveFraction[1]).toBeCloseTo(2 / 3, 14);
    expect(Array.from(s.connections)).toEqual([3, 3]);
  });

  it("counts only connected inputs under a mask", () => {
    const s = weightSummary({
      weights: Float32Array.of(3, -4, 100, 0, 2, 0),
      bias: new Float32Array(2),
      mask: Uint8Array.of(1, 1, 0, 0, 1, 0),
    });
    expect(Array.from(s.connections)).toEqual([2, 1]);
    expect(Array.from(s.norm)).toEqual([5, 2]);
    expect(Array.from(s.mean)).toEqual([-0.5, 2]);
    expect(Array.from(s.strongest)).toEqual([1, 1]);
    expect(Array.from(s.positiveFraction)).toEqual([0.5, 1]);
  });

  it("returns -1 / 0 for a neuron without connections", () => {
    const s = weightSummary({
      weights: Float32Array.of(7, 7),
      bias: new Float32Array(1),
      mask: Uint8Array.of(0, 0),
    });
    expect([s.connections[0], s.norm[0], s.mean[0], s.strongest[0]]).toEqual([0, 0, 0, -1]);
  });

  it("copies one neuron's vector with masked inputs as 0", () => {
    const masked = { ...source, mask: Uint8Array.of(1, 1, 1, 1, 1, 0, 1, 1) };
    const w = neuronWeights(masked, 1);
    expect(Array.from(w)).toEqual([2, 0, 0, 4]);
    w[0] = 99;
    expect(source.weights[4]).toBe(2); // a copy
  });
});
