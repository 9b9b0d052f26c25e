import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64 } from "./base64.js";
import { decodeState, encodeState, littleEndianBytes, viewLittleEndian } from "./state.js";

const roundTrip = (value: unknown): unknown =>
  decodeState(JSON.parse(JSON.stringify(encodeState(value))));

describe("state codec", () => {
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

  it("names damaged arrays", () => {
    expect(() => decodeState({ dtype: "float32", base64: "AQID" })).toThrow(
      expect.objectContaining({ code: "codec/bad-array" }),
    );
    expect(() => decodeState({ dtype: "float32", base64: "AA*A" })).toThrow(
      expect.objectContaining({
        code: "codec/bad-base64",
        message: expect.stringMatching(/character 2/),
      }),
    );
  });
});

describe("viewLittleEndian", () => {
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

  it("reads a typed array from little-endian bytes inside a larger buffer", () => {
    const values = new Float64Array([Math.PI, -0, 1e-300, Number.NaN]);
    const buffer = new ArrayBuffer(8 + values.byteLength + 8);
    new Uint8Array(buffer).set(littleEndianBytes(values), 8);
    const view = viewLittleEndian("float64", buffer, 8, values.byteLength);
    expect(view).toBeInstanceOf(Float64Array);
    expect(view).toEqual(values);
    // a view of the buffer, not a copy, where the platform's order is little-endian
    expect(view.buffer === buffer).toBe(littleEndian);
    if (littleEndian) {
      new Float64Array(buffer, 8, 1)[0] = 2;
      expect(view[0]).toBe(2);
    }

    const bytes = new Int16Array([-2, 300, 32767]);
    const at = new ArrayBuffer(2 + bytes.byteLength);
    new Uint8Array(at).set(littleEndianBytes(bytes), 2);
    expect(viewLittleEndian("int16", at, 2, bytes.byteLength)).toEqual(bytes);
    // little-endian bytes: -2 is fe ff, 300 is 2c 01
    expect([...new Uint8Array(at, 2, 4)]).toEqual([0xfe, 0xff, 0x2c, 0x01]);
  });
});

describe("base64", () => {
  /** Seeded bytes (a linear congruential sequence), so a failure is reproducible. */
  function seeded(length: number, seed: number): Uint8Array {
    const out = new Uint8Array(length);
    let x = seed;
    for (let i = 0; i < length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      out[i] = x >>> 24;
    }
    return out;
  }

  it("writes the RFC 4648 test vectors", () => {
    const vectors = ["", "f", "fo", "foo", "foob", "fooba", "foobar"];
    const want = ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"];
    vectors.forEach((text, i) => {
      expect(encodeBase64(new TextEncoder().encode(text)), text).toBe(want[i]);
      expect(new TextDecoder().decode(decodeBase64(want[i])), want[i]).toBe(text);
    });
  });

  it("reads text without padding and agrees with Node's Buffer on 1 MB, both ways", () => {
    for (let n = 0; n <= 64; n++) {
      const b = seeded(n, n + 1);
      const text = Buffer.from(b).toString("base64");
      expect(decodeBase64(text.replace(/=+$/, "")), `length ${n} unpadded`).toEqual(b);
    }
    const big = seeded(1 << 20, 7);
    const text = Buffer.from(big).toString("base64");
    expect(encodeBase64(big) === text).toBe(true);
    expect(Buffer.compare(decodeBase64(text), big)).toBe(0);
  });

  it("refuses text that is not base64, naming the character or the length", () => {
    expect(() => decodeBase64("Zm9v!mFy")).toThrow(
      'the base64 text is damaged: character 4 ("!") is not base64. Save the data again (saveModel, or the run\'s checkpoint).',
    );
    expect(() => decodeBase64("Zm9vY")).toThrow("its length 5 is not a valid base64 length");
    expect(() => decodeBase64("Zm9vYé==")).toThrow('character 5 ("é") is not base64');
    expect(() => decodeBase64("Zm9v!m==", "Start the run again.")).toThrow(
      'the base64 text is damaged: character 4 ("!") is not base64. Start the run again.',
    );
  });

  it("agrees with Node's Buffer on every length and byte value", () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 31) & 255);
      const text = Buffer.from(bytes).toString("base64");
      expect(encodeBase64(bytes), `length ${length}`).toBe(text);
      expect(decodeBase64(text), `length ${length}`).toEqual(bytes);
    }
    const all = Uint8Array.from({ length: 256 * 3 }, (_, i) => i & 255);
    expect(encodeBase64(all)).toBe(Buffer.from(all).toString("base64"));
  });
});
