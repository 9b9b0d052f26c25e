/**
 * The repository names no absolute path of a machine: not its own location, not the home
 * folder, not a developer's work tree, user folder or temporary folder. Users and CI have
 * other paths, so docs, examples and code write runs/…, ~/.cache/…, ../shared/… instead.
 */

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/**
 * Absolute folders of a machine, wherever a path starts (not inside a URL or a word): the
 * shared work tree, root's and users' homes (Linux and macOS), temporary folders, Windows
 * user folders. System folders (/usr/share, /usr/bin) are the same on every Debian machine
 * and are allowed.
 */
const MACHINE_PATH =
  /(?<![\w.~-])\/(?:work|root|home\/[^/\s"'`]+|Users\/[^/\s"'`]+|tmp\/[^\s"'`)]+|var\/folders)\/|\b[A-Z]:\\(?:Users|Documents and Settings)\\/g;

/** This checkout's own location, its parent folder and the home folder, as text. */
function localPrefixes(): string[] {
  const prefixes = [`${ROOT}/`, `${dirname(ROOT)}/`, `${homedir()}/`];
  return prefixes.filter((p) => p.split("/").filter(Boolean).length > 0);
}

/** Tracked text files (git ls-files), skipping binaries. */
function trackedTextFiles(): { path: string; text: string }[] {
  const listed = spawnSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" });
  if (listed.status !== 0) {
    throw new Error(`git ls-files failed in ${ROOT}: ${listed.stderr || listed.error}`);
  }
  return listed.stdout
    .split("\0")
    .filter(Boolean)
    .flatMap((path) => {
      const bytes = readFileSync(join(ROOT, path));
      return bytes.includes(0) ? [] : [{ path, text: bytes.toString("utf8") }];
    });
}

/** Every line of `text` that holds one of the patterns, as "path:line: excerpt". */
function offenders(path: string, text: string, prefixes: readonly string[]): string[] {
  return text.split("\n").flatMap((line, i) => {
    const found = [...line.matchAll(MACHINE_PATH)].map((m) => m.index);
    for (const prefix of prefixes) {
      const at = line.indexOf(prefix);
      if (at >= 0) found.push(at);
    }
    if (found.length === 0) return [];
    const at = Math.min(...found);
    return [`${path}:${i + 1}: …${line.slice(Math.max(0, at - 30), at + 60)}…`];
  });
}

describe("tracked files", () => {
  it("name no absolute path of a machine (write runs/…, ~/.cache/…, ../shared/…)", () => {
    // this file is the one place that must spell such paths out, as examples of what is found
    const self = "test/repository.test.ts";
    const files = trackedTextFiles().filter(({ path }) => path !== self);
    expect(files.length).toBeGreaterThan(100);
    const prefixes = localPrefixes();
    const found = files.flatMap(({ path, text }) => offenders(path, text, prefixes));
    expect(found, found.join("\n")).toEqual([]);
  });

  it("the check finds such paths", () => {
    const prefixes = [`${ROOT}/`];
    const lines = [
      "npm run repro -- mnist-n100 --runs-dir /work/repro-runs",
      '"dataDir": "/root/data/mnist"',
      "cp /home/ada/runs/x .",
      "open file:///Users/ada/report.html",
      "written to /tmp/tmp.Xy12/p/report.html",
      "C:\\Users\\ada\\runs",
      `see ${ROOT}/docs/RESULTS.md`,
    ];
    for (const line of lines) {
      expect(offenders("x.md", line, prefixes), line).toHaveLength(1);
    }
    for (const line of [
      "runs/demo and ~/.cache/infomorph and ../shared/data/mnist",
      "https://example.org/work/root/home/x/",
      "apt-get install chromium puts it at /usr/bin/chromium",
      "data in /usr/share/datasets/fashion-mnist",
      "the tmp/ folder and 2 /tmp",
    ]) {
      expect(offenders("x.md", line, prefixes), line).toEqual([]);
    }
  });
});
