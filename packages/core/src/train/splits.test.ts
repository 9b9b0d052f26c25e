import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import {
  type NamedData,
  splitTrainValidation,
  splitTrainValidationTest,
  standardize,
  subset,
} from "./splits.js";

type Dataset = NamedData & { imageShape: [number, number] | null };

/** Row n has features [n, 10n] and label n mod 3. */
function rows(count: number, name = "toy/train"): Dataset {
  const features = new Float32Array(count * 2).map((_, k) => Math.floor(k / 2) * (k % 2 ? 10 : 1));
  const labels = new Uint8Array(count).map((_, n) => n % 3);
  return { name, features, labels, count, dim: 2, classes: 3, imageShape: null };
}

describe("standardize", () => {
  it("uses one global mean and population std from train only, applied to every split", () => {
    const train: Dataset = { ...rows(2), features: Float32Array.from([0, 1, 2, 5]) };
    const other: Dataset = { ...rows(1, "toy/test"), features: Float32Array.from([2, 6]) };
    // mean 2, variance (4 + 1 + 0 + 9) / 4 = 3.5
    const { mean, std } = standardize(train, other);
    expect(mean).toBe(2);
    expect(std).toBeCloseTo(Math.sqrt(3.5), 12);
    const s = Math.sqrt(3.5);
    expect(Array.from(train.features)).toEqual([-2 / s, -1 / s, 0, 3 / s].map(Math.fround));
    expect(Array.from(other.features)).toEqual([0, 4 / s].map(Math.fround));
  });

  it("refuses constant data", () => {
    const flat: Dataset = { ...rows(2), features: new Float32Array(4).fill(3) };
    expect(() => standardize(flat)).toThrow(
      "toy/train has every feature value equal to 3, so it cannot be standardised. Check the data file.",
    );
  });
});

describe("splitTrainValidation", () => {
  it("is a seeded partition that keeps row order and pairs features with labels", () => {
    const ds = rows(100, "toy/train");
    const a = splitTrainValidation(ds, 20, new Rng(7));
    const b = splitTrainValidation(ds, 20, new Rng(7));
    const c = splitTrainValidation(ds, 20, new Rng(8));
    expect([a.train.count, a.validation.count]).toEqual([80, 20]);
    expect([a.train.name, a.validation.name]).toEqual(["toy/train", "toy/validation"]);
    const ids = (d: Dataset): number[] =>
      Array.from({ length: d.count }, (_, r) => d.features[r * 2]);
    expect(ids(a.validation)).toEqual(ids(b.validation));
    expect(ids(a.validation)).not.toEqual(ids(c.validation));
    const all = [...ids(a.train), ...ids(a.validation)].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect(ids(a.train)).toEqual([...ids(a.train)].sort((x, y) => x - y));
    for (const d of [a.train, a.validation]) {
      for (let r = 0; r < d.count; r++) {
        expect(d.features[r * 2 + 1]).toBe(10 * d.features[r * 2]);
        expect(d.labels[r]).toBe(d.features[r * 2] % 3);
      }
    }
  });

  it("refuses a split that leaves no training rows", () => {
    expect(() => splitTrainValidation(rows(5), 5, new Rng(1))).toThrow(
      "cannot split 5 rows of toy/train into 5 validation and a non-empty train part. Use a larger dataset or smaller split sizes.",
    );
  });
});

describe("splitTrainValidationTest", () => {
  it("cuts three disjoint parts of the requested sizes", () => {
    const { train, validation, test } = splitTrainValidationTest(
      rows(50, "toy"),
      { validation: 10, test: 5 },
      new Rng(3),
    );
    expect([train.count, validation.count, test.count]).toEqual([35, 10, 5]);
    expect([train.name, validation.name, test.name]).toEqual([
      "toy/train",
      "toy/validation",
      "toy/test",
    ]);
    const seen = new Set<number>();
    for (const d of [train, validation, test]) {
      for (let r = 0; r < d.count; r++) seen.add(d.features[r * 2]);
    }
    expect(seen.size).toBe(50);
  });
});

describe("subset", () => {
  it("copies the chosen rows in the given order", () => {
    const s = subset(rows(5), [4, 0], "toy/pick");
    expect(Array.from(s.features)).toEqual([4, 40, 0, 0]);
    expect(Array.from(s.labels)).toEqual([1, 0]);
    expect(s.count).toBe(2);
  });
});
