/** Test helper: one HTTP request to a lab server with full control over its headers (Host included). */

import { type IncomingHttpHeaders, request } from "node:http";
import { expect } from "vitest";
import type { LabServer } from "../src/server/lab-server.js";

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => Record<string, unknown>;
}

/** One request to `lab` on 127.0.0.1; Host defaults to 127.0.0.1:PORT. */
export function call(
  lab: LabServer,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: lab.port,
        method,
        path,
        headers: { Host: `127.0.0.1:${lab.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          done({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
      },
    );
    req.on("error", fail);
    req.end(options.body);
  });
}

/** GET each `[path, status, message]`: refused with that status and an error containing the message; no reply holds `secret`. */
export async function expectRefused(
  lab: LabServer,
  refused: readonly (readonly [string, number, string])[],
  secret: string,
): Promise<void> {
  for (const [path, status, message] of refused) {
    const reply = await call(lab, "GET", path);
    expect(reply.status, path).toBe(status);
    expect(reply.json().error, path).toContain(message);
    expect(reply.text, path).not.toContain(secret);
  }
}
