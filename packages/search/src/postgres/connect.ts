/**
 * Opening the distributed pieces from a URL: the study database and the queue together, for a
 * coordinator (openPgStudy) or a worker (connectPgWorker), closed together, with every error
 * free of the URL's password.
 */

import { InfomorphError } from "@infomorph/core";
import type PgBoss from "pg-boss";
import type { TrialRunner } from "../runner.js";
import type { StudyConfig } from "../study-config.js";
import type { StudyContents } from "../study-contents.js";
import { PgBackend, type PgStudyOptions } from "./backend.js";
import { StudyDatabase } from "./database.js";
import { startQueue } from "./queue.js";
import { readPgStudy } from "./read.js";
import { checkDatabaseUrl, redactUrl, redactor } from "./url.js";
import { PgWorker, type PgWorkerOptions } from "./worker.js";

export interface PgStudyRequest {
  /** A new study (its config), or the name of one to continue. */
  readonly study: { readonly create: StudyConfig } | { readonly resume: string };
  /** With resume: the new number of trials. */
  readonly trials?: number;
  readonly options?: PgStudyOptions;
  /** Errors of the queue's background work (already redacted). */
  readonly onQueueError?: (message: string) => void;
  /** How often pg-boss looks for expired jobs, seconds. */
  readonly maintenanceSeconds?: number;
}

/** The coordinator's side: the study's backend, and close() for it, the queue and the connections. */
export async function openPgStudy(
  url: string,
  request: PgStudyRequest,
): Promise<{ backend: PgBackend; close(): Promise<void> }> {
  return connected(url, "infomorph-search", request, async (db, boss) => {
    const { study } = request;
    const backend =
      "create" in study
        ? await PgBackend.create(db, boss, study.create, request.options)
        : await PgBackend.open(db, boss, study.resume, request.options);
    if ("resume" in study && request.trials !== undefined) await backend.setTrials(request.trials);
    return { value: backend, close: () => backend.close() };
  }).then(({ value, close }) => ({ backend: value, close }));
}

/** A worker's side: the worker, and close() for the queue and the connections. */
export async function connectPgWorker(
  url: string,
  runner: TrialRunner,
  options: PgWorkerOptions & {
    onQueueError?: (message: string) => void;
    maintenanceSeconds?: number;
  },
): Promise<{ worker: PgWorker; close(): Promise<void> }> {
  return connected(url, "infomorph-worker", options, async (db, boss) => ({
    value: new PgWorker(db, boss, runner, options),
    close: async () => {},
  })).then(({ value, close }) => ({ worker: value, close }));
}

/** Study `name` as the database holds it now, for a report (no lock, no queue). */
export async function readPgStudyFrom(url: string, name: string): Promise<StudyContents> {
  checkDatabaseUrl(url);
  const redact = redactor(url);
  let db: StudyDatabase | null = null;
  try {
    db = await StudyDatabase.connect(url, "infomorph-report");
    return await readPgStudy(db, name, `study ${name} in ${redactUrl(url)}`);
  } catch (err) {
    throw redactedError(err, redact);
  } finally {
    await db?.close().catch(() => {});
  }
}

/** Connect the database and the queue, build something on them; errors and queue errors redacted. */
async function connected<T>(
  url: string,
  name: string,
  request: { onQueueError?: (message: string) => void; maintenanceSeconds?: number },
  build: (db: StudyDatabase, boss: PgBoss) => Promise<{ value: T; close: () => Promise<void> }>,
): Promise<{ value: T; close(): Promise<void> }> {
  checkDatabaseUrl(url);
  const redact = redactor(url);
  let db: StudyDatabase | null = null;
  let boss: PgBoss | null = null;
  const closeAll = async () => {
    await boss?.stop({ graceful: false, wait: true }).catch(() => {});
    await db?.close().catch(() => {});
  };
  try {
    db = await StudyDatabase.connect(url, name);
    boss = await startQueue(url, (err) => request.onQueueError?.(redact(err.message)), {
      maintenanceSeconds: request.maintenanceSeconds,
    });
    const built = await build(db, boss);
    return {
      value: built.value,
      close: async () => {
        await built.close().catch(() => {});
        await closeAll();
      },
    };
  } catch (err) {
    await closeAll();
    throw redactedError(err, redact);
  }
}

/** `err` with the password removed from its message (an InfomorphError keeps its code). */
export function redactedError(err: unknown, redact: (text: string) => string): InfomorphError {
  if (err instanceof InfomorphError) {
    return new InfomorphError({
      code: err.code,
      path: [...err.path],
      message: redact(err.message),
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new InfomorphError({
    code: "database/error",
    path: [],
    message: redact(
      `${message || (err as { code?: string }).code || "unknown error"}. Check --db and that the server runs.`,
    ),
  });
}
