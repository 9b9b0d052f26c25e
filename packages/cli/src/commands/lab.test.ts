import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_DIST, staleDist } from "../../testing/built-cli.js";
import { run } from "../main.js";

/**
 * `infomorph lab` as a user runs it: the built CLI in a child process, which prints the
 * page's address, serves it, and stops on SIGINT. CI builds before testing.
 */

const stale = staleDist();
if (stale)
  console.warn(
    `skipping the lab command's process test: ${stale}. Build first with: npm run build (CI does).`,
  );

const root = mkdtempSync(join(tmpdir(), "infomorph-lab-command-"));

function capture() {
  return {
    text: "",
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

describe("infomorph lab", () => {
  it("explains itself, and refuses another machine's address with a short token", async () => {
    const help = { stdout: capture(), stderr: capture(), env: {} };
    expect(await run(["lab", "--help"], help)).toBe(0);
    expect(help.stdout.text).toMatch(/^infomorph lab: serve the lab/m);
    for (const flag of ["--host", "--port", "--token", "--threads"])
      expect(help.stdout.text).toContain(flag);
    const io = { stdout: capture(), stderr: capture(), env: {} };
    expect(await run(["lab", join(root, "runs"), "--host", "0.0.0.0", "--token", "abc"], io)).toBe(
      1,
    );
    expect(io.stderr.text).toBe(
      "error: the token has 3 characters; give at least 16 (or leave --token out for a random one).\n",
    );
  });

  it.skipIf(stale !== null && !process.env.CI)(
    "prints its address, serves the runs folder and stops on SIGINT",
    async () => {
      const child = spawn(
        process.execPath,
        [CLI_DIST, "lab", join(root, "served"), "--port", "0"],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (c) => {
        stderr += c;
      });
      const url = await new Promise<string>((done) =>
        child.stdout.on("data", (c) => {
          stdout += c;
          if (stdout.endsWith("\n")) done(stdout.trim());
        }),
      );
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(stderr).toContain(`infomorph lab: serving ${join(root, "served")}; Ctrl-C stops it`);
      const info = (await (await fetch(`${url}api/info`)).json()) as Record<string, unknown>;
      expect(info).toMatchObject({ runs: join(root, "served"), training: true, complexity: true });
      const exit = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
      child.kill("SIGINT");
      expect(await exit).toBe(0);
      expect(stderr).toContain("stopping the lab…");
    },
  );
});
