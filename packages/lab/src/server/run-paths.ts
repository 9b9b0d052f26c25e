/**
 * Paths inside the runs folder, and nothing else: a run's name is one plain folder name, and
 * a file asked for by path is refused when any part is "..", ".", empty or absolute, or when
 * the real path (symlinks followed) leaves the runs folder.
 */

import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, sep } from "node:path";
import { HttpError, badRequest } from "./http-error.js";

/** What a run's name may be: a folder name of letters, digits, ".", "_", "-", not starting with ".". */
export const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * The folders directly in `root` (a real path) that hold `marker` (a run's config.json, a
 * study's study.json), by name: those with names a run may not have, or whose real path
 * leaves `root`, are left out, as the routes would refuse them.
 */
export function markedFolders(root: string, marker: string): { name: string; dir: string }[] {
  return readdirSync(root).flatMap((name) => {
    const dir = join(root, name);
    if (!RUN_NAME.test(name) || !existsSync(join(dir, marker))) return [];
    const real = realpathSync(dir);
    // Strictly inside: a link back to the runs folder itself is no run of it.
    return real !== root && inside(root, real) ? [{ name, dir }] : [];
  });
}

/** `name` checked as a run name (400 with the rule otherwise). */
export function checkRunName(name: unknown, what = "name"): string {
  if (typeof name !== "string" || !RUN_NAME.test(name)) {
    throw badRequest(
      `${what} must be 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit (got ${JSON.stringify(name)}).`,
    );
  }
  return name;
}

/** The real path of the runs folder itself. */
export function realRoot(root: string): string {
  return realpathSync(root);
}

/** Whether `real` (a real path) is `root` or inside it. */
function inside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The folder of run (or goal-search study) `name` in `root` (a real path): 400 for a bad name,
 * 404 when there is no such folder, 403 when it is a symlink to somewhere outside the runs folder.
 */
export function runDir(root: string, name: string, kind: "run" | "study" = "run"): string {
  checkRunName(name, `a ${kind}'s name`);
  const dir = join(root, name);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new HttpError(404, `there is no ${kind} ${name}.`);
  if (!inside(root, realpathSync(dir)))
    throw new HttpError(403, `${kind} ${name} links outside the runs folder; it is not served.`);
  return dir;
}

/**
 * The file at `relative` (a "/"-separated path, as in a URL) in run `name`: refused (400)
 * when it has "..", ".", empty or absolute parts or a backslash or NUL, 404 when there is no
 * such file, 403 when its real path leaves the runs folder.
 */
export function runFile(root: string, name: string, relative: string): string {
  const dir = runDir(root, name);
  const parts = relative.split("/");
  if (
    relative === "" ||
    isAbsolute(relative) ||
    /[\\\0]/.test(relative) ||
    parts.some((p) => p === "" || p === "." || p === "..")
  ) {
    throw badRequest(
      `${JSON.stringify(relative)} is not a path inside a run folder (no "..", ".", empty or absolute parts).`,
    );
  }
  const path = join(dir, ...parts);
  if (!existsSync(path)) throw new HttpError(404, `run ${name} has no file ${relative}.`);
  if (!inside(root, realpathSync(path))) {
    throw new HttpError(
      403,
      `${name}/${relative} links outside the runs folder; it is not served.`,
    );
  }
  if (!statSync(path).isFile()) throw new HttpError(404, `${name}/${relative} is not a file.`);
  return path;
}
