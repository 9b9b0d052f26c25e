import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { Log2Buffer } from "./log2.js";

describe("Log2Buffer", () => {
  it("agrees with Math.log2 to 2 ulp + 4e-16 over the whole positive range", () => {
    const rng = new Rng(1);
    const buffer = new Log2Buffer(100_000);
    const x = Float64Array.from({ length: 100_000 }, () => 10 ** (600 * rng.uniform() - 300));
    buffer.values.set(x);
    buffer.apply(x.length);
    let worst = 0;
    for (let k = 0; k < x.length; k++) {
      const want = Math.log2(x[k]);
      const allowed = 4e-16 + 2 * Number.EPSILON * Math.abs(want);
      worst = Math.max(worst, Math.abs(buffer.values[k] - want) / allowed);
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("is exact at powers of two and handles edge values like Math.log2", () => {
    const buffer = new Log2Buffer(8);
    const x = [1, 0.5, 2 ** -40, 0, 5e-324, Number.POSITIVE_INFINITY, -1, Number.NaN];
    buffer.values.set(x);
    buffer.apply(x.length);
    expect(Array.from(buffer.values)).toEqual(x.map(Math.log2));
  });

  it("touches only the first count values", () => {
    const buffer = new Log2Buffer(3);
    buffer.values.set([2, 4, 8]);
    buffer.apply(2);
    expect(Array.from(buffer.values)).toEqual([1, 2, 8]);
  });
});
