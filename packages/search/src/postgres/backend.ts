/**
 * The distributed backend: a study in PostgreSQL, its trials handed to `infomorph worker`
 * processes on any machine through the pg-boss queue. The database is the source of truth:
 * the coordinator writes each ask and tell to the study's log in a transaction, sends each
 * trial's job in the transaction that records it, and learns results by polling the trials
 * table. A worker that stops sending heartbeats for `leaseSeconds` loses its trial: the row
 * goes back to "queued" and its job is failed, so pg-boss retries it (on any worker) until the
 * study's retry limit, then marks it failed, and the coordinator tells the sampler so.
 */

import { hostname } from "node:os";
import { InfomorphError, type Trial } from "@infomorph/core";
import type pg from "pg";
import type PgBoss from "pg-boss";
import { AsyncQueue } from "../async-queue.js";
import type { StudyBackend, TrialReport } from "../coordinator.js";
import { type StudyConfig, checkStoredStudy } from "../study-config.js";
import { type TrialJob, type TrialOutcome, trialJob } from "../trial-job.js";
import type { LogRecord } from "../trial-log.js";
import type { StudyDatabase } from "./database.js";
import { TRIAL_QUEUE, inTransaction } from "./queue.js";

export interface PgStudyOptions {
  /** Seconds without a heartbeat after which a worker's trial is given to another (default 60). */
  readonly leaseSeconds?: number;
  /** Seconds a trial may stay active in the queue before pg-boss fails it, whatever the heartbeats say (default 23 h; pg-boss allows < 24 h). */
  readonly trialTimeoutSeconds?: number;
  /** How often the coordinator looks at the database, ms (default 1000). */
  readonly pollMs?: number;
  /** Problems the coordinator works around (the database briefly unreachable), already redacted. */
  readonly onError?: (message: string) => void;
}

export const DEFAULT_LEASE_SECONDS = 60;
export const DEFAULT_TRIAL_TIMEOUT_SECONDS = 23 * 3600;

/** The advisory lock namespace of study coordinators (any fixed integer). */
const COORDINATOR_LOCK = 0x696e6663;

export class PgBackend implements StudyBackend {
  private readonly reports = new AsyncQueue<TrialReport>();
  /** Trials reported done or failed and not yet told (so one poll does not report them twice). */
  private readonly reported = new Set<number>();
  private epochCursor = 0;
  private stopping = false;
  private readonly lease: number;
  private readonly timeout: number;
  private readonly pollMs: number;
  private readonly onError: ((message: string) => void) | undefined;

  private constructor(
    private readonly db: StudyDatabase,
    private readonly boss: PgBoss,
    private studyConfig: StudyConfig,
    private readonly lock: pg.PoolClient,
    options: PgStudyOptions,
  ) {
    this.lease = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
    this.timeout = options.trialTimeoutSeconds ?? DEFAULT_TRIAL_TIMEOUT_SECONDS;
    this.pollMs = options.pollMs ?? 1000;
    this.onError = options.onError;
  }

  get config(): StudyConfig {
    return this.studyConfig;
  }

  /** Create the study `config.name` in the database (refused when it exists) and coordinate it. */
  static async create(
    db: StudyDatabase,
    boss: PgBoss,
    config: StudyConfig,
    options: PgStudyOptions = {},
  ): Promise<PgBackend> {
    const inserted = await db.query(
      "INSERT INTO infomorph.studies (name, config) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name",
      [config.name, JSON.stringify(config)],
    );
    if (inserted.rowCount === 0) {
      throw new InfomorphError({
        code: "study/exists",
        path: [config.name],
        message: `the database already holds a study named ${config.name}. Continue it with --resume ${config.name}, or choose another --name.`,
      });
    }
    return PgBackend.open(db, boss, config.name, options);
  }

