/**
 * Zip archives of a run folder, written and read in plain TypeScript (Node and browsers):
 * the lab's page exports a run it trained as one .zip, which `infomorph report` and the lab
 * open, and which any unzip tool turns back into an ordinary run folder. Written entries are
 * stored (not compressed: float32 atoms hardly compress); reading also takes entries that
 * another tool deflated, given an inflater (Node: zlib.inflateRawSync).
 *
 * Format: PKWARE APPNOTE 6.3.10 — local headers, central directory, end of central
 * directory; no zip64, so an archive and each entry stay below 4 GiB.
 */

import { InfomorphError } from "@infomorph/core";

/** Decompresses raw deflate data (method 8) to `size` bytes. */
export type InflateRaw = (data: Uint8Array, size: number) => Uint8Array;

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;
/** General-purpose flag bit 11: names are UTF-8. */
const UTF8_NAMES = 0x0800;
/** 1980-01-01 00:00, the earliest DOS time: archives of the same files are the same bytes. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const MAX_32 = 0xffffffff;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 (IEEE 802.3, as zip, gzip and PNG use it) of `bytes`.
 *
 * @example crc32(new TextEncoder().encode("123456789")) // 0xcbf43926
 */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A zip archive of `files` (name → bytes, in this order), every entry stored. Names are
 * paths with "/" between folders, as zip requires. Throws InfomorphError "zip/too-large"
 * past the 4 GiB zip limits.
 */
export function writeZip(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const utf8 = new TextEncoder();
  const entries = [...files].map(([name, data]) => ({
    name: utf8.encode(name),
    data,
    crc: crc32(data),
    offset: 0,
  }));
  const localSize = entries.reduce((sum, e) => sum + 30 + e.name.length + e.data.length, 0);
  const centralSize = entries.reduce((sum, e) => sum + 46 + e.name.length, 0);
  const total = localSize + centralSize + 22;
  if (total > MAX_32 || entries.length > 0xffff) {
    throw new InfomorphError({
      code: "zip/too-large",
      message: `a zip of ${entries.length} files and ${total} bytes is beyond the 4 GiB and 65,535-file limits of zip without zip64. Copy the run folder instead.`,
    });
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const e of entries) {
    e.offset = at;
    view.setUint32(at, LOCAL, true);
    view.setUint16(at + 4, 20, true); // version needed: 2.0
    view.setUint16(at + 6, UTF8_NAMES, true);
    view.setUint16(at + 8, STORED, true);
    view.setUint16(at + 10, 0, true); // time
    view.setUint16(at + 12, DOS_DATE, true);
    view.setUint32(at + 14, e.crc, true);
    view.setUint32(at + 18, e.data.length, true);
    view.setUint32(at + 22, e.data.length, true);
    view.setUint16(at + 26, e.name.length, true);
    view.setUint16(at + 28, 0, true);
    out.set(e.name, at + 30);
    out.set(e.data, at + 30 + e.name.length);
    at += 30 + e.name.length + e.data.length;
  }
  const centralStart = at;
  for (const e of entries) {
    view.setUint32(at, CENTRAL, true);
    view.setUint16(at + 4, (3 << 8) | 20, true); // made by: Unix, 2.0
    view.setUint16(at + 6, 20, true);
    view.setUint16(at + 8, UTF8_NAMES, true);
    view.setUint16(at + 10, STORED, true);
    view.setUint16(at + 12, 0, true);
    view.setUint16(at + 14, DOS_DATE, true);
    view.setUint32(at + 16, e.crc, true);
    view.setUint32(at + 20, e.data.length, true);
    view.setUint32(at + 24, e.data.length, true);
    view.setUint16(at + 28, e.name.length, true);
    // extra, comment, disk, internal attributes: 0
    view.setUint32(at + 38, (0o100644 << 16) >>> 0, true); // external: a regular file, rw-r--r--
    view.setUint32(at + 42, e.offset, true);
    out.set(e.name, at + 46);
    at += 46 + e.name.length;
  }
  view.setUint32(at, END, true);
  view.setUint16(at + 8, entries.length, true);
  view.setUint16(at + 10, entries.length, true);
  view.setUint32(at + 12, at - centralStart, true);
  view.setUint32(at + 16, centralStart, true);
  return out;
}

/** One file of an archive. */
export interface ZipEntry {
  /** Its path in the archive, "/" between folders; folders end in "/". */
  readonly name: string;
  readonly data: Uint8Array;
}

/**
 * The entries of the zip archive `bytes`, in central-directory order, each checked against
 * its CRC-32. Stored entries are read as they are; deflated ones need `inflate`. Anything
 * else (encryption, zip64, another method, a damaged archive) throws InfomorphError
 * "zip/unreadable" saying what was found; `what` names the archive in the message.
 */
export function readZip(bytes: Uint8Array, what: string, inflate?: InflateRaw): ZipEntry[] {
  const fail = (problem: string): never => {
    throw new InfomorphError({
      code: "zip/unreadable",
      path: [what],
      message: `${what} is not a zip archive this can read: ${problem}. Export the run again, or unzip it and give the folder.`,
    });
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(view);
  if (end < 0) fail("no end-of-archive record (not a zip file, or cut short)");
  const count = view.getUint16(end + 10, true);
  const centralStart = view.getUint32(end + 16, true);
  if (count === 0xffff || centralStart === MAX_32) fail("it uses zip64");
  const names = new TextDecoder("utf-8", { fatal: false });
  const entries: ZipEntry[] = [];
  let at = centralStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) {
      fail(`central directory entry ${i + 1} is damaged`);
    }
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (flags & 1) fail(`${name} is encrypted`);
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) {
      fail(`the header of ${name} is damaged`);
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + compressed > bytes.length) fail(`${name} is cut short`);
    const raw = bytes.subarray(start, start + compressed);
    let data: Uint8Array;
    if (method === STORED) data = raw;
    else if (method === DEFLATED && inflate) data = inflate(raw, size);
    else data = fail(`${name} is compressed with method ${method}, which is not read here`);
    if (data.length !== size || crc32(data) !== crc) fail(`${name} fails its CRC-32 check`);
    entries.push({ name, data });
  }
  return entries;
}

/** Offset of the end-of-central-directory record (searched from the end, past any comment), or −1. */
function findEnd(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (view.getUint32(at, true) === END) return at;
  }
  return -1;
}
