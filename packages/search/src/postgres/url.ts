/**
 * Database URLs as users give them (`postgres://user:password@host:5432/db`), checked, and
 * redacted wherever they could be shown: the password never reaches a message, a log line or
 * a stored record.
 */

import { InfomorphError } from "@infomorph/core";

/** The parts of a database URL that can hold a password: the user info's and a password= query parameter. */
function secretsOf(url: string): {
  password: string | null;
  query: string | null;
  userEnd: number;
  passwordStart: number;
} {
  const scheme = url.indexOf("://");
  const queryAt = url.indexOf("?", scheme + 3);
  const authorityEnd = queryAt === -1 ? url.length : queryAt;
  // The user info ends at the last "@" before the query (a raw "@" in a password is then kept whole).
  const at = scheme === -1 ? -1 : url.lastIndexOf("@", authorityEnd - 1);
  const colon = at > scheme ? url.indexOf(":", scheme + 3) : -1;
  const password = colon !== -1 && colon < at ? url.slice(colon + 1, at) : null;
  const query =
    queryAt === -1 ? null : (/[?&]password=([^&#]*)/.exec(url.slice(queryAt))?.[1] ?? null);
  return { password, query, userEnd: at, passwordStart: colon + 1 };
}

/** The URL with its password replaced by "***" (unchanged when it has none). */
export function redactUrl(url: string): string {
  const { password, userEnd, passwordStart } = secretsOf(url);
  let out =
    password !== null && password !== ""
      ? `${url.slice(0, passwordStart)}***${url.slice(userEnd)}`
      : url;
  out = out.replace(/([?&]password=)[^&#]*/, "$1***");
  return out;
}

/**
 * A function that removes `url`'s password (raw and URL-decoded) and the URL itself from any
 * text, for errors of the database driver and the queue before they are printed.
 */
export function redactor(url: string): (text: string) => string {
  const { password, query } = secretsOf(url);
  const secrets = new Set<string>();
  for (const p of [password, query]) {
    if (p === null || p === "") continue;
    secrets.add(p);
    try {
      secrets.add(decodeURIComponent(p));
    } catch {
      // not URL-encoded
    }
  }
  const safe = redactUrl(url);
  return (text) => {
    let out = text.split(url).join(safe);
    // Longest first, so that a secret containing another is removed whole.
    for (const secret of [...secrets].sort((a, b) => b.length - a.length))
      out = out.split(secret).join("***");
    return out;
  };
}

/** Throw unless `url` is a postgres:// or postgresql:// URL; the message shows it redacted. */
export function checkDatabaseUrl(url: string): void {
  if (!/^postgres(ql)?:\/\/./i.test(url)) {
    throw new InfomorphError({
      code: "usage/bad-value",
      path: ["db"],
      message: `--db must be a PostgreSQL URL such as postgres://user:password@host:5432/db (got ${redactUrl(url)}). A unix socket: postgres://user@localhost/db?host=/run/postgresql.`,
    });
  }
}
