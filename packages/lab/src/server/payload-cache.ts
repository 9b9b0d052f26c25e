/**
 * The runs' payloads the server built last, kept until their files change: a run opened again
 * (another tab, a reload, the page reloading after its first epoch) is sent without reading
 * and decoding its checkpoint again. A payload is as old as its run folder's checkpoint and
 * append-only files (their sizes and times); anything newer builds it again.
 */

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Payloads kept at most (the most recently used). */
const KEEP = 8;

export class PayloadCache<T> {
  private readonly entries = new Map<string, { key: string; value: T }>();

  /**
   * The payload of run folder `dir`: the kept one while the folder and `extra` (what else the
   * payload holds, e.g. the run's status) are unchanged, else `build()`'s.
   */
  get(dir: string, extra: string, build: () => T): T {
    const key = `${folderKey(dir)}|${extra}`;
    const kept = this.entries.get(dir);
    this.entries.delete(dir);
    const value = kept && kept.key === key ? kept.value : build();
    this.entries.set(dir, { key, value });
    for (const old of [...this.entries.keys()].slice(0, Math.max(0, this.entries.size - KEEP))) {
      this.entries.delete(old);
    }
    return value;
  }
}

/** The sizes and modification times of a folder's files: any write changes it. */
function folderKey(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const s = statSync(join(dir, name));
      return `${name}:${s.size}:${s.mtimeMs}`;
    })
    .join("|");
}
