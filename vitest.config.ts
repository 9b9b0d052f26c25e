import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** A file of this repository, as an absolute path. */
function source(path: string): string {
  return fileURLToPath(new URL(path, import.meta.url));
}

export default defineConfig({
  resolve: {
    // Tests run against the sources, so `npm test` needs no build of core first.
    alias: [
      { find: /^@infomorph\/core$/, replacement: source("packages/core/src/index.ts") },
      {
        find: /^@infomorph\/core\/kernels$/,
        replacement: source("packages/core/src/kernels/index.ts"),
      },
      {
        find: /^@infomorph\/core\/testing$/,
        replacement: source("packages/core/testing/index.ts"),
      },
    ],
  },
  test: {
    include: ["packages/*/src/**/*.test.ts"],
    // Generous: a loaded 2-core machine runs the training tests several times slower.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
