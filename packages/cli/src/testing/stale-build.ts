/** For tests that run the built CLI (child processes, worker threads): whether the build in dist/ is older than the sources. */

import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built CLI entry point. */
export const CLI_DIST = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const PACKAGES = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Why the built CLI cannot be used, or null: dist/main.js is missing, or a source of core
 * or cli changed after their last build (tsc -b stamps tsconfig.tsbuildinfo on every build,
 * while it leaves outputs whose text did not change untouched).
 */
export function staleDist(): string | null {
  if (!existsSync(CLI_DIST)) return `${CLI_DIST} is missing`;
  for (const pkg of ["core", "cli"]) {
    const stamp = join(PACKAGES, pkg, "tsconfig.tsbuildinfo");
    if (!existsSync(stamp)) return `${stamp} is missing`;
    const built = statSync(stamp).mtimeMs;
    const changed = sources(join(PACKAGES, pkg, "src")).find((f) => statSync(f).mtimeMs > built);
    if (changed) return `${changed} changed after the last build`;
  }
  return null;
}

/** Every non-test TypeScript source under dir. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
    .filter((e) => !e.name.endsWith(".d.ts"))
    .map((e) => join(e.parentPath, e.name));
}
