/**
 * One writer per run folder: a lock file that names the writing process and its host. A second
 * writer is refused ("run DIR is in use by process P on HOST"); a lock left behind by a process
 * that no longer runs on this host (a crash, a kill) is detected and taken over. Readers (the
 * report, the lab) never take the lock: they read up to the last checkpoint.
 */

import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { InfomorphError } from "@infomorph/core";

export const LOCK_FILE = "writer.lock";

/**
 * Whether a file in a run folder belongs to the lock: the lock itself, or the short-lived
 * files of a process taking it (a folder holding only these is empty for a new run).
 */
export function isLockFile(name: string): boolean {
  return (
    name === LOCK_FILE || name.startsWith(`.${LOCK_FILE}.`) || name.startsWith(`${LOCK_FILE}.`)
  );
}

/** What the lock file holds. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the writer took the lock, ISO 8601. */
  since: string;
}

/** Attempts at taking the lock before giving up (each failed one found a stale lock and removed it). */
const ATTEMPTS = 5;

/** A held lock on a run folder; release() it when done writing. */
export class RunLock {
  private released = false;

  private constructor(
    readonly dir: string,
    private readonly text: string,
  ) {}

  /**
   * Take the lock of run folder `dir` (which must exist) for this process. Throws InfomorphError
   * "run/in-use" while another live process holds it; takes over a lock whose process is gone.
   */
  static acquire(dir: string): RunLock {
    const path = join(dir, LOCK_FILE);
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
    };
    const text = `${JSON.stringify(holder)}\n`;
    // Written whole to a private file, then linked into place: link() fails if a lock exists,
    // and a reader never sees a lock file that is half written.
    const temp = join(dir, `.${LOCK_FILE}.${process.pid}.tmp`);
    writeFileSync(temp, text);
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (placeLock(temp, path, text)) return new RunLock(dir, text);
        const found = readLock(path);
        if (found === null) continue; // released meanwhile
        if (!isStale(found.holder)) throw inUse(dir, found.holder);
        takeOver(path, found.text);
      }
      throw new InfomorphError({
        code: "run/in-use",
        path: [dir],
        message: `run ${dir} is in use: its lock ${path} changed hands ${ATTEMPTS} times while this process tried to take it. Try again.`,
      });
    } finally {
      rmSync(temp, { force: true });
    }
  }

  /** Who holds the lock of `dir` now, or null (for readers that show whether a run is being written). */
  static holder(dir: string): LockHolder | null {
    return readLock(join(dir, LOCK_FILE))?.holder ?? null;
  }

  /**
   * The process writing `dir` now: the lock's holder, unless there is no lock or its process
   * is gone (on this host). A reader shows with it whether a run is training.
   */
  static activeHolder(dir: string): LockHolder | null {
    const found = readLock(join(dir, LOCK_FILE));
    return found === null || isStale(found.holder) ? null : found.holder;
  }

  /** Give the lock up (only if it is still this one's). Safe to call twice. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const path = join(this.dir, LOCK_FILE);
    if (readLock(path)?.text === this.text) unlinkSync(path);
  }
}

/**
 * Put the lock in place unless one exists: link the complete temp file (atomic), or, where the
 * file system has no hard links, create the lock exclusively and write it. False if it exists.
 */
function placeLock(temp: string, path: string, text: string): boolean {
  try {
    linkSync(temp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw err;
  }
  try {
    writeFileSync(path, text, { flag: "wx" });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

/** The lock file's text and holder, or null when there is none. An unreadable lock holds on. */
function readLock(path: string): { text: string; holder: LockHolder } | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (Number.isSafeInteger(holder.pid) && typeof holder.host === "string") {
      return { text, holder };
    }
  } catch {
    // fall through: not ours to judge
  }
  return { text, holder: { pid: 0, host: "", since: "" } };
}

/**
 * Whether a lock's process is gone: it ran on this host and no process with its id runs.
 * A lock from another host is never stale here (its process cannot be checked).
 */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname() || holder.pid <= 0) return false;
  if (holder.pid === process.pid) return false; // this process writes there already
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Remove a stale lock whose text was `stale`, unless someone replaced it meanwhile: move it
 * aside atomically, check it is the stale one, and put back (link) what was not.
 */
function takeOver(path: string, stale: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // someone else removed it
    throw err;
  }
  try {
    if (readFileSync(aside, "utf8") !== stale) {
      try {
        linkSync(aside, path); // a live lock taken meanwhile: restore it
      } catch {
        // a third writer holds the lock now; the next attempt will find it
      }
    }
  } finally {
    rmSync(aside, { force: true });
  }
}

function inUse(dir: string, holder: LockHolder): InfomorphError {
  const lock = join(dir, LOCK_FILE);
  if (holder.pid === 0) {
    return new InfomorphError({
      code: "run/in-use",
      path: [dir],
      message: `run ${dir} is in use: ${lock} names no process (another one may be writing it this moment). Try again; if no other process writes ${dir}, delete ${lock}.`,
    });
  }
  const local = holder.host === hostname();
  return new InfomorphError({
    code: "run/in-use",
    path: [dir],
    message:
      `run ${dir} is in use by process ${holder.pid} on ${holder.host}${holder.since ? ` (since ${holder.since})` : ""}. ` +
      (local
        ? "Wait for it to finish or stop it, then try again."
        : `Wait for it to finish or stop it; if it no longer runs, delete ${lock}.`),
  });
}

/**
 * Take a new run folder for writing: create `dir` (it may exist), take its lock, and check it
 * holds nothing else (a folder with only a lock in it counts as empty). Throws "run/in-use"
 * while another process writes there, "run/exists" when the folder holds anything: "already
 * holds a run" when `configFile` is in it. The caller releases the lock if what follows fails.
 */
export function claimNewRunFolder(dir: string, configFile: string): RunLock {
  mkdirSync(dir, { recursive: true });
  const lock = RunLock.acquire(dir);
  if (readdirSync(dir).some((name) => !isLockFile(name))) {
    lock.release();
    throw new InfomorphError({
      code: "run/exists",
      path: [dir],
      message: existsSync(join(dir, configFile))
        ? `${dir} already holds a run. Continue it with --resume ${dir}, or choose another --out.`
        : `${dir} is not empty. Choose another --out, or empty the folder.`,
    });
  }
  return lock;
}
