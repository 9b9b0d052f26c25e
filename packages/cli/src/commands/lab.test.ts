import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILT_CLI, describeWith } from "../../../../test/prerequisites.js";
import { CLI_DIST } from "../../testing/built-cli.js";
import { run } from "../main.js";

/**
 * `infomorph lab` as a user runs it: the built CLI in a child process, which prints the
 * page's address, serves it, and stops on SIGINT. CI builds before testing.
 */

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
});

/** `infomorph lab ARGS…` in a child process; resolves with its first line of stdout (the address). */
async function startLab(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [CLI_DIST, "lab", ...args, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  const output = { stdout: "", stderr: "" };
  child.stderr?.on("data", (c) => {
    output.stderr += c;
  });
  const url = await new Promise<string>((done, fail) => {
    child.once("close", (code) => fail(new Error(`lab exited with ${code}: ${output.stderr}`)));
    child.stdout?.on("data", (c) => {
      output.stdout += c;
      if (output.stdout.endsWith("\n")) done(output.stdout.trim());
    });
  });
  return { child, url, output };
}

/** SIGINT, and the exit code. */
function stop(child: ChildProcess): Promise<number | null> {
  const exit = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  child.kill("SIGINT");
  return exit;
}

describeWith([BUILT_CLI], "infomorph lab as a process", () => {
  it("prints its address, serves the runs folder and stops on SIGINT", async () => {
    const { child, url, output } = await startLab([join(root, "served")]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(output.stderr).toContain(
      `infomorph lab: serving ${join(root, "served")}; Ctrl-C stops it`,
    );
    const info = (await (await fetch(`${url}api/info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ runs: join(root, "served"), training: true, complexity: true });
    expect(await stop(child)).toBe(0);
    expect(output.stderr).toContain("stopping the lab…");
  });

  it("never prints a token the user chose, from --token or $INFOMORPH_LAB_TOKEN", async () => {
    const secret = "correct-horse-battery-staple-42";
    for (const [args, env] of [
      [["--token", secret], {}],
      [[], { INFOMORPH_LAB_TOKEN: secret }],
    ] as const) {
      const { child, url, output } = await startLab(
        [join(root, "private"), "--host", "0.0.0.0", ...args],
        env,
      );
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(output.stderr).toContain("with the token you chose: add ?token=YOUR_TOKEN");
      const refused = await fetch(`${url}api/info`);
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain(secret);
      const wrong = await fetch(`${url}api/info`, { headers: { Authorization: "Bearer wrong" } });
      expect(wrong.status).toBe(401);
      const allowed = await fetch(`${url}api/info`, {
        headers: { Authorization: `Bearer ${secret}` },
      });
      expect(allowed.status).toBe(200);
      expect(await stop(child)).toBe(0);
      expect(`${output.stdout}${output.stderr}`).not.toContain(secret);
    }
  });

  it("prints a token it made once, in the address, and it opens the lab", async () => {
    const { child, url, output } = await startLab([join(root, "open"), "--host", "0.0.0.0"]);
    const token = /\?token=([A-Za-z0-9_-]{43})$/.exec(url)?.[1] ?? "";
    expect(token).not.toBe("");
    expect(output.stderr).toContain("(with a token: keep the address private)");
    const visit = await fetch(url, { redirect: "manual" });
    expect(visit.status).toBe(303);
    expect(visit.headers.get("location")).toBe("/");
    expect(await stop(child)).toBe(0);
    expect(`${output.stdout}${output.stderr}`.split(token)).toHaveLength(2);
  });
});
