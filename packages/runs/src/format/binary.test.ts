import { describe, expect, it } from "vitest";
import { decodeBinary, encodeBinary } from "./binary.js";

const roundTrip = (value: unknown): unknown => {
  const bytes = encodeBinary(value);
  // as a fetch's arrayBuffer(): a buffer of its own
  return decodeBinary(bytes.slice().buffer);
};

describe("JSON with typed arrays as bytes", () => {
  it("gives back every typed array, nested, with its type and values", () => {
    const value = {
      name: "run",
      layers: [
        {
          values: new Float32Array([0.1, -2.5, 3e38]),
          bands: { median: new Float64Array([Math.PI, -0]) },
        },
        { values: new Float32Array(0), ids: new Int32Array([-(2 ** 31), 7]) },
      ],
      bytes: new Uint8Array([1, 2, 3]),
      odd: new Int16Array([-3, 4, 5]),
      words: new Uint32Array([2 ** 32 - 1]),
      plain: [1, "two", null, true],
    };
    const back = roundTrip(value) as typeof value;
    expect(back).toEqual(value);
    expect(back.layers[0].values).toBeInstanceOf(Float32Array);
    expect(back.layers[0].bands?.median).toBeInstanceOf(Float64Array);
    expect(Object.is(back.layers[0].bands?.median[1], -0)).toBe(true);
  });

  it("places every array on an 8-byte boundary, as views of the one buffer", () => {
    const bytes = encodeBinary({
      a: new Uint8Array([9]),
      b: new Float64Array([1, 2]),
      c: new Float32Array([3]),
    });
    const buffer = bytes.slice().buffer;
    const back = decodeBinary(buffer) as { a: Uint8Array; b: Float64Array; c: Float32Array };
    for (const array of [back.a, back.b, back.c]) {
      expect(array.buffer).toBe(buffer);
      expect(array.byteOffset % 8).toBe(0);
    }
    // header, then 8 bytes for a (1 + padding), 16 for b, 8 for c (4 + padding)
    expect(back.c.byteOffset - back.a.byteOffset).toBe(24);
  });

  it("is smaller than the same payload in base64 JSON", () => {
    const atoms = new Float32Array(100_000).map((_, i) => Math.sin(i));
    const binary = encodeBinary({ atoms }).length;
    const base64 = JSON.stringify({ atoms: Buffer.from(atoms.buffer).toString("base64") }).length;
    expect(binary).toBeLessThan(0.76 * base64);
  });

  it("names damaged data", () => {
    expect(() => decodeBinary(new TextEncoder().encode("hello world").buffer)).toThrow(
      "the data are damaged (no header); load them again.",
    );
    const bytes = encodeBinary({ a: new Float32Array(4) });
    expect(() => decodeBinary(bytes.slice(0, bytes.length - 4).buffer)).toThrow(
      "an array runs past the end",
    );
    expect(() => encodeBinary({ d: new DataView(new ArrayBuffer(4)) })).not.toThrow();
    expect(() => encodeBinary({ big: new BigInt64Array(1) })).toThrow(
      "cannot send a BigInt64Array",
    );
  });
});
