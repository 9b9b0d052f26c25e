/** The regular files of a tar archive (POSIX ustar and GNU, as `tar` writes them), read from its bytes. */

import { InfomorphError } from "@infomorph/core";

const BLOCK = 512;

/**
 * The regular files of an uncompressed tar archive whose names `wanted` accepts, by name
 * (the ustar prefix joined with "/"). Directories, links and other entries are skipped; a
 * GNU long name (type "L") names the entry after it. The header checksum of every entry is
 * checked, so a damaged archive is an error naming `label`, not silently wrong data.
 */
export function tarFiles(
  bytes: Uint8Array,
  label: string,
  wanted: (name: string) => boolean = () => true,
): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let longName: string | null = null;
  for (let at = 0; at + BLOCK <= bytes.length; ) {
    const header = bytes.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break; // end of archive
    checkChecksum(header, label, at);
    const size = octal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] || 0x30);
    const body = at + BLOCK;
    if (body + size > bytes.length) {
      throw damaged(
        label,
        `an entry at byte ${at} claims ${size} bytes but the archive ends first`,
      );
    }
    const data = bytes.subarray(body, body + size);
    if (type === "L") {
      longName = text(data);
    } else {
      const prefix = text(header.subarray(345, 500));
      const name = longName ?? (prefix ? `${prefix}/` : "") + text(header.subarray(0, 100));
      longName = null;
      if ((type === "0" || type === "\0") && wanted(name)) files.set(name, data);
    }
    at = body + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

/** The NUL- or space-terminated ASCII text of a header field. */
function text(field: Uint8Array): string {
  let end = field.indexOf(0);
  if (end < 0) end = field.length;
  return Buffer.from(field.subarray(0, end)).toString("utf8");
}

function octal(field: Uint8Array): number {
  const digits = text(field).trim();
  return digits === "" ? 0 : Number.parseInt(digits, 8);
}

/** The checksum field holds the sum of the header's bytes with the field itself read as spaces. */
function checkChecksum(header: Uint8Array, label: string, at: number): void {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  const stored = octal(header.subarray(148, 156));
  if (stored !== sum) throw damaged(label, `the header at byte ${at} fails its checksum`);
}

function damaged(label: string, what: string): InfomorphError {
  return new InfomorphError({
    code: "data/bad-archive",
    path: [label],
    message: `${label} is not a valid tar archive: ${what}. Delete it and download it again.`,
  });
}
