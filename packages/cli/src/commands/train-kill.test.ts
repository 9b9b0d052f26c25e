import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "@infomorph/core";
import { beforeAll, expect, it } from "vitest";
import { BUILT_CLI, describeWith } from "../../../../test/prerequisites.js";
import { type Exit, train } from "../../testing/built-cli.js";

/**
 * A real `infomorph train` process killed with SIGKILL, which no handler can catch, at a
 * random moment, then resumed: the run must end exactly as one that was never killed.
 * This runs the built CLI (packages/cli/dist), as a user would; the tests' global setup builds it.
 */

const SETTINGS = ["--hidden", "8", "--epochs", "4", "--batch-size", "256", "--seed", "3"];
const EPOCHS = 4;
/** Kill moments are drawn uniformly from 0 to this many ms after checkpoint.json appears. */
const MAX_KILL_DELAY_MS = 800;

const root = mkdtempSync(join(tmpdir(), "infomorph-train-kill-"));

/** Resolves when dir/checkpoint.json exists (polled every 5 ms), or when the child exits first. */
async function firstCheckpoint(dir: string, exit: Promise<Exit>): Promise<number> {
  let exited = false;
  void exit.then(() => {
    exited = true;
  });
  while (!existsSync(join(dir, "checkpoint.json")) && !exited) {
    await new Promise((wait) => setTimeout(wait, 5));
  }
  return performance.now();
}

const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));
const read = (dir: string, name: string) => readFileSync(join(dir, name));
const checkpoint = (dir: string) =>
  JSON.parse(read(dir, "checkpoint.json").toString("utf8")) as {
    epoch: number;
    files: Record<string, number>;
    state: unknown;
  };
/** metrics.jsonl without the wall-clock seconds, each line as JSON text. */
const timeless = (dir: string) =>
  read(dir, "metrics.jsonl")
    .toString("utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const { seconds, ...rest } = JSON.parse(line);
      return JSON.stringify(rest);
    });

describeWith([BUILT_CLI], "infomorph train killed with SIGKILL", () => {
  const full = join(root, "full");
  /** ms from checkpoint.json appearing to the uninterrupted run's exit. */
  let trainingMs = 0;

  beforeAll(async () => {
    const { exit } = train([...SETTINGS, "--out", full]);
    const start = await firstCheckpoint(full, exit);
    const done = await exit;
    trainingMs = performance.now() - start;
    expect(done, done.stderr).toMatchObject({ code: 0, signal: null });
  });

  // Two kill moments from a seeded generator. On a machine fast enough to finish the run
  // within 800 ms of its first checkpoint, the window shrinks to 80 % of the run's length
  // so that the kill still lands inside it.
  const rng = new Rng(20_24);
  const moments = [rng.uniform(), rng.uniform()];

  it.each(moments.map((u, i) => ({ kill: i + 1, u })))(
    "resumes to exactly the uninterrupted run (kill $kill at $u of the window)",
    async ({ kill, u }) => {
      const dir = join(root, `killed-${kill}`);
      const delay = u * Math.min(MAX_KILL_DELAY_MS, 0.8 * trainingMs);
      const { child, exit } = train([...SETTINGS, "--out", dir]);
      await firstCheckpoint(dir, exit);
      await sleep(delay);
      child.kill("SIGKILL");
      const killed = await exit;
      expect(killed.signal, `the run ended before the kill ${delay.toFixed(0)} ms in`).toBe(
        "SIGKILL",
      );
      const at = checkpoint(dir).epoch;
      expect(at).toBeLessThan(EPOCHS);
      // the killed writer's lock is left behind; the resume sees its process gone and takes it over
      const lock = JSON.parse(read(dir, "writer.lock").toString("utf8"));
      expect(lock.pid).toBe(child.pid);

      const resumed = await train(["--resume", dir]).exit;
      expect(resumed, resumed.stderr).toMatchObject({ code: 0, signal: null });
      expect(resumed.stderr).toContain(`resuming ${dir} at epoch ${at + 1}/${EPOCHS}`);
      expect(existsSync(join(dir, "writer.lock")), "the lock is given up at the end").toBe(false);

      const [got, want] = [checkpoint(dir), checkpoint(full)];
      expect(got.epoch).toBe(EPOCHS);
      // metrics.jsonl differs in length only by its wall-clock seconds
      expect({ ...got.files, "metrics.jsonl": 0 }).toEqual({ ...want.files, "metrics.jsonl": 0 });
      // the encoded state (weights, optimizer moments, RNG, flips) as the same bytes
      expect(JSON.stringify(got.state) === JSON.stringify(want.state), "checkpoint state").toBe(
        true,
      );
      expect(timeless(dir)).toEqual(timeless(full));
      for (const file of ["atoms.json", "atoms-hidden.f32", "atoms-output.f32"]) {
        expect(read(dir, file).equals(read(full, file)), file).toBe(true);
      }
    },
  );
});
