import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { describeWith } from "../../../../test/prerequisites.js";
import { POSTGRES, freshDatabase, testServerUrl } from "../../testing/database.js";
import { Coordinator } from "../coordinator.js";
import type { TrialHooks, TrialRunner } from "../runner.js";
import { type StudyConfig, resolveStudyConfig } from "../study-config.js";
import { type TrialJob, type TrialOutcome, trialOutcome } from "../trial-job.js";
import type { LogRecord } from "../trial-log.js";
import { connectPgWorker, openPgStudy } from "./connect.js";
import { TRIAL_QUEUE, startQueue } from "./queue.js";
import type { PgWorker } from "./worker.js";

/** The value a fake trial reports: a smooth function of its goal weights (summed in name order: jsonb reorders keys), plus the runner's tag. */
const score = (params: Readonly<Record<string, number>>) =>
  1 /
  (1 +
    Object.keys(params)
      .sort()
      .reduce((s, k) => s + (params[k] - 0.25) ** 2, 0));

/** Trains nothing: waits `epochMs` per epoch, reports epochs, returns score + tag (or throws). */
class FakeRunner implements TrialRunner {
  runs = 0;
  constructor(
    private readonly options: {
      tag?: number;
      epochMs?: number;
      fail?: boolean;
      gate?: Promise<void>;
    } = {},
  ) {}

