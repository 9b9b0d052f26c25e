import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The import rules of `npm run lint` (.dependency-cruiser.cjs) on a small repository made of
 * wrong imports, one per rule: each must be caught and named, so no rule can silently stop
 * working (a typo in a path regex would otherwise just let everything pass).
 */

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DEPCRUISE = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");

/** path → source; every import below is wrong in exactly the way its comment says. */
const FILES: Record<string, string> = {
  "package.json": '{ "type": "module", "dependencies": { "left-pad": "1.3.0" } }',
  "node_modules/left-pad/package.json": '{ "name": "left-pad", "main": "index.js" }',
  "node_modules/left-pad/index.js": "module.exports = (s) => s;\n",
  "tsconfig.json": JSON.stringify({
    compilerOptions: {
      module: "NodeNext",
      moduleResolution: "NodeNext",
      paths: { "@infomorph/core": ["./packages/core/src/index.ts"] },
    },
  }),
  "packages/core/src/errors.ts": "export const E = 1;\n",
  "packages/core/src/random/rng.ts": 'import { E } from "../errors.js";\nexport const R = E;\n',
  "packages/core/src/index.ts": 'export { R } from "./random/rng.js";\n',
  "packages/core/src/neuron/layer.ts":
    'import { R } from "../random/rng.js";\nexport const L = R;\n',
  // a kernel reaching up into the neuron
  "packages/core/src/kernels/kernels.ts":
    'import { L } from "../neuron/layer.js";\nexport const K = L;\n',
  // a cycle of two modules
  "packages/core/src/pid/a.ts": 'import { B } from "./b.js";\nexport const A = () => B;\n',
  "packages/core/src/pid/b.ts": 'import { A } from "./a.js";\nexport const B = () => A;\n',
  // Node in core; an npm package in core
  "packages/core/src/goals/named.ts":
    'import { readFileSync } from "node:fs";\nimport pad from "left-pad";\nexport const G = [readFileSync, pad];\n',
  // the goal-search samplers computing PIDs
  "packages/core/src/search/sampler.ts": 'import { A } from "../pid/a.js";\nexport const S = A;\n',
  // network and memory side by side
  "packages/core/src/memory/hopfield.ts": "export const M = 1;\n",
  "packages/core/src/network/network.ts":
    'import { M } from "../memory/hopfield.js";\nexport const N = M;\n',
  // a test may drive its layer from above: no violation
  "packages/core/src/neuron/layer.test.ts":
    'import { N } from "../network/network.js";\nexport const T = N;\n',
  "packages/core/testing/helpers.ts": "export const H = 1;\n",
  "packages/lab/src/page.ts": "export const P = 1;\n",
  // the run store importing test code, a package above it, and an import that resolves nowhere
  "packages/runs/src/store.ts":
    'import { H } from "../../core/testing/helpers.js";\nimport { P } from "../../lab/src/index.js";\nimport { X } from "./missing.js";\nexport const Q = [H, P, X];\n',
  "packages/lab/src/index.ts": 'export { P } from "./page.js";\n',
  // a package's testing/ helper may drive a package above, as its tests do: no violation
  "packages/runs/testing/helper.ts":
    'import { P } from "../../lab/src/index.js";\nexport const T = P;\n',
  // the run store's browser formats reaching for Node and for the rest of the store
  "packages/runs/src/format/zip.ts":
    'import { readFileSync } from "node:fs";\nimport { Q } from "../store.js";\nexport const Z = [readFileSync, Q];\n',
  "packages/runs/src/index.ts": 'export { Q } from "./store.js";\n',
  // the web page reaching for Node and for the run store's Node entry; a build's virtual module is fine
  "packages/lab/page/src/app.ts":
    'import { join } from "node:path";\nimport { Q } from "../../../runs/src/index.js";\nimport digits from "virtual:digits";\nexport const W = [join, Q, digits];\n',
  // the lab reaching past core's entry point
  "packages/lab/src/report.ts":
    'import { K } from "../../core/src/kernels/kernels.js";\nimport { R } from "@infomorph/core";\nexport const V = [K, R];\n',
};

/** Every violation the fixture holds: rule, from, to. */
const EXPECTED: [string, string, string][] = [
  ["core-layer-order-kernels", "core/src/kernels/kernels.ts", "core/src/neuron/layer.ts"],
  ["no-cycles", "core/src/pid/a.ts", "core/src/pid/b.ts"],
  ["core-no-node-apis", "core/src/goals/named.ts", "fs"],
  ["core-no-packages", "core/src/goals/named.ts", "node_modules/left-pad/index.js"],
  ["core-search-below-kernels", "core/src/search/sampler.ts", "core/src/pid/a.ts"],
  ["core-layer-order-network", "core/src/network/network.ts", "core/src/memory/hopfield.ts"],
  ["no-src-imports-testing", "runs/src/store.ts", "core/testing/helpers.ts"],
  ["package-order-runs", "runs/src/store.ts", "lab/src/index.ts"],
  ["not-to-unresolvable", "runs/src/store.ts", "./missing.js"],
  ["lab-uses-core-public-entry-only", "lab/src/report.ts", "core/src/kernels/kernels.ts"],
  ["packages-use-entry-points", "lab/src/report.ts", "core/src/kernels/kernels.ts"],
  ["runs-format-no-node-apis", "runs/src/format/zip.ts", "fs"],
  ["runs-format-stays-in-format", "runs/src/format/zip.ts", "runs/src/store.ts"],
  ["lab-page-runs-in-browsers", "lab/page/src/app.ts", "path"],
  ["lab-page-uses-runs-browser-entry", "lab/page/src/app.ts", "runs/src/index.ts"],
];

describe("the import rules of npm run lint", () => {
  it("catch and name every kind of wrong import, and nothing else", () => {
    const root = mkdtempSync(join(tmpdir(), "infomorph-dependency-rules-"));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const run = spawnSync(
      process.execPath,
      [DEPCRUISE, "packages", "--config", CONFIG, "--output-type", "json"],
      { cwd: root, encoding: "utf8" },
    );
    const result = JSON.parse(run.stdout || "{}") as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    const found = result.summary.violations.map((v) => [
      v.rule.name,
      v.from.replace(/^packages\//, ""),
      v.to.replace(/^packages\//, ""),
    ]);
    expect(run.stderr).toBe("");
    expect(found.sort()).toEqual([...EXPECTED].sort());
  });

  it("say which layers may be imported when one is broken", () => {
    const root = mkdtempSync(join(tmpdir(), "infomorph-dependency-rules-"));
    for (const path of [
      "packages/core/src/neuron/layer.ts",
      "packages/core/src/kernels/kernels.ts",
    ]) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(
        join(root, path),
        FILES[path].replace(/import \{ R \}.*\n/, "").replace("= R", "= 1"),
      );
    }
    writeFileSync(join(root, "tsconfig.json"), FILES["tsconfig.json"]);
    const run = spawnSync(
      process.execPath,
      [DEPCRUISE, "packages", "--config", CONFIG, "--output-type", "err-long"],
      { cwd: root, encoding: "utf8" },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      "error core-layer-order-kernels: packages/core/src/kernels/kernels.ts → packages/core/src/neuron/layer.ts",
    );
    expect(run.stdout.replace(/\s+/g, " ")).toContain(
      "core/src/kernels may import only errors, codec, validate, random; layers bottom to top: errors → codec | validate → random → kernels → pid → goals → search → optim → neuron → network | memory → train → analysis → index",
    );
  });
});
