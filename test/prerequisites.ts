/**
 * What some tests need from outside the repository (a browser, clang, the built CLI), in one
 * place: under CI (CI=true) a missing prerequisite fails the tests that need it, naming it and
 * the command that installs it; elsewhere those tests are skipped and the reason is printed.
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { staleDist } from "../packages/cli/testing/built-cli.js";

/** Something a test needs that the repository does not hold. */
export interface Prerequisite {
  /** What is needed, as a person would look for it. */
  readonly name: string;
  /** The command that provides it. */
  readonly install: string;
  /** Why it is not usable here, or null when it is. */
  missing(): string | null;
}

/** True under CI: the CI variable set to anything but "", "0" or "false" (as CI services do). */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "0" && ci !== "false";
}

/** Why `command` cannot be run here, or null (runs it with --version). */
function notRunnable(command: string): string | null {
  const result = spawnSync(command, ["--version"], { stdio: "ignore" });
  if (result.error) return `${command} is not on PATH`;
  return result.status === 0 ? null : `${command} --version exited with ${result.status}`;
}

/** Where Debian's chromium package puts the browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Debian's chromium, which the report's browser test drives through playwright-core. */
export const CHROMIUM: Prerequisite = {
  name: `Chromium at ${CHROMIUM_PATH}`,
  install: "apt-get install -y chromium",
  missing: () => (existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} does not exist`),
};

/** clang and wasm-ld, which rebuild the shipped WebAssembly (scripts/build-kernels.sh). */
export const CLANG: Prerequisite = {
  name: "clang and wasm-ld",
  install: "apt-get install -y clang lld",
  missing: () => notRunnable(process.env.CLANG ?? "clang") ?? notRunnable("wasm-ld"),
};

/**
 * The compiled CLI, current with the sources of every package it runs (staleDist): tests that
 * start `infomorph` processes or kernel worker threads run it.
 */
export const BUILT_CLI: Prerequisite = {
  name: "the built CLI (packages/cli/dist)",
  install: "npm run build (the tests' global setup runs it)",
  missing: staleDist,
};

/** The lab's page as Vite builds it (packages/lab/dist/page), which the lab serves and reports embed. */
export const BUILT_PAGE: Prerequisite = {
  name: "the built lab page (packages/lab/dist/page)",
  install: "npm run build (the tests' global setup runs it)",
  missing: () => {
    const page = fileURLToPath(new URL("../packages/lab/dist/page/index.html", import.meta.url));
    return existsSync(page) ? null : `${page} is missing`;
  },
};

/**
 * describe(title, body) where every prerequisite is met. Otherwise, under CI, one failing test
 * per missing prerequisite that names it and its install command; elsewhere the suite is
 * skipped, with the reason in its title and on stderr.
 */
export function describeWith(
  prerequisites: readonly Prerequisite[],
  title: string,
  body: () => void,
): void {
  const missing = prerequisites.flatMap((p) => {
    const why = p.missing();
    return why === null
      ? []
      : [{ name: p.name, reason: `${p.name} not found (${why}). Install it with: ${p.install}` }];
  });
  if (missing.length === 0) {
    describe(title, body);
  } else if (underCi()) {
    describe(title, () => {
      for (const { name, reason } of missing) {
        it(`needs ${name}`, () => {
          throw new Error(`${reason}. CI must not skip this test.`);
        });
      }
    });
  } else {
    const reason = missing.map((m) => m.reason).join("; ");
    console.warn(`skipping "${title}": ${reason}`);
    describe.skip(`${title} (skipped: ${reason})`, body);
  }
}
