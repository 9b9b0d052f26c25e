/**
 * Vitest global setup: `npm run build` (an incremental tsc -b, under a second when nothing
 * changed) before any test, so `npm test` on a fresh clone needs no separate build step and
 * the tests that run the compiled CLI or its worker threads never see a stale dist/. Then a
 * throwaway PostgreSQL for the goal search's database tests, unless one is named already
 * (INFOMORPH_TEST_DATABASE_URL, as `.ci/run` does), so `npm test` runs them too wherever
 * Debian's postgresql is installed; it is stopped and removed after the run.
 */

import { execFileSync, execSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const URL_VARIABLE = "INFOMORPH_TEST_DATABASE_URL";

export default function setup(): (() => void) | undefined {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execSync("npm run --silent build", { cwd: root, stdio: "inherit" });
  return process.env[URL_VARIABLE] ? undefined : startPostgres(root);
}

/**
 * Start scripts/test-postgres.sh's cluster and export its URL to the test processes (forks
 * inherit this process's environment); the stop function, or undefined when PostgreSQL is not
 * installed, and the database tests then name the missing prerequisite (test/prerequisites.ts).
 */
function startPostgres(root: string): (() => void) | undefined {
  let exports: string;
  try {
    exports = execFileSync("bash", ["scripts/test-postgres.sh", "start"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const reason = String((error as { stderr?: string }).stderr ?? error).trim();
    console.warn(`no PostgreSQL for the database tests: ${reason}`);
    return undefined;
  }
  // Lines of the form: export NAME='value' (values hold no quotes: a hex password, a path)
  for (const [, name, value] of exports.matchAll(/^export (\w+)='([^']*)'$/gm)) {
    process.env[name] = value;
  }
  const dir = process.env.INFOMORPH_TEST_DATABASE_DIR;
  return () => {
    if (dir)
      execFileSync("bash", ["scripts/test-postgres.sh", "stop", dir], {
        cwd: root,
        stdio: "ignore",
      });
    delete process.env[URL_VARIABLE];
  };
}
