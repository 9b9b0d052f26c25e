/**
 * `infomorph worker --db …`: take trials from the queue, one at a time, and train them with the
 * CLI's TrialRunner into run folders kept on this machine (`<dir>/<study>/<trial>/s<seed>`),
 * reporting every epoch, heartbeats and the result to the database.
 *
 * A claimed trial carries an attempt number (the fencing token): heartbeats and the result
 * count only while the trial is still this attempt's, so a worker presumed dead (no heartbeat
 * for the lease) that comes back can neither report the trial nor hold it; it stops training
 * it. A job's payload is validated before anything runs (validateTrialJob); a refused job is
 * failed for good, never retried.
 */

import { join } from "node:path";
import type PgBoss from "pg-boss";
import type { TrialRunner } from "../runner.js";
import { type TrialJob, validateTrialJob } from "../trial-job.js";
import { appendRecord } from "./backend.js";
import type { StudyDatabase } from "./database.js";
import { TRIAL_QUEUE, inTransaction } from "./queue.js";

export interface PgWorkerOptions {
  /** Where this worker keeps its run folders. */
  readonly dir: string;
  /** How the worker names itself in the database (host and process). */
  readonly name: string;
  /** Seconds between heartbeats (default 10; keep it well below the studies' lease). */
  readonly heartbeatSeconds?: number;
  /** Seconds between looks at an empty queue (default 2). */
  readonly pollSeconds?: number;
  /** What the worker says as it works (one line each), already free of passwords. */
  readonly log?: (line: string) => void;
}

