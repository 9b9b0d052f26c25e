#!/usr/bin/env node
// Runs docs/LIBRARY.md's examples as a new user would: packs the published packages (after
// `npm run build`), installs the tarballs into an empty temporary project, and runs every
// ```js block of the guide there as its own ES module. Prints (to stderr) one line per block
// and "library guide: N passed, N failed"; exits 1 when a block fails. The blocks are read from the guide
// itself, so the guide cannot drift from what runs.
//
//   node scripts/library-guide.mjs            # the whole check (CI: .ci/run, "library guide")
//   node scripts/library-guide.mjs --keep     # keep the temporary project and print its path

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const guide = readFileSync(join(root, "docs/LIBRARY.md"), "utf8");
/** The published packages, in dependency order (dev is private). */
const PACKAGES = ["packages/core", "packages/runs", "packages/lab", "packages/cli"];
/** One block may train for a few seconds; none should come near this. */
const BLOCK_TIMEOUT_MS = 120_000;

/** The ```js blocks, each with the heading it stands under. */
function blocks(markdown) {
  const found = [];
  let heading = "";
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith("## ")) heading = lines[i].slice(3);
    if (lines[i].trim() !== "```js") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== "```") end++;
    found.push({ heading, line: start, code: lines.slice(start, end).join("\n") });
    i = end;
  }
  return found;
}

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

const examples = blocks(guide);
if (examples.length === 0) {
  console.error("library guide: docs/LIBRARY.md has no ```js blocks; 0 passed, 1 failed");
  process.exit(1);
}

const project = mkdtempSync(join(tmpdir(), "infomorph-guide-"));
const started = Date.now();
try {
  const tarballs = PACKAGES.map((dir) => {
    const out = run("npm", ["pack", "--silent", "--pack-destination", project], join(root, dir));
    return join(project, out.trim().split("\n").pop());
  });
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "guide-check", private: true, type: "module" }, null, 2)}\n`,
  );
  run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...tarballs],
    project,
  );
  console.error(
    `installed ${tarballs.length} tarballs in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  let passed = 0;
  let failed = 0;
  examples.forEach((example, k) => {
    const file = join(project, `example-${k + 1}.mjs`);
    writeFileSync(file, `${example.code}\n`);
    const t0 = Date.now();
    const result = spawnSync(process.execPath, [file], {
      cwd: project,
      encoding: "utf8",
      timeout: BLOCK_TIMEOUT_MS,
    });
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    const where = `docs/LIBRARY.md:${example.line} (${example.heading})`;
    if (result.status === 0) {
      passed++;
      console.error(`ok   ${where} ${seconds} s`);
    } else {
      failed++;
      console.error(`FAIL ${where} ${seconds} s, exit ${result.status ?? result.signal}`);
      console.error((result.stderr || result.stdout).trim().split("\n").slice(-15).join("\n"));
    }
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.error(`library guide: ${passed} passed, ${failed} failed (${seconds} s in all)`);
  process.exitCode = failed > 0 ? 1 : 0;
} catch (err) {
  console.error(
    `library guide: could not pack or install the packages: ${err.stderr || err.message}`,
  );
  process.exitCode = 1;
} finally {
  if (process.argv.includes("--keep")) console.error(`kept ${project}`);
  else rmSync(project, { recursive: true, force: true });
}
