/** A run folder as one zip file and back: unpack an exported run (the lab's page makes them) into an ordinary run folder, checked; pack a run's committed files for a download. */

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { InfomorphError } from "@infomorph/core";
import { writeFileAtomic } from "./files.js";
import { ATOMS_INDEX_FILE } from "./format/atoms-index.js";
import { CHECKPOINT_FILE, CONFIG_FILE, isRunFileName } from "./format/run-files.js";
import { readZip, writeZip } from "./format/zip.js";
import { parseJson } from "./json-file.js";
import { readRun } from "./read-run.js";

/**
 * Unpack the zip `file` (a run folder's files at its top level, or inside one folder) into
 * the new folder `dir`, then read it back as a run to check it. Only a run folder's own
 * files are taken (config.json, metrics.jsonl, atoms.json, atoms-*.f32, checkpoint.json,
 * report.html); any other path — a subfolder, "..", an absolute path — is refused before
 * anything is written, so an archive cannot write outside `dir`. Throws InfomorphError
 * "archive/…" (or readRun's errors for a damaged run) and removes what it wrote.
 */
export function extractRunArchive(file: string, dir: string): void {
  unpackRunArchive(readFileSync(file), file, dir);
}

/** extractRunArchive() of an archive in memory; `what` names it in messages. */
export function unpackRunArchive(bytes: Uint8Array, what: string, dir: string): void {
  const file = what;
  const entries = readZip(bytes, file, (data, size) =>
    inflateRawSync(data, { finishFlush: 2, maxOutputLength: Math.max(size, 1) }),
  );
  const files = entries.filter((e) => !e.name.endsWith("/"));
  const prefix = commonFolder(files.map((e) => e.name));
  const named = files.map((e) => ({ name: e.name.slice(prefix.length), data: e.data }));
  const refuse = (problem: string): never => {
    throw new InfomorphError({
      code: "archive/not-a-run",
      path: [file],
      message: `${file} ${problem}. Give a zip of one run folder (as the lab's Export makes), or unzip it and give the folder.`,
    });
  };
  for (const { name } of named) {
    if (!isRunFileName(name))
      refuse(`holds ${JSON.stringify(prefix + name)}, which is not a file of a run folder`);
  }
  if (!named.some((e) => e.name === CONFIG_FILE)) refuse(`holds no ${CONFIG_FILE}`);
  if (!named.some((e) => e.name === CHECKPOINT_FILE)) refuse(`holds no ${CHECKPOINT_FILE}`);
  if (new Set(named.map((e) => e.name)).size !== named.length) refuse("holds a file twice");
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new InfomorphError({
      code: "archive/exists",
      path: [dir],
      message: `${dir} already exists and is not empty; the run in ${file} would be unpacked there. Move it away, or give the folder itself.`,
    });
  }
  mkdirSync(dir, { recursive: true });
  try {
    for (const { name, data } of named) writeFileAtomic(join(dir, name), data);
    readRun(dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * A zip of the run in `dir` as of its last checkpoint: config.json, checkpoint.json, atoms.json
 * and the append-only files cut to the lengths the checkpoint records, so a run still training
 * gives a consistent archive. Unpacked, it is a run folder that resumes.
 */
export function runArchive(dir: string): Uint8Array {
  // One read of the checkpoint: a training process may replace it at any moment.
  const path = join(dir, CHECKPOINT_FILE);
  const checkpointBytes = readFileSync(path);
  const checkpoint = parseJson(
    new TextDecoder().decode(checkpointBytes),
    path,
    "run/bad-json",
    "The folder was changed by hand; restore the file, or start a new run.",
  ) as { files?: Record<string, number> };
  const files = new Map<string, Uint8Array>();
  for (const name of [CONFIG_FILE, ATOMS_INDEX_FILE]) {
    if (existsSync(join(dir, name))) files.set(name, readFileSync(join(dir, name)));
  }
  for (const [name, length] of Object.entries(checkpoint.files ?? {})) {
    if (!isRunFileName(name)) continue;
    files.set(name, readFileSync(join(dir, name)).subarray(0, length));
  }
  files.set(CHECKPOINT_FILE, checkpointBytes);
  return writeZip(files);
}

/** The folder all names lie in ("run/"), or "" when they lie at the top or in several. */
function commonFolder(names: readonly string[]): string {
  const first = names[0]?.split("/");
  if (!first || first.length !== 2) return "";
  const prefix = `${first[0]}/`;
  return names.every((n) => n.startsWith(prefix) && !n.slice(prefix.length).includes("/"))
    ? prefix
    : "";
}
