/** Test helper: the built `infomorph` command (packages/cli/dist) as a user runs it, in child processes, and whether that build is current. */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI_DIST = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const PACKAGES = fileURLToPath(new URL("../../", import.meta.url));
/** The packages the built CLI runs: its own and those it imports. */
const BUILT = ["core", "runs", "search", "lab", "cli"];

/**
 * Why the built CLI cannot be used, or null: dist/main.js is missing, or a source of a
 * package it runs changed after its last build (tsc -b stamps tsconfig.tsbuildinfo on every
 * build, while it leaves outputs whose text did not change untouched).
 */
export function staleDist(): string | null {
  if (!existsSync(CLI_DIST)) return `${CLI_DIST} is missing`;
  for (const pkg of BUILT) {
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

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** `infomorph train ARGS…` in a child process with an empty environment; stderr is kept. */
export function train(args: string[]): { child: ChildProcess; exit: Promise<Exit> } {
  return infomorph(["train", ...args]);
}

/**
 * `infomorph ARGS…` in a child process with an empty environment (but PATH and `env`);
 * stdout and stderr are kept, and `onStderr` sees stderr as it arrives.
 */
export function infomorph(
  args: string[],
  env: Record<string, string> = {},
  onStderr?: (text: string) => void,
): { child: ChildProcess; exit: Promise<Exit & { stdout: string }> } {
  const child = spawn(process.execPath, [CLI_DIST, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  let stderr = "";
  let stdout = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
    onStderr?.(String(chunk));
  });
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  const exit = new Promise<Exit & { stdout: string }>((done) =>
    child.on("close", (code, signal) => done({ code, signal, stderr, stdout })),
  );
  return { child, exit };
}
