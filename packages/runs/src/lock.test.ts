import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LOCK_FILE, RunLock } from "./lock.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-lock-"));
const folder = (name: string) => {
  const dir = join(root, name);
  mkdirSync(dir);
  return dir;
};
const holder = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"));

/** The id of a process that has exited (so no process with that id runs, barring reuse). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid as number;
}

/** A child node process holding `dir`'s lock until it is killed; resolves once it holds it. */
async function otherWriter(dir: string): Promise<ChildProcess> {
  const script = `
    const { linkSync, writeFileSync } = require("node:fs");
    const { hostname } = require("node:os");
    const path = require("node:path");
    const temp = path.join(process.argv[1], ".tmp-child-lock");
    writeFileSync(temp, JSON.stringify({ pid: process.pid, host: hostname(), since: "now" }));
    linkSync(temp, path.join(process.argv[1], "${LOCK_FILE}"));
    console.log("locked");
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["-e", script, dir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((ready) => child.stdout?.once("data", () => ready()));
  return child;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

describe("RunLock", () => {
  it("writes who holds it, refuses a second writer, and is gone after release", () => {
    const dir = folder("one");
    const lock = RunLock.acquire(dir);
    expect(holder(dir)).toMatchObject({ pid: process.pid, host: hostname() });
    expect(RunLock.holder(dir)?.pid).toBe(process.pid);
    expect(() => RunLock.acquire(dir)).toThrow(
      new RegExp(
        `^run ${dir} is in use by process ${process.pid} on ${hostname()} \\(since \\d{4}-\\d\\d-\\d\\dT.*Z\\)\\. Wait for it to finish or stop it, then try again\\.$`,
      ),
    );
    lock.release();
    lock.release(); // twice is harmless
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(RunLock.holder(dir)).toBeNull();
    RunLock.acquire(dir).release();
  });

  it("refuses while another live process holds it, and takes it over once that process is gone", async () => {
    const dir = folder("two-processes");
    const child = await otherWriter(dir);
    children.push(child);
    expect(() => RunLock.acquire(dir)).toThrow(
      `run ${dir} is in use by process ${child.pid} on ${hostname()} (since now).`,
    );
    child.kill("SIGKILL");
    await new Promise((done) => child.once("exit", done));
    const lock = RunLock.acquire(dir);
    expect(holder(dir).pid).toBe(process.pid);
    lock.release();
  });

  it("names the active writer to readers: a live process, not a gone one", async () => {
    const dir = folder("active");
    expect(RunLock.activeHolder(dir)).toBeNull();
    const child = await otherWriter(dir);
    children.push(child);
    expect(RunLock.activeHolder(dir)?.pid).toBe(child.pid);
    child.kill("SIGKILL");
    await new Promise((done) => child.once("exit", done));
    expect(RunLock.activeHolder(dir), "its process is gone").toBeNull();
    expect(RunLock.holder(dir)?.pid, "the lock file is still there").toBe(child.pid);
  });

  it("takes over a lock left by a dead process on this host", () => {
    const dir = folder("stale");
    const pid = deadPid();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), since: "x" }));
    const lock = RunLock.acquire(dir);
    expect(holder(dir).pid).toBe(process.pid);
    lock.release();
  });

  it("never takes over a lock from another host, and says how to remove it", () => {
    const dir = folder("remote");
    const pid = deadPid();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: "elsewhere", since: "x" }));
    expect(() => RunLock.acquire(dir)).toThrow(
      `run ${dir} is in use by process ${pid} on elsewhere (since x). Wait for it to finish or stop it; if it no longer runs, delete ${join(dir, LOCK_FILE)}.`,
    );
    expect(holder(dir).host).toBe("elsewhere");
  });

  it("release leaves a lock alone that is no longer its own", () => {
    const dir = folder("replaced");
    const lock = RunLock.acquire(dir);
    const other = JSON.stringify({ pid: 1, host: "elsewhere", since: "y" });
    writeFileSync(join(dir, LOCK_FILE), other);
    lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(other);
  });
});

describe("RunLock with an unreadable lock file", () => {
  it("holds on, and says how to clear it", () => {
    const dir = folder("garbled");
    writeFileSync(join(dir, LOCK_FILE), "{ half written");
    expect(() => RunLock.acquire(dir)).toThrow(
      `run ${dir} is in use: ${join(dir, LOCK_FILE)} names no process (another one may be writing it this moment). Try again; if no other process writes ${dir}, delete ${join(dir, LOCK_FILE)}.`,
    );
  });
});