export class PgWorker {
  private draining = false;
  private abandoning = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly db: StudyDatabase,
    private readonly boss: PgBoss,
    private readonly runner: TrialRunner,
    private readonly options: PgWorkerOptions,
  ) {}

  /** Take no more trials; finish the current one. */
  drain(): void {
    this.draining = true;
    this.wake?.();
  }

  /** Stop the current trial after its batch and hand it back to the queue (it is retried elsewhere). */
  abandon(): void {
    this.draining = true;
    this.abandoning = true;
    this.wake?.();
  }

  /** Work until drain() or abandon(); resolves to the number of trials completed. */
  async run(): Promise<number> {
    let completed = 0;
    const poll = (this.options.pollSeconds ?? 2) * 1000;
    while (!this.draining) {
      // pg-boss's fetch returns no job while the database is unreachable.
      const [job] = await this.boss.fetch<unknown>(TRIAL_QUEUE, { batchSize: 1 });
      if (!job) {
        await this.pause(poll);
        continue;
      }
      try {
        if (await this.work(job)) completed++;
      } catch (err) {
        // The database went away mid-trial: the trial's heartbeats stop, so the coordinator
        // gives it to another worker; this one waits and takes the next job.
        this.options.log?.(
          this.db.redact(
            `job ${job.id}: ${(err as Error).message}; going on in ${Math.max(5, poll / 1000)} s`,
          ),
        );
        await this.pause(Math.max(5000, poll));
      }
    }
    return completed;
  }

  /** Wait `ms`, or less when drain() or abandon() is called. */
  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
  }

  /** One job: validate, claim, train with heartbeats, report. True when the trial completed here. */
  private async work(job: PgBoss.Job<unknown>): Promise<boolean> {
    const log = this.options.log ?? (() => {});
    let trial: TrialJob;
    try {
      trial = validateTrialJob(job.data, { namedDatasetsOnly: true });
    } catch (err) {
      await this.refuse(job, (err as Error).message);
      log(`refused job ${job.id}: ${(err as Error).message}`);
      return false;
    }
    const where = `trial ${trial.trial} of study ${trial.study}`;
    const claimed = await this.db.query<{ attempt: number }>(
      `UPDATE infomorph.trials SET state = 'running', attempt = attempt + 1, worker = $4, heartbeat = now()
       WHERE study = $1 AND id = $2 AND job = $3 AND state IN ('queued', 'running') AND NOT told
       RETURNING attempt`,
      [trial.study, trial.trial, job.id, this.options.name],
    );
    if (claimed.rowCount === 0) {
      // The trial is finished or holds another job (a stale duplicate): nothing to run.
      await this.boss.complete(TRIAL_QUEUE, job.id, {
        skipped: "the trial has no use for this job",
      });
      return false;
    }
    const attempt = claimed.rows[0].attempt;
    await this.db.transaction((client) =>
      appendRecord(client, trial.study, {
        start: trial.trial,
        attempt,
        worker: this.options.name,
        at: new Date().toISOString(),
      }),
    );
    log(`${where}: attempt ${attempt}`);
    let lost = false;
    const fence = [trial.study, trial.trial, attempt];
    const beat = setInterval(
      () => {
        void this.db
          .query(
            "UPDATE infomorph.trials SET heartbeat = now() WHERE study = $1 AND id = $2 AND attempt = $3 AND state = 'running'",
            fence,
          )
          .then(
            (r) => {
              if (r.rowCount === 0 && !lost) {
                lost = true;
                log(
                  `${where}: another attempt holds it now (this worker was presumed lost); stopping it`,
                );
              }
            },
            (err: unknown) =>
              log(this.db.redact(`${where}: heartbeat failed: ${(err as Error).message}`)),
          );
      },
      (this.options.heartbeatSeconds ?? 10) * 1000,
    );
    try {
      const outcome = await this.runner.run(
        trial,
        join(this.options.dir, trial.study, String(trial.trial).padStart(6, "0")),
        {
          shouldStop: () => lost || this.abandoning,
          // Progress only: an epoch row that cannot be written is logged, and the trial goes on.
          onEpoch: (p) =>
            this.db
              .query(
                `INSERT INTO infomorph.epochs (study, trial, attempt, seed, epoch, epochs, train, validation, test, goals, seconds, worker)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
                [
                  ...fence,
                  p.seed,
                  p.epoch,
                  p.epochs,
                  p.train,
                  p.validation,
                  p.test,
                  JSON.stringify(p.goals),
                  p.seconds,
                  this.options.name,
                ],
              )
              .then(
                () => {},
                (err: unknown) =>
                  log(
                    this.db.redact(
                      `${where}: epoch ${p.epoch} not recorded: ${(err as Error).message}`,
                    ),
                  ),
              ),
        },
      );
      if (outcome === null) {
        if (!lost)
          await this.handBack(
            job,
            fence,
            "the worker was stopped (Ctrl-C or SIGTERM) before the trial finished",
          );
        return false;
      }
      const done = await this.db.transaction(async (client) => {
        const r = await client.query(
          `UPDATE infomorph.trials SET state = 'complete', outcome = $4, worker = NULL, heartbeat = NULL
           WHERE study = $1 AND id = $2 AND attempt = $3 AND state = 'running' RETURNING id`,
          [...fence, JSON.stringify(outcome)],
        );
        if (r.rowCount === 0) return false;
        await this.boss.complete(
          TRIAL_QUEUE,
          job.id,
          { value: outcome.value },
          inTransaction(client),
        );
        return true;
      });
      log(
        done
          ? `${where}: ${(100 * outcome.value).toFixed(2)} % validation`
          : `${where}: finished, but another attempt holds it now; result dropped`,
      );
      return done;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`${where}: failed: ${message}`);
      await this.handBack(job, fence, message);
      return false;
    } finally {
      clearInterval(beat);
    }
  }

  /** Give a trial this attempt holds back to the queue as a failed attempt (pg-boss retries it or fails it for good). */
  private async handBack(
    job: PgBoss.Job<unknown>,
    fence: (string | number)[],
    error: string,
  ): Promise<void> {
    const [study, trial, attempt] = fence as [string, number, number];
    await this.db.transaction(async (client) => {
      const r = await client.query(
        `UPDATE infomorph.trials SET state = 'queued', worker = NULL, heartbeat = NULL, error = $4
         WHERE study = $1 AND id = $2 AND attempt = $3 AND state = 'running' RETURNING id`,
        [study, trial, attempt, error],
      );
      if (r.rowCount === 0) return;
      await appendRecord(client, study, {
        fail: trial,
        attempt,
        error,
        at: new Date().toISOString(),
      });
      await this.boss.fail(TRIAL_QUEUE, job.id, { message: error }, inTransaction(client));
    });
  }

  /** A job that is not a valid trial: its trial (if it names one) fails with the reason, and the job is done, never retried. */
  private async refuse(job: PgBoss.Job<unknown>, reason: string): Promise<void> {
    const data = job.data as { study?: unknown; trial?: unknown } | null;
    await this.db.transaction(async (client) => {
      if (data && typeof data.study === "string" && Number.isSafeInteger(data.trial)) {
        const r = await client.query(
          `UPDATE infomorph.trials SET state = 'failed', error = $4
           WHERE study = $1 AND id = $2 AND job = $3 AND state IN ('queued', 'running') RETURNING id`,
          [data.study, data.trial, job.id, `refused by worker ${this.options.name}: ${reason}`],
        );
        if (r.rowCount === 1) {
          await appendRecord(client, data.study, {
            fail: data.trial as number,
            attempt: 0,
            error: reason,
            at: new Date().toISOString(),
          });
        }
      }
      await this.boss.complete(TRIAL_QUEUE, job.id, { refused: reason }, inTransaction(client));
    });
  }
}
