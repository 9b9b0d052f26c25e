import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Tests run against the sources, so `npm test` needs no build of core first.
    alias: {
      "@infomorph/core": fileURLToPath(new URL("packages/core/src/index.ts", import.meta.url)),
    },
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts"],
    // Builds dist/ for the tests that run the compiled CLI or its worker threads.
    globalSetup: ["test/global-setup.ts"],
    // Generous: a loaded 2-core machine runs the training tests several times slower.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
