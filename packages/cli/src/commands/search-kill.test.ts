import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "@infomorph/core";
import { type LogRecord, readTrialLog, samplerEvents } from "@infomorph/search";
import { expect, it } from "vitest";
import { BUILT_CLI, describeWith } from "../../../../test/prerequisites.js";
import { infomorph } from "../../testing/built-cli.js";

/**
 * A real `infomorph search` (study folder, local worker processes) killed with SIGKILL at a
 * random moment, then resumed: with one trial at a time the study is deterministic, so the
 * resumed study must hold exactly the trials, parameters and values of one never killed,
 * each trial told once, and the killed coordinator's worker processes must not outlive it.
 */

const STUDY = [
  "search",
  ...["--dataset", "embedded", "--hidden", "8", "--epochs", "3", "--train-samples", "600"],
  ...["--batch-size", "100", "--trials", "5", "--startup-trials", "2", "--jobs", "1"],
];

const root = mkdtempSync(join(tmpdir(), "infomorph-search-kill-"));

/**
 * The records of a study's log, read as the product reads it: the tests poll the log while its
 * coordinator appends, and readTrialLog leaves a line still being written for the next poll.
 */
const log = (dir: string): LogRecord[] => readTrialLog(join(dir, "trials.jsonl")).records;
/** The asks and tells of a log without times, in order. */
const decisions = (dir: string) => samplerEvents(log(dir)).map((e) => JSON.stringify(e));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** The child processes of `pid` (Linux /proc). */
const childrenOf = (pid: number) =>
  readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return (
          readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1].split(" ")[1] === String(pid)
        );
      } catch {
        return false;
      }
    })
    .map(Number);
const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));

/** `--resume` completes the study in `dir` to the same trials and results as `whole`. */
async function expectResumedLikeWhole(dir: string, whole: string): Promise<void> {
  const resumed = await infomorph(["search", "--resume", dir, "--jobs", "1", "--json"]).exit;
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(JSON.parse(resumed.stdout)).toMatchObject({ done: 5, failed: 0, stopped: false });
  expect(decisions(dir)).toEqual(decisions(whole));
}

describeWith([BUILT_CLI], "infomorph search killed (SIGKILL, Ctrl-C) and resumed", () => {
  it("resumes to the same study as one never killed, each trial told once", async () => {
    const whole = join(root, "whole");
    const done = await infomorph([...STUDY, "--out", whole]).exit;
    expect(done.code, done.stderr).toBe(0);
    expect(log(whole).filter((r) => "tell" in r)).toHaveLength(5);

    const rng = new Rng(Date.now() % 2 ** 32);
    const killed = join(root, "killed");
    const first = infomorph([...STUDY, "--out", killed]);
    // Kill once the study has told 0–2 trials, at a random moment inside the trial that follows:
    // within one trial's time as the whole study took it, so that on a fast machine the study
    // cannot end first.
    const tellTimes = log(whole)
      .filter((r) => "tell" in r)
      .map((r) => Date.parse(r.at));
    const trialMs = Math.min(...tellTimes.slice(1).map((t, i) => t - tellTimes[i]));
    const tellsBefore = Math.floor(rng.uniform() * 3);
    const target = () =>
      existsSync(join(killed, "trials.jsonl")) &&
      log(killed).filter((r) => "tell" in r).length >= tellsBefore;
    while (!target()) await sleep(5);
    await sleep(rng.uniform() * trialMs);
    const workers = childrenOf(first.child.pid as number);
    first.child.kill("SIGKILL");
    expect((await first.exit).signal).toBe("SIGKILL");
    // A worker notices the closed channel when its event loop next runs: after the batch or the
    // dataset load in progress, measured at up to 3 s on a loaded 2-core machine; 15 s is the bound.
    for (let i = 0; i < 600 && workers.some(alive); i++) await sleep(25);
    expect(workers.filter(alive), "worker processes outlived their coordinator").toEqual([]);

    await expectResumedLikeWhole(killed, whole);
  });

  it("stops on Ctrl-C like train (exit 130, the running trial kept) and resumes to the same study", async () => {
    const whole = join(root, "whole");
    const stopped = join(root, "ctrl-c");
    const checkpoint = (id: number) =>
      join(stopped, "trials", String(id).padStart(6, "0"), "s1", "checkpoint.json");
    const first = infomorph([...STUDY, "--out", stopped]);
    // Ctrl-C once the first trial is told: the next one is training (polling can miss the
    // moment of exactly one tell on a fast machine, so any number from one on will do).
    const training = () =>
      existsSync(join(stopped, "trials.jsonl")) &&
      log(stopped).filter((r) => "tell" in r).length >= 1;
    while (!training()) await sleep(5);
    first.child.kill("SIGINT");
    const exit = await first.exit;
    expect(exit.code, exit.stderr).toBe(130);
    expect(exit.stderr).toContain(
      "stopping: the running trials stop after their batch (Ctrl-C again to quit at once)…",
    );
    expect(exit.stderr).toContain(`interrupted; resume with: infomorph search --resume ${stopped}`);
    // The trial running at Ctrl-C stopped untold with its run folder kept, or (on a slow
    // machine) finished first and was told; no other trial was asked after it.
    const records = log(stopped);
    const told = new Set(records.filter((r) => "tell" in r).map((r) => r.tell));
    const untold = records.flatMap((r) => ("ask" in r && !told.has(r.ask) ? [r.ask] : []));
    expect(told.size).toBeGreaterThanOrEqual(1);
    expect(untold.length).toBeLessThanOrEqual(1);
    for (const id of untold) expect(existsSync(checkpoint(id))).toBe(true);

    await expectResumedLikeWhole(stopped, whole);
  });

  it("writes the study's report page", async () => {
    const dir = join(root, "whole");
    const report = await infomorph(["search", "report", dir]).exit;
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toBe(`${join(dir, "report.html")}\n`);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain("<b>5</b><span>complete of 5</span>");
    const missing = await infomorph(["search", "report", join(root, "nothing")]).exit;
    expect(missing.stderr).toBe(
      `error: study folder ${join(root, "nothing")} does not exist. Give the folder 'infomorph search' printed.\n`,
    );
  });

  it("refuses a resume with other settings or fewer trials", async () => {
    const dir = join(root, "whole");
    const other = await infomorph(["search", "--resume", dir, "--epochs", "4"]).exit;
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      `error: --epochs cannot be given with --resume: a resumed study keeps its settings (${dir}/study.json). Only --trials (the new total), --jobs, --threads, --kernels, --lease, --trial-timeout, --poll and --json may be added.\n`,
    );
    const fewer = await infomorph(["search", "--resume", dir, "--trials", "3"]).exit;
    expect(fewer.stderr).toBe(
      `error: --trials 3 is below the 5 trials ${dir} has already asked. Give --trials 5 or more.\n`,
    );
  });
});
