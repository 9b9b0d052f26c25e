/**
 * Vitest global setup: `npm run build` (an incremental tsc -b, under a second when nothing
 * changed) before any test, so `npm test` on a fresh clone needs no separate build step and
 * the tests that run the compiled CLI or its worker threads never see a stale dist/.
 */

import { execSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execSync("npm run --silent build", { cwd: root, stdio: "inherit" });
}
