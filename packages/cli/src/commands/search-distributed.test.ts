import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BUILT_CLI, describeWith } from "../../../../test/prerequisites.js";
import { POSTGRES, freshDatabase, testServerUrl } from "../../../search/testing/database.js";
import { infomorph } from "../../testing/built-cli.js";

/**
 * The distributed search as users run it: `infomorph search --db` and two `infomorph worker`
 * processes on a real PostgreSQL. One worker is killed with SIGKILL in the middle of a trial,
 * and the coordinator too, later, and is resumed: the study must complete with every trial
 * told exactly once (the killed worker's trial retried by the other worker after its lease),
 * none lost, none doubled, and no process may print the database password.
 */

const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));

describeWith([BUILT_CLI, POSTGRES], "infomorph search --db with two workers, one killed", () => {
  let url = "";
  let drop: () => Promise<void> = async () => {};
  let db: pg.Client;
  beforeAll(async () => {
    ({ url, drop } = await freshDatabase(testServerUrl()));
  });
  afterAll(async () => {
    await db?.end();
    await drop();
  });

  it("completes the study with every trial told once after a worker and the coordinator die", async () => {
    const password = new URL(url).password;
    const root = mkdtempSync(join(tmpdir(), "infomorph-distributed-"));
    const coordinate = (extra: string[]) =>
      infomorph([
        "search",
        "--db",
        url,
        "--jobs",
        "2",
        "--lease",
        "4",
        "--poll",
        "0.1",
        "--json",
        ...extra,
      ]);
    const first = coordinate([
      ...["--name", "dist", "--dataset", "embedded", "--hidden", "8", "--epochs", "4"],
      ...[
        "--train-samples",
        "800",
        "--batch-size",
        "100",
        "--trials",
        "6",
        "--startup-trials",
        "2",
        "--retries",
        "2",
      ],
    ]);
    const worker = (name: string) =>
      infomorph([
        "worker",
        "--db",
        url,
        "--dir",
        join(root, name),
        "--heartbeat",
        "0.3",
        "--poll",
        "0.1",
        "--name",
        name,
      ]);
    const a = worker("A");
    const b = worker("B");

    db = new pg.Client({ connectionString: url });
    await db.connect();
    const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
      (await db.query<T>(text, values)).rows;
    const waitFor = async (what: string, test: () => Promise<boolean>) => {
      for (let i = 0; i < 6000; i++) {
        // The processes create the tables as they start: until then a query fails.
        if (await test().catch(() => false)) return;
        await sleep(20);
      }
      throw new Error(`timed out waiting for ${what}`);
    };

    // Kill worker A once it has trained an epoch of a trial it holds.
    await waitFor("worker A to train an epoch", async () => {
      const rows = await query(
        "SELECT 1 FROM infomorph.epochs WHERE worker = 'A' AND study = 'dist'",
      );
      return rows.length > 0;
    });
    const [{ trial: killedTrial }] = await query<{ trial: number }>(
      "SELECT id AS trial FROM infomorph.trials WHERE study = 'dist' AND worker = 'A' AND state = 'running'",
    );
    a.child.kill("SIGKILL");
    const aExit = await a.exit;
    expect(aExit.signal).toBe("SIGKILL");

    // Kill the coordinator once two trials are told; B goes on training meanwhile.
    await waitFor(
      "two tells",
      async () =>
        (await query("SELECT 1 FROM infomorph.trials WHERE study = 'dist' AND told")).length >= 2,
    );
    first.child.kill("SIGKILL");
    const firstExit = await first.exit;
    expect(firstExit.signal).toBe("SIGKILL");
    await sleep(500);
    const resumed = await coordinate(["--resume", "dist"]).exit;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      trials: 6,
      done: 6,
      failed: 0,
      stopped: false,
    });

    b.child.kill("SIGINT"); // idle now: it stops at once
    const bExit = await b.exit;
    expect(bExit.code, bExit.stderr).toBe(130);

    const records = (
      await query<{ record: Record<string, unknown> }>(
        "SELECT record FROM infomorph.events WHERE study = 'dist' ORDER BY seq",
      )
    ).map((r) => r.record);
    const ids = (key: string) => records.filter((r) => key in r).map((r) => r[key] as number);
    expect(ids("ask")).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ids("tell").sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const r of records.filter((r) => "tell" in r)) expect(typeof r.result).toBe("number");
    // The killed worker's trial: lost by A after the 4 s lease, retried and finished by B. (On a
    // starved machine a live worker's heartbeat can come late too: its attempt is then lost and
    // retried the same way, so there may be more attempts, each lost before the last.)
    const starts = records.filter((r) => r.start === killedTrial).map((r) => [r.worker, r.attempt]);
    expect(starts[0]).toEqual(["A", 1]);
    expect(starts.at(-1)).toEqual(["B", starts.length]);
    const fails = records.filter((r) => r.fail === killedTrial);
    expect(fails.map((r) => r.attempt)).toEqual(starts.slice(0, -1).map(([, attempt]) => attempt));
    for (const f of fails)
      expect(f.error).toMatch(/^worker [AB] sent no heartbeat for 4 s \(lost or killed\)$/);
    expect(
      fails.some((f) => f.error === "worker A sent no heartbeat for 4 s (lost or killed)"),
    ).toBe(true);
    const rows = await query<{ state: string; told: boolean }>(
      "SELECT state, told FROM infomorph.trials WHERE study = 'dist'",
    );
    expect(rows.every((r) => r.state === "complete" && r.told)).toBe(true);
    // Every epoch of the trial was reported (by one attempt or, resumed from a local checkpoint, several).
    const epochs = await query<{ epoch: number }>(
      "SELECT DISTINCT epoch FROM infomorph.epochs WHERE study = 'dist' AND trial = $1 ORDER BY epoch",
      [killedTrial],
    );
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);

    const page = join(root, "dist.html");
    const report = await infomorph(["search", "report", "dist", "--db", url, "--out", page]).exit;
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(page, "utf8");
    expect(html).toContain("<b>6</b><span>complete of 6</span>");
    expect(html).toContain("postgres://infomorph:***@");
    expect(html).not.toContain(password);

    for (const output of [firstExit, resumed, aExit, bExit, report]) {
      expect(`${output.stdout}${output.stderr}`).not.toContain(password);
    }
    expect(`${resumed.stderr}`).toContain("postgres://infomorph:***@");
  });
});
