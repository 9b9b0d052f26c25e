import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG, record } from "../testing/fixture.js";
import { extractRunArchive, runArchive } from "./archive.js";
import { RunFolder } from "./folder.js";
import { runFolderFiles } from "./format/run-files.js";
import { writeZip } from "./format/zip.js";
import { readRun } from "./read-run.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-archive-"));
const utf8 = new TextEncoder();

/** A run of 3 epochs written by RunFolder, with the state after each epoch. */
function writtenRun(dir: string): { state: unknown } {
  const folder = RunFolder.create(dir, CONFIG, { w: new Float32Array([0, 1]) });
  let state: unknown = null;
  for (const epoch of [1, 2, 3]) {
    folder.appendEpoch(record(epoch));
    state = { w: new Float32Array([epoch, 1 / epoch]), step: epoch };
    folder.writeCheckpoint(epoch, state);
  }
  folder.close();
  return { state };
}

function filesOf(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name))]),
  );
}

describe("a run folder in memory", () => {
  it("holds exactly the bytes RunFolder writes for the same epochs", () => {
    const dir = join(root, "disk");
    const { state } = writtenRun(dir);
    const memory = runFolderFiles(CONFIG, [1, 2, 3].map(record), state);
    const disk = filesOf(dir);
    expect([...memory.keys()].sort()).toEqual([...disk.keys()].sort());
    for (const [name, bytes] of memory) {
      expect(Buffer.compare(Buffer.from(bytes), disk.get(name) as Buffer), name).toBe(0);
    }
  });

  it("is the untrained checkpoint alone before the first epoch", () => {
    const memory = runFolderFiles(CONFIG, [], { w: new Float32Array([0]) });
    expect([...memory.keys()]).toEqual(["config.json", "metrics.jsonl", "checkpoint.json"]);
    const checkpoint = JSON.parse(new TextDecoder().decode(memory.get("checkpoint.json")));
    expect(checkpoint).toEqual({
      format: 1,
      epoch: 0,
      files: { "metrics.jsonl": 0 },
      state: { w: { dtype: "float32", base64: "AAAAAA==" } },
    });
  });
});

describe("run archives", () => {
  it("unpack into a run that reads back as the original, and that unzip unpacks too", () => {
    const dir = join(root, "original");
    writtenRun(dir);
    const zip = join(root, "original.zip");
    writeFileSync(zip, runArchive(dir));
    const back = join(root, "unpacked");
    extractRunArchive(zip, back);
    const a = readRun(dir);
    const b = readRun(back);
    expect({ ...b, dir: "" }).toEqual({ ...a, dir: "" });
    execFileSync("unzip", ["-q", zip, "-d", join(root, "by-unzip")]);
    expect(readRun(join(root, "by-unzip")).metrics).toEqual(a.metrics);
  });

  it("pack a training run as of its checkpoint, leaving out an epoch not yet committed", () => {
    const dir = join(root, "training");
    const folder = RunFolder.create(dir, CONFIG, {});
    folder.appendEpoch(record(1));
    folder.writeCheckpoint(1, { e: 1 });
    folder.appendEpoch(record(2)); // written, not yet checkpointed
    const zip = join(root, "training.zip");
    writeFileSync(zip, runArchive(dir));
    folder.close();
    const back = join(root, "training-unpacked");
    extractRunArchive(zip, back);
    const run = readRun(back);
    expect(run.epoch).toBe(1);
    expect(run.metrics.map((l) => l.epoch)).toEqual([1, 1, 1]);
    expect(readFileSync(join(back, "atoms-hidden.f32")).length).toBe(3 * 19 * 4);
    expect(existsSync(join(back, "writer.lock"))).toBe(false);
  });

  it("take a run folder inside one top folder, as zip -r makes it", () => {
    const dir = join(root, "nested", "my-run");
    mkdirSync(join(root, "nested"));
    writtenRun(dir);
    execFileSync("zip", ["-qr", "../my-run.zip", "my-run"], { cwd: join(root, "nested") });
    const back = join(root, "from-zip-r");
    extractRunArchive(join(root, "my-run.zip"), back); // deflated by zip: read with zlib
    expect(readRun(back).epoch).toBe(3);
  });

  it("refuse paths outside the run folder before writing anything", () => {
    const config = utf8.encode("{}");
    for (const name of [
      "../evil.json",
      "/etc/evil",
      "sub/dir/config.json",
      ".hidden",
      "notes.txt",
    ]) {
      const zip = join(root, "evil.zip");
      writeFileSync(
        zip,
        writeZip(
          new Map([
            ["config.json", config],
            [name, config],
          ]),
        ),
      );
      const target = join(root, `evil-${readdirSync(root).length}`);
      expect(() => extractRunArchive(zip, target), name).toThrow(
        `${zip} holds ${JSON.stringify(name)}, which is not a file of a run folder. Give a zip of one run folder (as the lab's Export makes), or unzip it and give the folder.`,
      );
      expect(existsSync(target), name).toBe(false);
    }
    expect(existsSync(join(root, "evil.json"))).toBe(false);
  });

  it("refuse an archive without a run, and a target that holds something", () => {
    const zip = join(root, "none.zip");
    writeFileSync(zip, writeZip(new Map([["metrics.jsonl", utf8.encode("")]])));
    expect(() => extractRunArchive(zip, join(root, "none"))).toThrow(
      `${zip} holds no config.json.`,
    );
    const full = join(root, "full");
    mkdirSync(full);
    writeFileSync(join(full, "x"), "");
    writeFileSync(zip, runArchive(join(root, "original")));
    expect(() => extractRunArchive(zip, full)).toThrow(
      `${full} already exists and is not empty; the run in ${zip} would be unpacked there. Move it away, or give the folder itself.`,
    );
  });

  it("remove what they wrote when the run inside is damaged", () => {
    const zip = join(root, "damaged.zip");
    const files = new Map([
      ["config.json", readFileSync(join(root, "original", "config.json"))],
      ["checkpoint.json", utf8.encode('{"format": 1, "epo')],
    ]);
    writeFileSync(zip, writeZip(files));
    const target = join(root, "damaged");
    expect(() => extractRunArchive(zip, target)).toThrow(/checkpoint\.json:1:19: not valid JSON/);
    expect(existsSync(target)).toBe(false);
  });
});