  /** Coordinate the study `name` in the database: take its coordinator lock and read its config. */
  static async open(
    db: StudyDatabase,
    boss: PgBoss,
    name: string,
    options: PgStudyOptions = {},
  ): Promise<PgBackend> {
    const config = await readPgStudyConfig(db, name);
    const lock = await db.pool.connect();
    try {
      const { rows } = await lock.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked",
        [COORDINATOR_LOCK, name],
      );
      if (!rows[0].locked) {
        const holder = await db.query<{
          coordinator: { host: string; pid: number; since: string } | null;
        }>("SELECT coordinator FROM infomorph.studies WHERE name = $1", [name]);
        const c = holder.rows[0]?.coordinator;
        throw new InfomorphError({
          code: "study/in-use",
          path: [name],
          message: `study ${name} is coordinated by ${c ? `process ${c.pid} on ${c.host} since ${c.since}` : "another process"}; one coordinator per study. Stop it first.`,
        });
      }
      await lock.query("UPDATE infomorph.studies SET coordinator = $2 WHERE name = $1", [
        name,
        JSON.stringify({ host: hostname(), pid: process.pid, since: new Date().toISOString() }),
      ]);
    } catch (err) {
      lock.release();
      throw err;
    }
    return new PgBackend(db, boss, config, lock, options);
  }

  /** Raise the study's number of trials (resume with --trials). */
  async setTrials(trials: number): Promise<void> {
    const asked = (await this.records()).filter((r) => "ask" in r).length;
    if (trials < Math.max(1, asked)) {
      throw new InfomorphError({
        code: "usage/bad-value",
        path: ["trials"],
        message: `--trials ${trials} is below the ${asked} trials study ${this.config.name} has already asked. Give --trials ${Math.max(1, asked)} or more.`,
      });
    }
    this.studyConfig = { ...this.studyConfig, trials };
    await this.db.query("UPDATE infomorph.studies SET config = $2 WHERE name = $1", [
      this.config.name,
      JSON.stringify(this.config),
    ]);
  }

  async records(): Promise<LogRecord[]> {
    return studyRecords(this.db, this.config.name);
  }

  async recordAsk(trial: Trial): Promise<void> {
    await this.db.transaction(async (client) => {
      await appendRecord(client, this.config.name, {
        ask: trial.id,
        params: trial.params,
        at: now(),
      });
      await client.query(
        "INSERT INTO infomorph.trials (study, id, state) VALUES ($1, $2, 'queued')",
        [this.config.name, trial.id],
      );
    });
  }

  async recordTell(
    trial: number,
    result: { outcome: TrialOutcome } | { error: string },
  ): Promise<void> {
    await this.db.transaction(async (client) => {
      const told = await client.query(
        "UPDATE infomorph.trials SET told = true WHERE study = $1 AND id = $2 AND NOT told RETURNING id",
        [this.config.name, trial],
      );
      if (told.rowCount === 0) return; // told before (by an earlier coordinator)
      await appendRecord(
        client,
        this.config.name,
        "outcome" in result
          ? { tell: trial, result: result.outcome.value, at: now(), outcome: result.outcome }
          : { tell: trial, result: "failed", at: now(), error: result.error },
      );
    });
    this.reported.delete(trial);
  }

  /** Send the trial's job, unless it has one (a resumed study's trials keep theirs). */
  async dispatch(job: TrialJob): Promise<void> {
    await this.db.transaction(async (client) => {
      const { rows } = await client.query<{ job: string | null }>(
        "SELECT job FROM infomorph.trials WHERE study = $1 AND id = $2 FOR UPDATE",
        [this.config.name, job.trial],
      );
      if (rows.length === 0 || rows[0].job !== null) return;
      const id = await this.boss.send(TRIAL_QUEUE, job, {
        retryLimit: this.config.retries,
        expireInSeconds: this.timeout,
        retentionDays: 30,
        ...inTransaction(client),
      });
      await client.query("UPDATE infomorph.trials SET job = $3 WHERE study = $1 AND id = $2", [
        this.config.name,
        job.trial,
        id,
      ]);
    });
  }

  async next(): Promise<TrialReport> {
    for (;;) {
      const report = await this.reports.takeWithin(this.pollMs);
      if (report !== null) return report;
      try {
        await this.poll();
      } catch (err) {
        // A database that is briefly unreachable (a restart, the network): look again later.
        this.onError?.(
          this.db.redact(`looking at the database failed: ${(err as Error).message}; trying again`),
        );
        await new Promise((resolve) => setTimeout(resolve, Math.max(this.pollMs, 2000)));
      }
    }
  }

  /** The trials keep running on their workers; the coordinator stops waiting for them (their results wait in the database). */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    void this.outstanding().then((ids) => {
      for (const trial of ids) this.reports.push({ kind: "stopped", trial });
    });
  }

  /** Give up the coordinator lock and the connections. */
  async close(): Promise<void> {
    try {
      await this.lock.query("UPDATE infomorph.studies SET coordinator = NULL WHERE name = $1", [
        this.config.name,
      ]);
      await this.lock.query("SELECT pg_advisory_unlock($1, hashtext($2))", [
        COORDINATOR_LOCK,
        this.config.name,
      ]);
    } finally {
      this.lock.release();
    }
  }

  private async outstanding(): Promise<number[]> {
    const { rows } = await this.db.query<{ id: number }>(
      "SELECT id FROM infomorph.trials WHERE study = $1 AND NOT told ORDER BY id",
      [this.config.name],
    );
    return rows.map((r) => r.id);
  }

  /** One look at the database: lost workers, new epochs, finished trials, jobs that failed for good. */
  private async poll(): Promise<void> {
    if (this.stopping) return;
    const study = this.config.name;
    await this.reapLostWorkers();
    const epochs = await this.db.query<{
      seq: string;
      trial: number;
      seed: string;
      epoch: number;
      epochs: number;
      validation: number;
    }>(
      "SELECT seq, trial, seed, epoch, epochs, validation FROM infomorph.epochs WHERE study = $1 AND seq > $2 ORDER BY seq",
      [study, this.epochCursor],
    );
    for (const e of epochs.rows) {
      this.epochCursor = Number(e.seq);
      this.reports.push({
        kind: "epoch",
        trial: e.trial,
        seed: Number(e.seed),
        epoch: e.epoch,
        epochs: e.epochs,
        validation: e.validation,
      });
    }
    await this.failDeadJobs();
    const finished = await this.db.query<{
      id: number;
      state: string;
      outcome: TrialOutcome | null;
      error: string | null;
    }>(
      "SELECT id, state, outcome, error FROM infomorph.trials WHERE study = $1 AND NOT told AND state IN ('complete', 'failed') ORDER BY id",
      [study],
    );
    for (const t of finished.rows) {
      if (this.reported.has(t.id)) continue;
      this.reported.add(t.id);
      this.reports.push(
        t.state === "complete" && t.outcome !== null
          ? { kind: "done", trial: t.id, outcome: t.outcome }
          : {
              kind: "failed",
              trial: t.id,
              error: t.error ?? "the trial failed without an error message",
            },
      );
    }
  }

  /** Trials whose worker sent no heartbeat for the lease go back to the queue: their job fails, so pg-boss retries it (or fails it for good). */
  private async reapLostWorkers(): Promise<void> {
    await this.db.transaction(async (client) => {
      const lost = await client.query<{ id: number; job: string; attempt: number; worker: string }>(
        `WITH lost AS (
           SELECT id, worker FROM infomorph.trials
           WHERE study = $1 AND state = 'running' AND heartbeat < now() - make_interval(secs => $2)
           FOR UPDATE
         )
         UPDATE infomorph.trials t SET state = 'queued', worker = NULL, heartbeat = NULL
         FROM lost WHERE t.study = $1 AND t.id = lost.id
         RETURNING t.id, t.job, t.attempt, lost.worker`,
        [this.config.name, this.lease],
      );
      for (const t of lost.rows) {
        const error = `worker ${t.worker} sent no heartbeat for ${this.lease} s (lost or killed)`;
        await client.query("UPDATE infomorph.trials SET error = $3 WHERE study = $1 AND id = $2", [
          this.config.name,
          t.id,
          error,
        ]);
        await appendRecord(client, this.config.name, {
          fail: t.id,
          attempt: t.attempt,
          error,
          at: now(),
        });
        await this.boss.fail(TRIAL_QUEUE, t.job, { message: error }, inTransaction(client));
      }
    });
  }

  /** Queued trials whose job pg-boss failed for good (retries used up) or lost: fail the trial, or send a new job. */
  private async failDeadJobs(): Promise<void> {
    const { rows } = await this.db.query<{ id: number; job: string }>(
      "SELECT id, job FROM infomorph.trials WHERE study = $1 AND state = 'queued' AND job IS NOT NULL AND NOT told",
      [this.config.name],
    );
    for (const t of rows) {
      const job = await this.boss.getJobById<TrialJob>(TRIAL_QUEUE, t.job, {
        includeArchive: true,
      });
      if (job === null) {
        // Removed from the queue (e.g. deleted by hand): the trial gets a new job.
        await this.db.query(
          "UPDATE infomorph.trials SET job = NULL WHERE study = $1 AND id = $2 AND job = $3",
          [this.config.name, t.id, t.job],
        );
        const { rows: asked } = await this.db.query<{ record: { params: Record<string, number> } }>(
          "SELECT record FROM infomorph.events WHERE study = $1 AND record ? 'ask' AND (record->>'ask')::int = $2",
          [this.config.name, t.id],
        );
        await this.dispatch(trialJob(this.config, t.id, asked[0].record.params));
        continue;
      }
      if (job.state !== "failed" && job.state !== "cancelled") continue;
      const output = job.output as { message?: string } | null;
      await this.db.query(
        `UPDATE infomorph.trials SET state = 'failed', error = COALESCE(error, $4)
         WHERE study = $1 AND id = $2 AND job = $3 AND state = 'queued'`,
        [this.config.name, t.id, t.job, output?.message ?? `the queue marked the job ${job.state}`],
      );
    }
  }
}

