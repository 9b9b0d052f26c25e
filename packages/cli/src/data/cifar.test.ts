import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { InfomorphError } from "@infomorph/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cifarBatchBytes, tarBytes, writeCifarFolder } from "../../testing/cifar-fixtures.js";
import { tempDir } from "../../testing/idx-fixtures.js";
import { CIFAR10_ARCHIVE, loadCifarBatches } from "./cifar.js";
import { loadDataset } from "./registry.js";
import { tarFiles } from "./tar.js";

describe("loadCifarBatches", () => {
  it("reads labels and the three colour planes of every record, scaled to [0, 1]", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "a.bin"),
      cifarBatchBytes(3, (n) => 9 - n),
    );
    writeFileSync(
      join(dir, "b.bin"),
      cifarBatchBytes(2, (n) => n),
    );
    const data = loadCifarBatches([join(dir, "a.bin"), join(dir, "b.bin")], "cifar-10/train");
    expect(data).toMatchObject({ count: 5, dim: 3072, classes: 10, imageShape: null });
    expect(Array.from(data.labels)).toEqual([9, 8, 7, 0, 1]);
    // record 1 of a.bin: pixel p is (7 + p) mod 256; p = 1024 is the first green pixel
    expect(data.features[3072 + 0]).toBeCloseTo(7 / 255, 7);
    expect(data.features[3072 + 1024]).toBeCloseTo(((7 + 1024) % 256) / 255, 7);
    // b.bin's record 0 follows a.bin's three
    expect(data.features[3 * 3072 + 5]).toBeCloseTo(5 / 255, 7);
  });

  it("names the file and the problem for a truncated batch and for a label above 9", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "cut.bin"), cifarBatchBytes(2, () => 1).subarray(0, 5000));
    expect(() => loadCifarBatches([join(dir, "cut.bin")], "x")).toThrow(
      "cut.bin has 5000 bytes, not a whole number of 3073-byte CIFAR-10 records (1 label + 3072 pixels). It is truncated or not a CIFAR-10 binary batch: delete it and fetch it again.",
    );
    writeFileSync(
      join(dir, "hundred.bin"),
      cifarBatchBytes(2, (n) => 10 * n + 5),
    );
    expect(() => loadCifarBatches([join(dir, "hundred.bin")], "x")).toThrow(
      /hundred.bin: record 1 has label 15, but CIFAR-10 labels are 0–9/,
    );
  });
});

describe("tarFiles", () => {
  it("returns the regular files by name and rejects a header with a bad checksum", () => {
    const archive = tarBytes([
      { name: "dir/" },
      { name: "dir/one.bin", data: Buffer.from("first") },
      { name: "dir/two.bin", data: Buffer.alloc(700, 3) },
    ]);
    const files = tarFiles(archive, "t.tar");
    expect([...files.keys()]).toEqual(["dir/one.bin", "dir/two.bin"]);
    expect(Buffer.from(files.get("dir/one.bin")!).toString()).toBe("first");
    expect(files.get("dir/two.bin")!.length).toBe(700);
    expect([...tarFiles(archive, "t.tar", (n) => n.endsWith("two.bin")).keys()]).toEqual([
      "dir/two.bin",
    ]);
    const broken = Buffer.from(archive);
    broken[1536 + 2] ^= 1; // a byte of the third header (dir/two.bin): 512 + 512 + one data block
    expect(() => tarFiles(broken, "t.tar")).toThrow(
      "t.tar is not a valid tar archive: the header at byte 1536 fails its checksum. Delete it and download it again.",
    );
  });
});

describe("loadDataset: cifar-10", () => {
  it("splits the training batches 80 / 20 and keeps the test batch, from --data-dir or its cifar-10-batches-bin subfolder", async () => {
    const dir = tempDir();
    writeCifarFolder(join(dir, "cifar-10-batches-bin"), 4, 6);
    const splits = await loadDataset({ dataset: "cifar-10", dataDir: dir, seed: 1 });
    expect([splits.train.count, splits.validation.count, splits.test.count]).toEqual([16, 4, 6]);
    expect(splits.train.dim).toBe(3072);
    expect(splits.source).toBe(join(dir, "cifar-10-batches-bin"));
    expect(Array.from(splits.test.labels)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("names the missing batches of an incomplete folder", async () => {
    const dir = tempDir();
    writeCifarFolder(dir, 1, 1);
    rmSync(join(dir, "data_batch_3.bin"));
    await expect(loadDataset({ dataset: "cifar-10", dataDir: dir, seed: 1 })).rejects.toThrow(
      `cifar-10: ${dir} lacks data_batch_3.bin. Add the missing files`,
    );
  });

  describe("download", () => {
    let server: Server;
    let base = "";
    let requests = 0;
    const folder = tempDir();
    writeCifarFolder(folder, 2, 3);
    const members = readdirSync(folder).map((name) => ({
      name: `cifar-10-batches-bin/${name}`,
      data: readFileSync(join(folder, name)),
    }));
    const archive = gzipSync(
      tarBytes([
        { name: "cifar-10-batches-bin/" },
        ...members,
        { name: "x/readme.html", data: Buffer.from("hi") },
      ]),
    );
    const sha256 = createHash("sha256").update(archive).digest("hex");

    beforeAll(async () => {
      server = createServer((_req, res) => {
        requests++;
        res.writeHead(200, { "content-length": archive.length });
        res.end(archive);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("downloads the archive once, checks its sha256, unpacks the batches into the cache and deletes the archive", async () => {
      const cache = tempDir();
      const spec = {
        dataset: "cifar-10",
        cacheDir: cache,
        seed: 2,
        env: {},
        cifarArchive: { ...CIFAR10_ARCHIVE, url: `${base}/cifar-10-binary.tar.gz`, sha256 },
      };
      const first = await loadDataset(spec);
      expect(requests).toBe(1);
      expect([first.train.count, first.validation.count, first.test.count]).toEqual([8, 2, 3]);
      expect(readdirSync(join(cache, "cifar-10")).sort()).toEqual(["cifar-10-batches-bin"]);
      expect(readdirSync(join(cache, "cifar-10", "cifar-10-batches-bin")).sort()).toEqual(
        readdirSync(folder).sort(),
      );
      const again = await loadDataset(spec);
      expect(requests).toBe(1);
      expect(Array.from(again.train.labels)).toEqual(Array.from(first.train.labels));
    });

    it("refuses an archive whose sha256 is not the expected one, and leaves nothing behind", async () => {
      const cache = tempDir();
      const wrong = `${"0".repeat(63)}1`;
      const load = loadDataset({
        dataset: "cifar-10",
        cacheDir: cache,
        seed: 2,
        env: {},
        cifarArchive: { ...CIFAR10_ARCHIVE, url: `${base}/cifar-10-binary.tar.gz`, sha256: wrong },
      });
      await expect(load).rejects.toThrow(InfomorphError);
      await expect(load).rejects.toThrow(/sha256 mismatch for cifar-10-binary.tar.gz/);
      expect(existsSync(join(cache, "cifar-10", "cifar-10-batches-bin"))).toBe(false);
      expect(readdirSync(join(cache, "cifar-10"))).toEqual([]);
    });
  });
});
