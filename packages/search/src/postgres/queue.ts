/**
 * The job queue between a study's coordinator and its workers: pg-boss 10.4.2 on the same
 * PostgreSQL (schema `pgboss`). pg-boss hands each job to one worker (SELECT … FOR UPDATE SKIP
 * LOCKED), retries a failed job up to its retry limit and then marks it failed, and fails a job
 * that stays active past its expiry (a backstop for a dead worker when no coordinator runs;
 * the study's heartbeats find a dead worker within seconds).
 *
 * Why pg-boss and this version: pg-boss 10.4.2 is the newest release whose `engines` admit
 * Node 20 (11.x needs Node ≥ 22, 12.x ≥ 22.12); its expiry, retry limit and maintenance
 * interval are set per job in seconds (graphile-worker 0.16 re-queues a crashed worker's job
 * only after a fixed 4 hours), and every call takes the caller's transaction (`db`), so a
 * trial and its job are created together.
 */

import type pg from "pg";
import PgBoss from "pg-boss";

/** The one queue of all studies' trials. */
export const TRIAL_QUEUE = "infomorph-trials";

export interface QueueOptions {
  /** How often pg-boss checks for expired jobs (seconds; its default is 120). */
  readonly maintenanceSeconds?: number;
}

/** A started pg-boss on `url`, with the trial queue created. Errors of its background work go to `onError`. */
export async function startQueue(
  url: string,
  onError: (err: Error) => void,
  options: QueueOptions = {},
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    application_name: "infomorph-queue",
    max: 2,
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceSeconds ?? 60,
  });
  boss.on("error", onError);
  await boss.start();
  if ((await boss.getQueue(TRIAL_QUEUE)) === null) {
    try {
      await boss.createQueue(TRIAL_QUEUE, { name: TRIAL_QUEUE, policy: "standard" });
    } catch (err) {
      // Another process created it between the check and here.
      if ((await boss.getQueue(TRIAL_QUEUE)) === null) throw err;
    }
  }
  return boss;
}

/** pg-boss's `db` option for a client in our transaction. */
export function inTransaction(client: pg.PoolClient): { db: PgBoss.Db } {
  return { db: { executeSql: (text, values) => client.query(text, values) } };
}
