/** Crash-safe file writes: whole files atomically (temp file in the same folder, fsync, rename), append-only files durably and truncatable back to a known length. */

import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Replace `path` with `data` so that a reader (or a crash at any moment) sees either the
 * old file or the new one, never a mix: write a temp file next to it, fsync, rename, and
 * fsync the folder so the rename itself survives a power cut.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, "w");
  try {
    writeAll(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  syncFolder(dirname(path));
}

/** Append `data` to `path` (created if absent) and fsync it. */
export function appendDurable(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, "a");
  try {
    writeAll(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The size of `path` in bytes; 0 when it does not exist. */
export function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/** Cut `path` back to `length` bytes (a no-op when it is already that short). */
export function truncateTo(path: string, length: number): void {
  if (fileSize(path) > length) truncateSync(path, length);
}

function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let offset = 0;
  while (offset < bytes.length) {
    offset += writeSync(fd, bytes, offset, bytes.length - offset);
  }
}

function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, "r");
  } catch {
    return; // Some platforms (Windows) cannot open a folder; the rename is still atomic.
  }
  try {
    fsyncSync(fd);
  } catch {
    // fsync on a folder is unsupported on some file systems; nothing more can be done.
  } finally {
    closeSync(fd);
  }
}
