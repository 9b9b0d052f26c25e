/**
 * The study tables in PostgreSQL (schema `infomorph`) and the connection to them. The tables
 * hold what a study folder holds: the study's config, its log (the same records as
 * trials.jsonl, in order), and besides them each trial's current holder (the attempt that may
 * report it: a fencing token), its heartbeat and result, and every epoch the workers report.
 */

import { InfomorphError } from "@infomorph/core";
import pg from "pg";
import { redactor } from "./url.js";

/** The DDL, idempotent; run under an advisory lock so that processes starting together do not race. */
const SCHEMA = `
CREATE SCHEMA IF NOT EXISTS infomorph;
CREATE TABLE IF NOT EXISTS infomorph.studies (
  name text PRIMARY KEY,
  config jsonb NOT NULL,
  created timestamptz NOT NULL DEFAULT now(),
  coordinator jsonb
);
CREATE TABLE IF NOT EXISTS infomorph.events (
  study text NOT NULL REFERENCES infomorph.studies (name) ON DELETE CASCADE,
  seq bigserial,
  record jsonb NOT NULL,
  PRIMARY KEY (study, seq)
);
CREATE TABLE IF NOT EXISTS infomorph.trials (
  study text NOT NULL REFERENCES infomorph.studies (name) ON DELETE CASCADE,
  id integer NOT NULL,
  job uuid,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'complete', 'failed')),
  attempt integer NOT NULL DEFAULT 0,
  worker text,
  heartbeat timestamptz,
  outcome jsonb,
  error text,
  told boolean NOT NULL DEFAULT false,
  PRIMARY KEY (study, id)
);
CREATE TABLE IF NOT EXISTS infomorph.epochs (
  seq bigserial PRIMARY KEY,
  study text NOT NULL,
  trial integer NOT NULL,
  attempt integer NOT NULL,
  seed bigint NOT NULL,
  epoch integer NOT NULL,
  epochs integer NOT NULL,
  train double precision NOT NULL,
  validation double precision NOT NULL,
  test double precision,
  goals jsonb NOT NULL,
  seconds double precision NOT NULL,
  worker text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (study, trial, attempt, seed, epoch),
  FOREIGN KEY (study, trial) REFERENCES infomorph.trials (study, id) ON DELETE CASCADE
);
`;

/** The advisory lock key of schema changes (any fixed pair of integers). */
const MIGRATION_LOCK = [0x696e666f, 1] as const;

/** A pool of connections to the study database; messages never show the password. */
export class StudyDatabase {
  readonly redact: (text: string) => string;

  private constructor(
    readonly pool: pg.Pool,
    url: string,
  ) {
    this.redact = redactor(url);
  }

  /** Connect to `url`, create the study tables if needed, and return the pool. */
  static async connect(url: string, applicationName: string): Promise<StudyDatabase> {
    const pool = new pg.Pool({ connectionString: url, application_name: applicationName, max: 4 });
    const db = new StudyDatabase(pool, url);
    pool.on("error", () => {}); // an idle client's lost connection: the next query reports it
    try {
      await db.transaction(async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1, $2)", [...MIGRATION_LOCK]);
        await client.query(SCHEMA);
      });
    } catch (err) {
      await pool.end().catch(() => {});
      throw db.error(err, "cannot open the study database");
    }
    return db;
  }

  /** Run `body` in a transaction (committed when it resolves, rolled back when it throws). */
  async transaction<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await body(client);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(text, values);
  }

  /** An error that says what failed and why, with the password removed. */
  error(err: unknown, what: string): InfomorphError {
    if (err instanceof InfomorphError) return err;
    const reason = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: string }).code;
    return new InfomorphError({
      code: "database/error",
      path: [],
      message: this.redact(
        `${what}: ${reason || code || "unknown error"}. Check --db and that the server runs.`,
      ),
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