/** The config of study `name` in the database, checked. */
export async function readPgStudyConfig(db: StudyDatabase, name: string): Promise<StudyConfig> {
  const { rows } = await db.query<{ config: unknown }>(
    "SELECT config FROM infomorph.studies WHERE name = $1",
    [name],
  );
  if (rows.length === 0) {
    const known = await db.query<{ name: string }>(
      "SELECT name FROM infomorph.studies ORDER BY created DESC LIMIT 20",
    );
    throw new InfomorphError({
      code: "study/not-found",
      path: [name],
      message: `the database holds no study named ${name}${known.rows.length > 0 ? `; it holds ${known.rows.map((r) => r.name).join(", ")}` : ""}.`,
    });
  }
  return checkStoredStudy(rows[0].config, `study ${name} in the database`, {
    namedDatasetsOnly: true,
  });
}

/** The log of study `name`, in order. */
export async function studyRecords(db: StudyDatabase, name: string): Promise<LogRecord[]> {
  const { rows } = await db.query<{ record: LogRecord }>(
    "SELECT record FROM infomorph.events WHERE study = $1 ORDER BY seq",
    [name],
  );
  return rows.map((r) => r.record);
}

/** Append one record to a study's log, in the caller's transaction. */
export async function appendRecord(
  client: pg.PoolClient,
  study: string,
  record: LogRecord,
): Promise<void> {
  await client.query("INSERT INTO infomorph.events (study, record) VALUES ($1, $2)", [
    study,
    JSON.stringify(record),
  ]);
}

function now(): string {
  return new Date().toISOString();
}
