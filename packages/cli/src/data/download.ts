/** Download files into a cache folder once: follow redirects, verify sha256, write atomically, explain failures. */

import { createHash, randomBytes } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
} from "node:fs";
import type { IncomingMessage } from "node:http";
import * as http from "node:http";
import * as https from "node:https";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { InfomorphError } from "@infomorph/core";

/** One file to fetch: its name in the cache folder, where to get it, its expected sha256 (hex). */
export interface DownloadFile {
  name: string;
  url: string;
  sha256: string;
}

export interface DownloadOptions {
  /** What to tell an offline user to do instead; ends the "You seem to be offline: …" sentence. */
  offlineHint?: string;
  /** Called as bytes arrive; `total` is null when the server sends no Content-Length. */
  onProgress?: (name: string, received: number, total: number | null) => void;
}

const MAX_REDIRECTS = 5;
const TIMEOUT_MS = 30_000;
const OFFLINE_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ETIMEDOUT",
]);

/**
 * Make sure every file is in `cacheDir` with the right sha256 and return their paths
 * (in the order given). A cached file whose hash matches is reused; one that does not
 * match is fetched again. Each download goes to a temporary file that is renamed into
 * place only after its hash is verified, so an interrupted run never leaves a bad file.
 */
export async function ensureDownloaded(
  files: readonly DownloadFile[],
  cacheDir: string,
  options: DownloadOptions = {},
): Promise<string[]> {
  mkdirSync(cacheDir, { recursive: true });
  const paths: string[] = [];
  for (const file of files) {
    const target = join(cacheDir, file.name);
    if (!(existsSync(target) && (await sha256File(target)) === file.sha256.toLowerCase())) {
      await downloadVerified(file, target, options);
    }
    paths.push(target);
  }
  return paths;
}

/** The sha256 of a file, lowercase hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

async function downloadVerified(
  file: DownloadFile,
  target: string,
  options: DownloadOptions,
): Promise<void> {
  const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.part`;
  try {
    const response = await get(file.url, file, options);
    const totalHeader = Number(response.headers["content-length"]);
    const total = Number.isFinite(totalHeader) ? totalHeader : null;
    const hash = createHash("sha256");
    let received = 0;
    const hashAndCount = async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        received += chunk.length;
        options.onProgress?.(file.name, received, total);
        yield chunk;
      }
    };
    try {
      await pipeline(response, hashAndCount, createWriteStream(temp));
    } catch (err) {
      throw downloadError(file, err, options);
    }
    const got = hash.digest("hex");
    if (got !== file.sha256.toLowerCase()) {
      throw new InfomorphError({
        code: "download/sha256-mismatch",
        path: [file.name],
        message: `sha256 mismatch for ${file.name}: expected ${file.sha256.toLowerCase()}, got ${got}; the file was deleted, try again.`,
      });
    }
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** GET a URL over http or https, following up to 5 redirects; resolves with a 200 response. */
function get(
  url: string,
  file: DownloadFile,
  options: DownloadOptions,
  redirects = 0,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith("https:") ? https : http;
    const request = client.get(url, { timeout: TIMEOUT_MS }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        if (redirects >= MAX_REDIRECTS) {
          reject(
            new InfomorphError({
              code: "download/too-many-redirects",
              path: [file.name],
              message: `could not download ${file.name} from ${file.url}: more than ${MAX_REDIRECTS} redirects. ${fallback(options)}`,
            }),
          );
          return;
        }
        resolve(get(new URL(location, url).href, file, options, redirects + 1));
        return;
      }
      if (status !== 200) {
        response.resume();
        reject(
          new InfomorphError({
            code: "download/http-status",
            path: [file.name],
            message: `could not download ${file.name} from ${file.url} (HTTP ${status}). ${fallback(options)}`,
          }),
        );
        return;
      }
      resolve(response);
    });
    request.on("timeout", () => {
      request.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" }));
    });
    request.on("error", (err) => reject(downloadError(file, err, options)));
  });
}

function downloadError(file: DownloadFile, err: unknown, options: DownloadOptions): Error {
  if (err instanceof InfomorphError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  const offline = OFFLINE_CODES.has(code);
  return new InfomorphError({
    code: offline ? "download/offline" : "download/failed",
    path: [file.name],
    message:
      `could not download ${file.name} from ${file.url} (${code}). ` +
      (offline ? `You seem to be offline: ${hint(options)}` : fallback(options)),
  });
}

function hint(options: DownloadOptions): string {
  return (
    options.offlineHint ??
    "put the files in a folder and pass --data-dir DIR (or set INFOMORPH_DATA)."
  );
}

function fallback(options: DownloadOptions): string {
  const text = hint(options);
  return `Try again later, or ${text}`;
}