  async run(job: TrialJob, _dir: string, hooks: TrialHooks = {}): Promise<TrialOutcome | null> {
    this.runs++;
    await this.options.gate;
    for (let epoch = 1; epoch <= job.settings.epochs; epoch++) {
      await sleep(this.options.epochMs ?? 10);
      if (hooks.shouldStop?.()) return null;
      await hooks.onEpoch?.({
        seed: 1,
        epoch,
        epochs: job.settings.epochs,
        train: 0,
        validation: epoch / 10,
        test: null,
        goals: [0, 0],
        seconds: 0.01,
      });
    }
    if (this.options.fail) throw new Error(`fake failure of trial ${job.trial}`);
    const value = score(job.params) + (this.options.tag ?? 0);
    return trialOutcome([
      { seed: 1, value, epoch: job.settings.epochs, test: null, seconds: 0.01 },
    ]);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FAST = { leaseSeconds: 1, pollMs: 50 };
let counter = 0;
const study = (input: object = {}): StudyConfig =>
  resolveStudyConfig(
    `t${++counter}-${process.pid}`,
    { trial: { epochs: 3 }, trials: 6, retries: 1, ...input },
    "test",
    {
      namedDatasetsOnly: true,
    },
  );

describeWith([POSTGRES], "goal search in PostgreSQL (pg-boss queue, in-process workers)", () => {
  let url = "";
  let drop: () => Promise<void> = async () => {};
  const closers: (() => Promise<void>)[] = [];
  const dir = mkdtempSync(join(tmpdir(), "infomorph-pg-"));

  beforeAll(async () => {
    ({ url, drop } = await freshDatabase(testServerUrl()));
  });
  // Each test's workers stop with it: the queue is shared by the tests of this database.
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(() => drop());

  async function worker(
    runner: TrialRunner,
    name: string,
    heartbeatSeconds = 0.2,
  ): Promise<PgWorker> {
    const { worker, close } = await connectPgWorker(url, runner, {
      dir: join(dir, name),
      name,
      heartbeatSeconds,
      pollSeconds: 0.05,
    });
    const done = worker.run();
    closers.push(async () => {
      worker.drain();
      await done;
      await close();
    });
    return worker;
  }

  async function records(name: string): Promise<LogRecord[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(
      "SELECT record FROM infomorph.events WHERE study = $1 ORDER BY seq",
      [name],
    );
    await client.end();
    return rows.map((r) => r.record);
  }

  const tells = (log: LogRecord[]) => log.flatMap((r) => ("tell" in r ? [r] : []));

  it("runs a study on three workers: every trial told exactly once, with the value its worker computed", async () => {
    const config = study({ trials: 9 });
    const runner = new FakeRunner();
    for (const name of ["a", "b", "c"]) await worker(runner, name);
    const { backend, close } = await openPgStudy(url, {
      study: { create: config },
      options: FAST,
    });
    const result = await new Coordinator(backend, { jobs: 3 }).run();
    await close();
    expect(result.stopped).toBe(false);
    const log = await records(config.name);
    const told = tells(log);
    expect(told.map((t) => t.tell).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const asks = new Map(log.flatMap((r) => ("ask" in r ? [[r.ask, r.params] as const] : [])));
    for (const t of told) expect(t.result).toBe(score(asks.get(t.tell) as Record<string, number>));
    expect(runner.runs).toBe(9);
  });

  it("gives a lost worker's trial to another; the lost one, back, can report nothing", async () => {
    const config = study({ trials: 1 });
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    // Worker "slow" beats only every 100 s: past the 1 s lease it counts as lost while it trains.
    const slow = new FakeRunner({ tag: 10, gate });
    const slowWorker = await worker(slow, "slow", 100);
    const { backend, close } = await openPgStudy(url, {
      study: { create: config },
      options: FAST,
    });
    const running = new Coordinator(backend, { jobs: 1 }).run();
    while (slow.runs === 0) await sleep(20);
    const healthy = new FakeRunner({ tag: 20 });
    await worker(healthy, "healthy");
    const result = await running;
    await close();
    open();
    slowWorker.drain();
    await sleep(300);
    const log = await records(config.name);
    expect(tells(log)).toHaveLength(1);
    expect(result.trials[0].value).toBeGreaterThan(20); // the healthy worker's value, not the lost one's
    const failure = log.find((r) => "fail" in r);
    expect(failure).toMatchObject({
      fail: 0,
      attempt: 1,
      error: "worker slow sent no heartbeat for 1 s (lost or killed)",
    });
    expect(
      log.filter((r) => "start" in r).map((r) => ("start" in r ? [r.worker, r.attempt] : [])),
    ).toEqual([
      ["slow", 1],
      ["healthy", 2],
    ]);
  });

  it("retries a failing trial up to the study's limit, then tells it failed with its error", async () => {
    const config = study({ trials: 1, retries: 2 });
    await worker(new FakeRunner({ fail: true }), "failing");
    const { backend, close } = await openPgStudy(url, {
      study: { create: config },
      options: FAST,
    });
    const result = await new Coordinator(backend, { jobs: 1 }).run();
    await close();
    const log = await records(config.name);
    expect(log.filter((r) => "start" in r)).toHaveLength(3);
    expect(log.filter((r) => "fail" in r).map((r) => ("fail" in r ? r.error : ""))).toEqual([
      "fake failure of trial 0",
      "fake failure of trial 0",
      "fake failure of trial 0",
    ]);
    expect(tells(log)).toEqual([
      expect.objectContaining({ tell: 0, result: "failed", error: "fake failure of trial 0" }),
    ]);
    expect(result.trials[0].state).toBe("failed");
  });

  it("refuses a job that is not a training of this project, and never retries it", async () => {
    const config = study({ trials: 1 });
    const { backend, close } = await openPgStudy(url, {
      study: { create: config },
      options: FAST,
    });
    await backend.recordAsk({ id: 0, params: { x: 1 } });
    const boss = await startQueue(url, () => {});
    const evil = {
      study: config.name,
      trial: 0,
      params: {},
      settings: { preset: "trivariate", dataset: "csv:/etc/passwd" },
      sources: ["F", "C", "L"],
      objective: {},
      command: "rm -rf ~",
    };
    const id = (await boss.send(TRIAL_QUEUE, evil, { retryLimit: 3 })) as string;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("UPDATE infomorph.trials SET job = $2 WHERE study = $1 AND id = 0", [
      config.name,
      id,
    ]);
    const runner = new FakeRunner();
    await worker(runner, "careful");
    let row: { state: string; error: string } | undefined;
    while (row?.state !== "failed") {
      await sleep(50);
      const result = await client.query<{ state: string; error: string }>(
        "SELECT state, error FROM infomorph.trials WHERE study = $1 AND id = 0",
        [config.name],
      );
      row = result.rows[0];
    }
    expect(row.error).toBe(
      'refused by worker careful: trial job: unknown key "command". Jobs describe one training of this project; this one was refused.',
    );
    expect((await boss.getJobById(TRIAL_QUEUE, id))?.state).toBe("completed");
    expect(runner.runs).toBe(0);
    await client.end();
    await boss.stop({ graceful: false, wait: true });
    await close();
  });

  it("lets one coordinator hold a study, and another continue it after the first is gone", async () => {
    const config = study({ trials: 4 });
    const runner = new FakeRunner({ epochMs: 30 });
    await worker(runner, "steady");
    const first = await openPgStudy(url, { study: { create: config }, options: FAST });
    await expect(
      openPgStudy(url, { study: { resume: config.name }, options: FAST }),
    ).rejects.toThrow(
      new RegExp(
        `^study ${config.name} is coordinated by process ${process.pid} on .* since .*; one coordinator per study\\. Stop it first\\.$`,
      ),
    );
    // The first coordinator asks two trials and goes away before telling them.
    const coordinator = new Coordinator(first.backend, { jobs: 2 });
    const run = coordinator.run();
    await sleep(20);
    coordinator.stop();
    expect((await run).stopped).toBe(true);
    await first.close();
    await sleep(400); // the worker finishes both trials while no coordinator runs
    const second = await openPgStudy(url, { study: { resume: config.name }, options: FAST });
    const result = await new Coordinator(second.backend, { jobs: 2 }).run();
    await second.close();
    expect(result.stopped).toBe(false);
    const told = tells(await records(config.name)).map((t) => t.tell);
    expect(told.sort()).toEqual([0, 1, 2, 3]);
    expect(runner.runs).toBe(4);
  });

  it("keeps the password out of its errors", async () => {
    const wrong = new URL(url);
    wrong.password = "not-the-password-8d1f";
    const failure = openPgStudy(wrong.toString(), { study: { resume: "x" } });
    await expect(failure).rejects.toThrow(/password authentication failed/);
    const message = await failure.catch((err: Error) => `${err.message}\n${err.stack}`);
    expect(message).not.toContain("not-the-password-8d1f");
  });
});
