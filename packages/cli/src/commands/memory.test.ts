import { spawn } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { type ResultLine, readAtoms } from "@infomorph/runs";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILT_CLI, describeWith } from "../../../../test/prerequisites.js";
import { CLI_DIST } from "../../testing/built-cli.js";
import { cli } from "../../testing/cli.js";

const root = mkdtempSync(join(tmpdir(), "infomorph-memory-"));

/** 3 loads × 2 seeds × 3 rules at N = 30: 18 small tasks, a few seconds on one thread. */
const SCAN = [
  "--neurons",
  "30",
  "--load",
  "0.1:0.5:0.2",
  "--rule",
  "hebbian,pseudo-inverse,infomorphic",
  "--seeds",
  "1,2",
  "--epochs",
  "200",
  "--threads",
  "1",
];

const lines = (dir: string): ResultLine[] =>
  readFileSync(join(dir, "results.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as ResultLine);
/** Results without wall-clock seconds, keyed and sorted, as JSON text. */
const timeless = (dir: string) =>
  lines(dir)
    .map(({ seconds, atoms, goalAtoms, ...rest }) => JSON.stringify(rest))
    .sort();

describe("infomorph memory", () => {
  const full = join(root, "full");
  let scan: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    scan = await cli("memory", ...SCAN, "--out", full);
  });

  it("runs every rule, seed and load into a run folder and prints α_c per rule", () => {
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stderr).toContain(
      `memory run ${full}: hebbian, pseudo-inverse, infomorphic; N = 30; 3 loads × 2 seeds;`,
    );
    expect(scan.stderr).toMatch(/\[18\/18\] {2}infomorphic α=0\.500 seed 2: {2}(stored|failed)/);
    const results = lines(full);
    expect(results).toHaveLength(18);
    expect(new Set(results.map((r) => `${r.rule}/${r.seed}/${r.patterns}`)).size).toBe(18);
    const summary = JSON.parse(readFileSync(join(full, "summary.json"), "utf8"));
    expect(summary.tasksDone).toBe(18);
    const pinv = summary.capacity.find((c: { rule: string }) => c.rule === "pseudo-inverse");
    // 15 patterns of 30 neurons lie well below N − 1: the projection rule stores every load
    expect(pinv).toMatchObject({ mean: 0.5, min: 0.5, max: 0.5, lowerBound: true });
    expect(scan.stdout).toMatch(/pseudo-inverse\s+≥ 0\.500 ± 0\.000\s+0\.50–0\.50\s+2/);
    expect(scan.stdout).toContain(
      "α_c: the last load stored (mean-cosine ≥ 0.95) before the first that is not",
    );
    expect(scan.stdout).toContain(`run      ${full}`);
    const table = readFileSync(join(full, "results.csv"), "utf8").trim().split("\n");
    expect(table[0]).toBe(
      "rule,seed,neurons,patterns,load,stored,mean_cosine,stored_fraction,fixed_point_fraction,cue0.05_stored_fraction,cue0.05_mean_cosine,cue0.1_stored_fraction,cue0.1_mean_cosine,cue0.2_stored_fraction,cue0.2_mean_cosine,epochs,seconds",
    );
    expect(table).toHaveLength(19);
    expect(table[1]).toMatch(/^hebbian,1,30,3,0\.1,1,1,1,1,/);
  });

  it("stores every neuron's atoms, and the infomorphic goal atoms, in atoms.f32", () => {
    const info = lines(full).find((r) => r.rule === "infomorphic" && r.patterns === 9)!;
    expect(info.atoms.length).toBe(30 * 5);
    expect(info.goalAtoms).toEqual({ offset: info.atoms.offset + 150, length: 150 });
    const goal = readAtoms(full, info.goalAtoms!);
    // the goal atoms of neuron 0 stack up to H(Y) ≤ 1 bit
    const sum = goal.subarray(0, 5).reduce((s, v) => s + v, 0);
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThanOrEqual(1 + 1e-6);
    const hebb = lines(full).find((r) => r.rule === "hebbian")!;
    expect(hebb.goalAtoms).toBeNull();
    expect(hebb.epochs).toBeNull();
  });

  it("resumes a folder cut off mid-write to exactly the uninterrupted run", async () => {
    const dir = join(root, "cut");
    cpSync(full, dir, { recursive: true });
    const text = readFileSync(join(dir, "results.jsonl"), "utf8").split("\n");
    const keep = text.slice(0, 7).join("\n");
    // seven whole lines, then half of the eighth, and atoms past the seventh task
    writeFileSync(join(dir, "results.jsonl"), `${keep}\n${text[7].slice(0, 40)}`);
    const seventh = JSON.parse(text[6]) as ResultLine;
    const end = seventh.goalAtoms ?? seventh.atoms;
    truncateSync(join(dir, "atoms.f32"), 4 * (end.offset + end.length));
    appendFileSync(join(dir, "atoms.f32"), Buffer.alloc(24, 7));
    const resumed = await cli("memory", "--resume", dir, "--threads", "1");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${dir} with 7 of 18 tasks done`);
    expect(timeless(dir)).toEqual(timeless(full));
    expect(readFileSync(join(dir, "atoms.f32")).equals(readFileSync(join(full, "atoms.f32")))).toBe(
      true,
    );
    const again = await cli("memory", "--resume", dir, "--threads", "1");
    expect(again.stdout).toContain("tasks    18 of 18 done");
  });

  it("skips a scan's higher loads after --stop-after consecutive failures", async () => {
    const dir = join(root, "stop");
    const r = await cli(
      "memory",
      ...["--neurons", "30", "--load", "0.1:0.9:0.2", "--rule", "hebbian", "--seeds", "1"],
      ...["--stop-after", "2", "--threads", "1", "--out", dir],
    );
    expect(r.code, r.stderr).toBe(0);
    // Hebbian at N = 30 fails from α = 0.3 on: 0.3 and 0.5 fail, 0.7 and 0.9 are skipped
    expect(lines(dir).map((l) => l.patterns)).toEqual([3, 9, 15]);
    expect(r.stdout).toContain("tasks    3 of 5 done, 2 skipped past capacity");
  });

  it.each([
    [
      ["--neurons", "1"],
      "error: an associative memory needs an integer number of neurons ≥ 2 (got 1); the paper uses 100.\n",
      1,
    ],
    [
      ["--load", "0"],
      "error: a load α = patterns / neurons must be a number > 0 (got 0); e.g. 0.2.\n",
      1,
    ],
    [
      ["--bins", "1"],
      "error: bins must be an integer from 2 to 255 (got 1); the paper uses 60.\n",
      1,
    ],
    [
      ["--goal", "trivariate-opt1"],
      `error: the goal "trivariate-opt1" is for a layer with the sources F, C, L, but this layer has F, C. Named goals for this layer: bivariate-context-heuristic, bivariate-context-opt1, bivariate-context-opt2, output-layer, redundancy; or write atom weights such as "(F)(C)=1, (F)=0.1".\n`,
      1,
    ],
    [
      ["--resume", "x", "--neurons", "50"],
      "error: --neurons cannot be given with --resume: a resumed run keeps the settings in x/config.json. Only --threads, --kernels and --json may be added.\n",
      2,
    ],
    [
      ["--rule", "storkey"],
      "error: --rule must be one of infomorphic, hebbian, pseudo-inverse, krauth-mezard, mpf, all (got storkey). Try --rule infomorphic.\n",
      2,
    ],
  ])("rejects %j with one sentence", async (args, message, code) => {
    const r = await cli("memory", ...args, "--out", join(root, `bad-${args.join("")}`));
    expect(r.stderr).toBe(message);
    expect(r.code).toBe(code);
  });

  it("refuses a folder another live process is writing, and takes over a dead one's lock", async () => {
    const dir = join(root, "locked");
    cpSync(full, dir, { recursive: true });
    const holder = (pid: number) =>
      `${JSON.stringify({ pid, host: hostname(), since: "2025-01-01T00:00:00.000Z" })}\n`;
    writeFileSync(join(dir, "writer.lock"), holder(process.ppid));
    const locked = await cli("memory", "--resume", dir, "--threads", "1");
    expect(locked.code).toBe(1);
    expect(locked.stderr).toBe(
      `error: run ${dir} is in use by process ${process.ppid} on ${hostname()} (since 2025-01-01T00:00:00.000Z). Wait for it to finish or stop it, then try again.\n`,
    );
    // no process has pid 2^22 + 1 on Linux (pid_max ≤ 2^22)
    writeFileSync(join(dir, "writer.lock"), holder(2 ** 22 + 1));
    const taken = await cli("memory", "--resume", dir, "--threads", "1");
    expect(taken.code, taken.stderr).toBe(0);
    expect(existsSync(join(dir, "writer.lock"))).toBe(false);
  });
});

describeWith([BUILT_CLI], "infomorph memory on worker threads (built CLI)", () => {
  it("gives the same results on 3 threads as on 1, and stops cleanly on Ctrl-C", async () => {
    const dir = join(root, "threads");
    const child = spawn(
      process.execPath,
      [CLI_DIST, "memory", ...SCAN.slice(0, -2), "--threads", "3", "--out", dir],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(code, stderr).toBe(0);
    expect(timeless(dir)).toEqual(timeless(join(root, "full")));

    const slow = join(root, "interrupted");
    const scan = spawn(
      process.execPath,
      [
        CLI_DIST,
        "memory",
        "--neurons",
        "40",
        "--load",
        "1.8:2.0:0.1",
        "--seeds",
        "1:4",
        "--threads",
        "2",
        "--out",
        slow,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    let signalled = false;
    scan.stderr.on("data", (chunk) => {
      log += chunk;
      if (!signalled && log.includes("[1/")) {
        signalled = true;
        scan.kill("SIGINT");
      }
    });
    const interrupted = await new Promise<number | null>((done) => scan.on("close", done));
    expect(interrupted, log).toBe(130);
    expect(log).toContain(`resume with: infomorph memory --resume ${slow}`);
    const done = lines(slow).length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(12);
  });
});
