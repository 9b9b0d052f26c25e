/**
 * scripts/build-kernels.sh: the shipped WebAssembly is what its sources compile to (with
 * clang and wasm-ld; CI installs them), an edited source is reported as a mismatch, and a
 * missing toolchain is reported as missing (exit 3), never as "does not match its source".
 */

import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CLANG, describeWith } from "./prerequisites.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const KERNELS = "packages/core/src/kernels/wasm";

/** Runs the script of the repository at `root` with `args` and extra environment. */
function buildKernels(root: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync("bash", [join(root, "scripts/build-kernels.sh"), ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the script and the kernel sources, to edit without touching the repository. */
function scratchRepository(): string {
  const root = mkdtempSync(join(tmpdir(), "infomorph-build-kernels-"));
  cpSync(join(ROOT, "scripts"), join(root, "scripts"), { recursive: true });
  cpSync(join(ROOT, KERNELS), join(root, KERNELS), { recursive: true });
  return root;
}

describe("scripts/build-kernels.sh without a toolchain", () => {
  it("reports a missing clang as missing, exit 3", () => {
    const run = buildKernels(ROOT, ["--check"], { CLANG: "/nonexistent/clang" });
    expect([run.status, run.stdout]).toEqual([3, ""]);
    expect(run.stderr).toBe(
      "error: /nonexistent/clang not found, so the kernels cannot be built (nothing was compared). Install clang and lld (apt-get install -y clang lld) or set CLANG.\n",
    );
  });

  it("reports a missing wasm-ld as missing, exit 3, not as a mismatch", () => {
    // `true` stands in for clang: the linker is looked for before anything is compiled.
    const run = buildKernels(ROOT, ["--check"], { CLANG: "true", WASM_LD: "/nonexistent/wasm-ld" });
    expect([run.status, run.stdout]).toEqual([3, ""]);
    expect(run.stderr).toBe(
      "error: wasm-ld (the WebAssembly linker, from lld) not found, so the kernels cannot be built (nothing was compared). Install it (apt-get install -y lld) or set WASM_LD.\n",
    );
  });

  it("rejects an unknown argument with exit 2", () => {
    expect(buildKernels(ROOT, ["--chek"])).toEqual({
      status: 2,
      stdout: "",
      stderr: "usage: scripts/build-kernels.sh [--check]\n",
    });
  });
});

describeWith([CLANG], "scripts/build-kernels.sh --check with clang", () => {
  it("finds every shipped module equal to a fresh build of its sources", () => {
    const run = buildKernels(ROOT, ["--check"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.match(/^ok: .*\.wasm\.ts matches its sources/gm)).toHaveLength(3);
  });

  it("reports a source edited after the build as a mismatch, exit 1", () => {
    const root = scratchRepository();
    appendFileSync(join(root, KERNELS, "adam.c"), "\n/* edited */\n");
    const run = buildKernels(root, ["--check"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^ok: .*pid\.wasm\.ts matches its sources/m);
    for (const name of ["matmul.wasm.ts", "matmul-shared.wasm.ts"]) {
      expect(run.stderr).toContain(`error: ${KERNELS}/${name} does not match a fresh build of`);
    }
  });
});
