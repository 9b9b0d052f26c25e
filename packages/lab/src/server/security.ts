/**
 * Who may talk to the lab server. Bound to loopback (the default), only pages of a loopback
 * host: the Host header must name localhost or a loopback address, so a DNS-rebinding page
 * (Host: evil.example) is refused. Bound anywhere else, a token is required on every request
 * (a cookie the page gets from the printed URL, or `Authorization: Bearer`). Either way a
 * request that carries an Origin must come from the server's own origin, which stops other
 * sites' pages from driving the API.
 */

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { HttpError } from "./http-error.js";

/** The cookie that carries the token after the first visit. */
export const TOKEN_COOKIE = "infomorph-lab-token";

/**
 * The environment variable a token may come from instead of --token, so that it shows in no
 * process list; the lab removes it from the environment of the trainings it starts.
 */
export const TOKEN_ENV = "INFOMORPH_LAB_TOKEN";

/** A new random token: 32 bytes, base64url. */
export function createToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Whether `host` (a bind address or a Host header's name) is this machine's loopback. */
export function isLoopback(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  if (isIP(name) === 6) return name === "::1" || name === "0:0:0:0:0:0:0:1";
  return false;
}

/** The host name of a Host header ("localhost:8080" → "localhost", "[::1]:80" → "::1"), or null. */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(:\d+)?$/.exec(header.trim());
  return match ? match[1].replace(/^\[|\]$/g, "") : null;
}

export interface AccessRules {
  /** The address the server is bound to. */
  bind: string;
  /** The token every request must carry, or null (loopback only). */
  token: string | null;
}

/**
 * Throws HttpError 403 (Host or Origin refused) or 401 (token missing or wrong) unless `req`
 * may be served; returns whether the token came in the address (?token=…), which the server
 * answers by setting the cookie and redirecting to the address without it.
 */
export function checkAccess(req: IncomingMessage, rules: AccessRules): { tokenInQuery: boolean } {
  const host = hostName(req.headers.host);
  if (host === null) throw new HttpError(403, "the request has no valid Host header.");
  if (rules.token === null && !isLoopback(host)) {
    throw new HttpError(
      403,
      `the Host ${host} is not a loopback address; this lab serves only pages of localhost (start it with --host and a token to serve other machines).`,
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) {
    throw new HttpError(
      403,
      `requests from ${origin} are refused: only the lab's own page may use it.`,
    );
  }
  if (rules.token === null) return { tokenInQuery: false };
  const url = new URL(req.url ?? "/", "http://x");
  const fromQuery = url.searchParams.get("token");
  const given =
    fromQuery ?? bearer(req.headers.authorization) ?? cookie(req.headers.cookie, TOKEN_COOKIE);
  if (given === null) {
    throw new HttpError(
      401,
      "this lab needs its token: open its address with ?token=… (the address it printed holds a token it made; add one you chose yourself).",
    );
  }
  if (!sameSecret(given, rules.token))
    throw new HttpError(
      401,
      "the token is wrong: open the address the lab printed, or add the token you chose (?token=…).",
    );
  return { tokenInQuery: fromQuery !== null };
}

function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match ? match[1] : null;
}

function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** Compare in constant time (hashes first, so the lengths are equal too). */
function sameSecret(a: string, b: string): boolean {
  const hash = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(hash(a), hash(b));
}
