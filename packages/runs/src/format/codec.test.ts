import { describe, expect, it } from "vitest";
import { decodeState, encodeState } from "./codec.js";

const roundTrip = (value: unknown): unknown =>
  decodeState(JSON.parse(JSON.stringify(encodeState(value))));

describe("checkpoint codec", () => {
  it("round-trips typed arrays, nested objects and awkward numbers exactly", () => {
    const weights = new Float32Array([0.1, -2.5e-38, 3.4e38, Number.NaN, -0, 1 / 3]);
    const state = {
      hidden: {
        parameters: [{ weights, bias: new Float32Array(0) }],
        optimizers: [
          { kind: "adam", step: 7, moments: [new Float32Array([1e-8, 2]), new Float32Array([3])] },
        ],
      },
      sums: new Float64Array([Math.PI, Number.MIN_VALUE, -Number.MAX_VALUE]),
      mask: new Uint8Array([0, 1, 255]),
      counts: new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0]),
      words: [0x9e3779b9, 1, 2, 3],
      spare: -0,
      odd: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, 1e-300],
      flag: true,
      label: "x",
    };
    const back = roundTrip(state) as typeof state;
    expect(back).toEqual(state);
    expect(back.hidden.parameters[0].weights).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(back.hidden.parameters[0].weights.buffer)).toEqual(
      new Uint8Array(weights.buffer),
    );
    expect(back.sums).toBeInstanceOf(Float64Array);
    expect(back.mask).toBeInstanceOf(Uint8Array);
    expect(back.counts).toBeInstanceOf(Int32Array);
    expect(Object.is(back.spare, -0)).toBe(true);
    expect(back.odd[0]).toBeNaN();
  });

  it("encodes a view of a larger buffer as just its elements", () => {
    const big = new Float32Array([1, 2, 3, 4, 5]);
    const view = big.subarray(1, 3);
    expect(encodeState(view)).toEqual({
      dtype: "float32",
      base64: Buffer.from(new Float32Array([2, 3]).buffer).toString("base64"),
    });
    expect(roundTrip(view)).toEqual(new Float32Array([2, 3]));
  });

  it("refuses values JSON cannot carry", () => {
    expect(() => encodeState({ a: new BigInt64Array(1) })).toThrow(/BigInt64Array/);
    expect(() => encodeState({ f: () => 1 })).toThrow(/function/);
  });
});
