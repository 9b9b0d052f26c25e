import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../../testing/idx-fixtures.js";
import { ensureDownloaded } from "./download.js";

const body = Buffer.from("sixteen bytes!!!".repeat(1000));
const sha = createHash("sha256").update(body).digest("hex");
let server: Server;
let base = "";
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    if (req.url === "/file.bin") {
      res.writeHead(200, { "content-length": body.length });
      res.end(body);
    } else if (req.url === "/moved") {
      res.writeHead(302, { location: "/file.bin" });
      res.end();
    } else if (req.url === "/loop") {
      res.writeHead(301, { location: "/loop" });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("ensureDownloaded", () => {
  it("downloads, verifies, then reuses the cached file without a request", async () => {
    const dir = tempDir();
    const progress: number[] = [];
    const [path] = await ensureDownloaded(
      [{ name: "a.bin", url: `${base}/file.bin`, sha256: sha }],
      dir,
      {
        onProgress: (_name, received, total) => {
          expect(total).toBe(body.length);
          progress.push(received);
        },
      },
    );
    expect(path).toBe(join(dir, "a.bin"));
    expect(readFileSync(path).equals(body)).toBe(true);
    expect(progress.at(-1)).toBe(body.length);
    const before = hits.length;
    await ensureDownloaded([{ name: "a.bin", url: `${base}/file.bin`, sha256: sha }], dir);
    expect(hits.length).toBe(before);
    expect(readdirSync(dir)).toEqual(["a.bin"]);
  });

  it("follows redirects and replaces a corrupt cached file", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "b.bin"), "garbage");
    const [path] = await ensureDownloaded(
      [{ name: "b.bin", url: `${base}/moved`, sha256: sha }],
      dir,
    );
    expect(readFileSync(path).equals(body)).toBe(true);
  });

  it("deletes a download whose sha256 does not match", async () => {
    const dir = tempDir();
    const wrong = "0".repeat(64);
    await expect(
      ensureDownloaded([{ name: "c.bin", url: `${base}/file.bin`, sha256: wrong }], dir),
    ).rejects.toThrow(
      `sha256 mismatch for c.bin: expected ${wrong}, got ${sha}; the file was deleted, try again.`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("explains an HTTP error, a redirect loop and being offline", async () => {
    const dir = tempDir();
    await expect(
      ensureDownloaded([{ name: "d.bin", url: `${base}/missing`, sha256: sha }], dir),
    ).rejects.toThrow(
      `could not download d.bin from ${base}/missing (HTTP 404). Try again later, or put the files in a folder and pass --data-dir DIR (or set INFOMORPH_DATA).`,
    );
    await expect(
      ensureDownloaded([{ name: "e.bin", url: `${base}/loop`, sha256: sha }], dir),
    ).rejects.toThrow(`could not download e.bin from ${base}/loop: more than 5 redirects.`);
    // a closed port: nothing listens there, as when offline
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(
      ensureDownloaded([{ name: "f.bin", url: `http://127.0.0.1:${port}/x`, sha256: sha }], dir, {
        offlineHint:
          "put the four MNIST files in a folder and pass --data-dir DIR (or set INFOMORPH_DATA).",
      }),
    ).rejects.toThrow(
      `could not download f.bin from http://127.0.0.1:${port}/x (ECONNREFUSED). You seem to be offline: put the four MNIST files in a folder and pass --data-dir DIR (or set INFOMORPH_DATA).`,
    );
    expect(existsSync(join(dir, "f.bin"))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
