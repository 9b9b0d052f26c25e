/**
 * Test helper: the PostgreSQL server the database tests use (its URL in
 * INFOMORPH_TEST_DATABASE_URL; test/global-setup.ts and `.ci/run` start one with
 * scripts/test-postgres.sh), as a prerequisite of test/prerequisites.ts (under CI a missing
 * server fails the suite, naming it; elsewhere the suite is skipped with the reason printed),
 * and a fresh database on it per suite, so that suites running side by side never share a
 * queue.
 */

import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Prerequisite } from "../../../test/prerequisites.js";

export const DATABASE_URL_VARIABLE = "INFOMORPH_TEST_DATABASE_URL";

/** A PostgreSQL server for the search's database tests, named by INFOMORPH_TEST_DATABASE_URL. */
export const POSTGRES: Prerequisite = {
  name: `PostgreSQL (${DATABASE_URL_VARIABLE})`,
  install:
    "apt-get install -y postgresql (npm test then starts a throwaway server itself; .ci/run installs it)",
  missing: () =>
    process.env[DATABASE_URL_VARIABLE] ? null : `${DATABASE_URL_VARIABLE} is not set`,
};

/** The test server's URL (call it inside a suite guarded by POSTGRES). */
export function testServerUrl(): string {
  const url = process.env[DATABASE_URL_VARIABLE];
  if (!url) throw new Error(`${DATABASE_URL_VARIABLE} is not set`);
  return url;
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
