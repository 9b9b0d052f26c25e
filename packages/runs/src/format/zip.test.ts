import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32, readZip, writeZip } from "./zip.js";

const utf8 = new TextEncoder();
const inflate = (data: Uint8Array) => new Uint8Array(inflateRawSync(data));

const FILES = new Map<string, Uint8Array>([
  ["config.json", utf8.encode('{"format": 1}\n')],
  ["atoms-hidden.f32", new Uint8Array(new Float32Array([1.5, -2, 0.25]).buffer)],
  ["empty.txt", new Uint8Array(0)],
  ["run/ünïcode.json", utf8.encode("[]")],
]);

/** `zip` re-deflated: the same entries with method 8, as other zip tools write them. */
function deflatedZip(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const stored = writeZip(files);
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const packed = deflateRawSync(data);
    const n = utf8.encode(name);
    const local = new Uint8Array(30 + n.length);
    const v = new DataView(local.buffer);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(6, 0x0800, true);
    v.setUint16(8, 8, true);
    v.setUint32(14, crc32(data), true);
    v.setUint32(18, packed.length, true);
    v.setUint32(22, data.length, true);
    v.setUint16(26, n.length, true);
    local.set(n, 30);
    const c = new Uint8Array(46 + n.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(10, 8, true);
    cv.setUint32(16, crc32(data), true);
    cv.setUint32(20, packed.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, n.length, true);
    cv.setUint32(42, offset, true);
    c.set(n, 46);
    parts.push(local, packed);
    central.push(c);
    offset += local.length + packed.length;
  }
  const end = stored.slice(stored.length - 22);
  const ev = new DataView(end.buffer);
  ev.setUint32(
    12,
    central.reduce((s, c) => s + c.length, 0),
    true,
  );
  ev.setUint32(16, offset, true);
  return Buffer.concat([...parts, ...central, end]);
}

describe("zip", () => {
  it("computes the CRC-32 check value", () => {
    expect(crc32(utf8.encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("reads back what it writes, byte for byte, in order", () => {
    const entries = readZip(writeZip(FILES), "test.zip");
    expect(entries.map((e) => e.name)).toEqual([...FILES.keys()]);
    for (const e of entries) expect(e.data, e.name).toEqual(FILES.get(e.name));
  });

  it("writes archives that Info-ZIP's unzip checks and unpacks", () => {
    const dir = mkdtempSync(join(tmpdir(), "infomorph-zip-"));
    const file = join(dir, "run.zip");
    writeFileSync(file, writeZip(FILES));
    const test = spawnSync("unzip", ["-t", file], { encoding: "utf8" });
    expect(test.error, "unzip must be installed (apt-get install -y unzip)").toBeUndefined();
    expect(test.stdout).toMatch(/No errors detected/);
    execFileSync("unzip", ["-q", file, "-d", join(dir, "out")]);
    expect(readdirSync(join(dir, "out")).sort()).toEqual([
      "atoms-hidden.f32",
      "config.json",
      "empty.txt",
      "run",
    ]);
    expect(readFileSync(join(dir, "out", "atoms-hidden.f32"))).toEqual(
      Buffer.from(FILES.get("atoms-hidden.f32") as Uint8Array),
    );
  });

  it("reads deflated entries with an inflater, and says it needs one without", () => {
    const zip = deflatedZip(FILES);
    const entries = readZip(zip, "packed.zip", inflate);
    for (const e of entries) expect(e.data, e.name).toEqual(FILES.get(e.name));
    expect(() => readZip(zip, "packed.zip")).toThrow(
      "packed.zip is not a zip archive this can read: config.json is compressed with method 8, which is not read here. Export the run again, or unzip it and give the folder.",
    );
  });

  it("names damage: not a zip, a cut archive, a flipped byte", () => {
    expect(() => readZip(utf8.encode("hello, this is text and not an archive"), "x.zip")).toThrow(
      "x.zip is not a zip archive this can read: no end-of-archive record (not a zip file, or cut short).",
    );
    const zip = writeZip(FILES);
    expect(() => readZip(zip.subarray(0, zip.length - 5), "cut.zip")).toThrow(
      /no end-of-archive record/,
    );
    const flipped = zip.slice();
    flipped[30 + "config.json".length] ^= 1; // the first byte of config.json's data
    expect(() => readZip(flipped, "flip.zip")).toThrow("config.json fails its CRC-32 check");
  });
});
