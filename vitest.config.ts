import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Every workspace entry point, by import name, and its source file: tests run against the
 * sources, so `npm test` needs no build first (tsconfig.json's `paths` say the same).
 */
const ENTRY_POINTS: Record<string, string> = {
  "@infomorph/core": "packages/core/src/index.ts",
  "@infomorph/core/kernels": "packages/core/src/kernels/index.ts",
  "@infomorph/core/testing": "packages/core/testing/index.ts",
  "@infomorph/runs": "packages/runs/src/index.ts",
  "@infomorph/runs/browser": "packages/runs/src/browser.ts",
  "@infomorph/lab": "packages/lab/src/index.ts",
  infomorph: "packages/cli/src/main.ts",
  "infomorph/data": "packages/cli/src/data/index.ts",
  "infomorph/workers": "packages/cli/src/workers/kernel-threads.ts",
  "infomorph/hidden-layer": "packages/cli/src/training/hidden-layer.ts",
  "infomorph/entry-point": "packages/cli/src/cli/entry-point.ts",
};

export default defineConfig({
  resolve: {
    alias: Object.entries(ENTRY_POINTS).map(([name, path]) => ({
      find: new RegExp(`^${name.replace(/[/.]/g, "\\$&")}$`),
      replacement: fileURLToPath(new URL(path, import.meta.url)),
    })),
  },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/lab/page/src/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    // Builds dist/ for the tests that run the compiled CLI or its worker threads.
    globalSetup: ["test/global-setup.ts"],
    // Generous: a loaded 2-core machine runs the training tests several times slower.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
