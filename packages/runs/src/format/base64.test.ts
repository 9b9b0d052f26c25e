import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64 } from "./base64.js";

/** Seeded bytes (a linear congruential sequence), so a failure is reproducible. */
function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe("base64", () => {
  it("writes the RFC 4648 test vectors", () => {
    const vectors = ["", "f", "fo", "foo", "foob", "fooba", "foobar"];
    const want = ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"];
    vectors.forEach((text, i) => {
      expect(encodeBase64(new TextEncoder().encode(text)), text).toBe(want[i]);
      expect(new TextDecoder().decode(decodeBase64(want[i])), want[i]).toBe(text);
    });
  });

  it("agrees with Node's Buffer on every length 0…64 and on 1 MB, both ways", () => {
    for (let n = 0; n <= 64; n++) {
      const b = bytes(n, n + 1);
      const text = Buffer.from(b).toString("base64");
      expect(encodeBase64(b), `length ${n}`).toBe(text);
      expect(decodeBase64(text), `length ${n}`).toEqual(b);
      expect(decodeBase64(text.replace(/=+$/, "")), `length ${n} unpadded`).toEqual(b);
    }
    const big = bytes(1 << 20, 7);
    const text = Buffer.from(big).toString("base64");
    expect(encodeBase64(big) === text).toBe(true);
    expect(Buffer.compare(decodeBase64(text), big)).toBe(0);
  });

  it("refuses text that is not base64, naming the character or the length", () => {
    expect(() => decodeBase64("Zm9v!mFy")).toThrow(
      'an array in the checkpoint is not valid base64 (the character "!" at 4). The checkpoint is damaged; start the run again.',
    );
    expect(() => decodeBase64("Zm9vY")).toThrow("(its length 5)");
    expect(() => decodeBase64("Zg===")).toThrow("(its length 5)");
    expect(() => decodeBase64("Zm9vYé==")).toThrow('the character "é" at 5');
  });
});
