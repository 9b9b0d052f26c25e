/**
 * Test helper: the PostgreSQL server the database tests use (its URL in
 * INFOMORPH_TEST_DATABASE_URL; `.ci/run` starts one with scripts/test-postgres.sh), and a fresh
 * database on it per suite, so that suites running side by side never share a queue. Under CI
 * (CI=true) a missing server fails the suite, naming the prerequisite; elsewhere the suite is
 * skipped with the reason printed.
 */

import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, it } from "vitest";

export const DATABASE_URL_VARIABLE = "INFOMORPH_TEST_DATABASE_URL";

const HOW =
  'start one with: eval "$(scripts/test-postgres.sh start)" (needs apt-get install -y postgresql); .ci/run does this';

function underCi(): boolean {
  const ci = process.env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "0" && ci !== "false";
}

/**
 * describe(title, body) when a test server is configured; otherwise a failing test under CI
 * and a skipped suite (with the reason on stderr) elsewhere.
 */
export function describeWithDatabase(title: string, body: (serverUrl: string) => void): void {
  const url = process.env[DATABASE_URL_VARIABLE];
  if (url) {
    describe(title, () => body(url));
    return;
  }
  const reason = `PostgreSQL is missing (${DATABASE_URL_VARIABLE} is not set); ${HOW}`;
  if (underCi()) {
    describe(title, () => {
      it("needs PostgreSQL", () => {
        throw new Error(`${reason}. CI must not skip this test.`);
      });
    });
  } else {
    console.warn(`skipping "${title}": ${reason}`);
    describe.skip(`${title} (skipped: ${reason})`, () => body(""));
  }
}

/** A new, empty database on the server at `serverUrl`; drop() removes it (with its connections). */
export async function freshDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `infomorph_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
