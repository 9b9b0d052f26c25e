/** Reading requests and writing answers: URL parts, allowed methods, bodies with a size limit, JSON in and out, and refusals as {"error": message}. */

import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, badRequest } from "./http-error.js";

/** Body limit of a JSON request. */
const MAX_JSON_BYTES = 64 * 1024;

export function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw badRequest(`${JSON.stringify(part)} is not a valid URL part.`);
  }
}

export function allow(method: string, methods: readonly string[]): void {
  if (!methods.includes(method))
    throw new HttpError(405, `${method} is not allowed here; use ${methods.join(" or ")}.`);
}

/** The request's body, up to `limit` bytes (413 past it). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) {
    req.resume();
    throw new HttpError(413, `the body has ${declared} bytes; at most ${limit} are taken.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `the body is over ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The JSON body (null when empty); 400 when it is not JSON or not sent as application/json. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const bytes = await readBody(req, MAX_JSON_BYTES);
  if (bytes.length === 0) return null;
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw badRequest(
      `send the body as Content-Type: application/json (got ${JSON.stringify(type)}).`,
    );
  }
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (err) {
    throw badRequest(`the body is not valid JSON: ${(err as Error).message}.`);
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, JSON.stringify(body));
}

export function sendJson(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  res.end(text);
}

export function fail(res: ServerResponse, err: unknown): void {
  const status = err instanceof HttpError ? err.status : 500;
  const message = err instanceof Error ? err.message : String(err);
  if (res.headersSent) {
    res.end();
    return;
  }
  json(res, status, { error: status === 500 ? `the lab failed: ${message}` : message });
}
