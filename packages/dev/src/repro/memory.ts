/** `npm run repro -- memory`: the associative-memory experiments (every rule at N = 100, 200, 500, the paper's goals, basins), each an `infomorph memory` run folder (resumable), then docs/RESULTS-memory.md. */

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, hostname, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatGoal, memoryGoal } from "@infomorph/core";
import { RunLock, readMemoryConfig, readResultLines } from "@infomorph/runs";
import { type MemoryRunData, memoryResultsMarkdown, roundedGoal } from "./memory-results.js";
import { bestTrial, readTrialLog } from "./memory-search.js";
import { portableArgs, spliceSection } from "./results.js";

/** The built `infomorph` command (resolved when needed: test runners have no import.meta.resolve). */
const cliMain = (): string => fileURLToPath(import.meta.resolve("infomorph"));

/** One `infomorph memory` run of the reproduction. */
export interface MemoryReproRun {
  /** Folder name under the runs directory, e.g. "n100-hebbian". */
  readonly name: string;
  /** What the results page calls it. */
  readonly label: string;
  /** The `infomorph memory` flags (no --out, --threads). */
  readonly args: readonly string[];
  /** The run whose rows this one's seeds join on the page (more seeds, in their own folder). */
  readonly pools?: string;
}

/** The page's title; everything else on it but the generated section is written by hand. */
const MEMORY_PAGE_TITLE = "# Associative memory: capacity, basins and cost";

const SCAN = "0.2:2.0:0.02";
/**
 * N = 500: coarse below the expected capacities, finer around them (0.04, i.e. 20 patterns),
 * ending at the first failure: α_c depends only on the loads below it, and a failing load
 * costs 5000 epochs of ~0.2 s each.
 */
const SCAN_N500 = "0.4:1.2:0.4,1.3:2.0:0.04";

/** The runs, by set. Seeds: 5 at N = 100 (the minimum), 3 at N = 200; at N = 500 3 for the infomorphic and one-shot rules, 1 for Krauth–Mézard and MPF (cost: an N = 500 epoch is ~40× an N = 100 one). */
export const MEMORY_REPRO: Record<string, readonly MemoryReproRun[]> = {
  n100: [
    run("n100-infomorphic", "infomorphic, redundancy goal", 100, "infomorphic", SCAN, "1:5"),
    run("n100-hebbian", "Hebbian", 100, "hebbian", "0.01:0.5:0.01", "1:5"),
    run("n100-pseudo-inverse", "pseudo-inverse", 100, "pseudo-inverse", "0.5:1.2:0.01", "1:5"),
    run("n100-krauth-mezard", "Krauth–Mézard", 100, "krauth-mezard", SCAN, "1:5"),
    run("n100-mpf", "minimum probability flow", 100, "mpf", SCAN, "1:5"),
    run(
      "n100-infomorphic-mi",
      "infomorphic, joint MI goal I(Y; F, C) (1,1,1,1,0)",
      100,
      "infomorphic",
      SCAN,
      "1:5",
      ["--goal", "1,1,1,1,0", "--stop-after", "3"],
    ),
    run(
      "n100-infomorphic-mi-external",
      "infomorphic, external MI goal I(Y; F) (1,0,1,0,0)",
      100,
      "infomorphic",
      SCAN,
      "1:5",
      ["--goal", "1,0,1,0,0", "--stop-after", "3"],
    ),
    run(
      "n100-infomorphic-opt-i",
      "infomorphic, paper's optimised goal i (−0.27,−0.68,0.68,−0.77,−0.80)",
      100,
      "infomorphic",
      SCAN,
      "1:5",
      ["--goal", "-0.27,-0.68,0.68,-0.77,-0.8", "--stop-after", "3"],
    ),
    run(
      "n100-infomorphic-opt-ii",
      "infomorphic, paper's optimised goal ii (0.48,−0.16,0.25,0.04,−0.63)",
      100,
      "infomorphic",
      SCAN,
      "1:5",
      ["--goal", "0.48,-0.16,0.25,0.04,-0.63", "--stop-after", "3"],
    ),
    run(
      "n100-infomorphic-full-epochs",
      "infomorphic, redundancy goal, all 5000 epochs",
      100,
      "infomorphic",
      "0.1:1.4:0.1",
      "1:5",
      ["--full-epochs"],
    ),
  ],
  n200: [
    run("n200-infomorphic", "infomorphic, redundancy goal", 200, "infomorphic", SCAN, "1:3", [
      "--stop-after",
      "3",
    ]),
    run("n200-hebbian", "Hebbian", 200, "hebbian", "0.01:0.3:0.005", "1:3"),
    run("n200-pseudo-inverse", "pseudo-inverse", 200, "pseudo-inverse", "0.9:1.05:0.005", "1:3"),
    run("n200-krauth-mezard", "Krauth–Mézard", 200, "krauth-mezard", SCAN, "1:3", [
      "--stop-after",
      "3",
    ]),
    run("n200-mpf", "minimum probability flow", 200, "mpf", SCAN, "1:3", ["--stop-after", "3"]),
  ],
  n500: [
    run("n500-infomorphic", "infomorphic, redundancy goal", 500, "infomorphic", SCAN_N500, "1", [
      "--stop-after",
      "1",
    ]),
    run("n500-hebbian", "Hebbian", 500, "hebbian", "0.05:0.25:0.002", "1:3", ["--stop-after", "5"]),
    run("n500-pseudo-inverse", "pseudo-inverse", 500, "pseudo-inverse", "0.97:1.01:0.002", "1:3"),
    run("n500-krauth-mezard", "Krauth–Mézard", 500, "krauth-mezard", SCAN_N500, "1", [
      "--stop-after",
      "1",
    ]),
    run("n500-mpf", "minimum probability flow", 500, "mpf", SCAN_N500, "1", ["--stop-after", "1"]),
    // seeds 2 and 3 came later, each in its own folder so that they can run side by side
    ...[2, 3].map((seed) => ({
      ...run(
        `n500-infomorphic-s${seed}`,
        "infomorphic, redundancy goal",
        500,
        "infomorphic",
        SCAN_N500,
        String(seed),
        ["--stop-after", "1"],
      ),
      pools: "n500-infomorphic",
    })),
  ],
};

function run(
  name: string,
  label: string,
  neurons: number,
  rule: string,
  loads: string,
  seeds: string,
  extra: readonly string[] = [],
): MemoryReproRun {
  return {
    name,
    label,
    args: [
      "--rule",
      rule,
      "--neurons",
      String(neurons),
      "--load",
      loads,
      "--seeds",
      seeds,
      ...extra,
    ],
  };
}

/**
 * The best goal of the goal search (`npm run repro -- memory-search`), measured as the paper's
 * goals are: five seeds, the whole scan. Its goal is the one its folder was started with, else
 * the search's best so far; none before the search has told a trial.
 */
function searchedRun(runsDir: string): MemoryReproRun[] {
  const dir = join(runsDir, "n100-infomorphic-searched");
  const goal = existsSync(join(dir, "config.json"))
    ? formatGoal(memoryGoal(readMemoryConfig(dir).experiment.infomorphic.goal))
    : bestTrial(readTrialLog(join(runsDir, "memory-search")))?.goal;
  if (goal === undefined) return [];
  return [
    run(
      "n100-infomorphic-searched",
      `infomorphic, searched goal (${roundedGoal(goal)})`,
      100,
      "infomorphic",
      SCAN,
      "1:5",
      ["--goal", goal, "--stop-after", "3"],
    ),
  ];
}

/** Run the memory sets (resuming folders that exist), then write the results page. */
export async function reproMemory(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    allowPositionals: false,
    options: {
      sets: { type: "string", default: Object.keys(MEMORY_REPRO).join(",") },
      only: { type: "string" },
      jobs: { type: "string", default: "2" },
      threads: { type: "string", default: "1" },
      "runs-dir": { type: "string", default: "runs/repro/memory" },
      out: { type: "string", default: "docs/RESULTS-memory.md" },
      "report-only": { type: "boolean", default: false },
      partial: { type: "boolean", default: false },
    },
  });
  const sets = values.sets!.split(",").map((s) => s.trim());
  const unknown = sets.find((s) => !(s in MEMORY_REPRO));
  if (unknown) {
    process.stderr.write(
      `error: unknown set "${unknown}"; sets: ${Object.keys(MEMORY_REPRO).join(", ")}. Example: npm run repro -- memory --sets n100\n`,
    );
    return 2;
  }
  const runsDir = resolve(values["runs-dir"]!);
  const all = [
    ...sets.flatMap((s) => MEMORY_REPRO[s]),
    ...(sets.includes("n100") ? searchedRun(runsDir) : []),
  ];
  const only = values.only?.split(",").map((s) => s.trim());
  const missing = only?.find((name) => !all.some((r) => r.name === name));
  if (missing) {
    process.stderr.write(
      `error: no run "${missing}" in sets ${sets.join(", ")}; runs: ${all.map((r) => r.name).join(", ")}.\n`,
    );
    return 2;
  }
  // --only runs a subset; the page still reports every run of the sets that has a folder
  const runs = only ? all.filter((r) => only.includes(r.name)) : all;
  const started = new Date();
  const failures = new Map<string, string>();
  if (!values["report-only"]) {
    mkdirSync(runsDir, { recursive: true });
    const parallel = Math.max(1, Number(values.jobs));
    process.stderr.write(
      `memory reproduction: ${runs.length} runs, ${parallel} at a time, ${values.threads} thread(s) each, into ${runsDir}\n`,
    );
    let next = 0;
    const worker = async () => {
      while (next < runs.length) {
        const r = runs[next++];
        const failure = await runOne(r, runsDir, values.threads!);
        if (failure !== null) failures.set(r.name, failure);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  }
  const data: MemoryRunData[] = all.flatMap((r) => {
    const dir = join(runsDir, r.name);
    if (!existsSync(join(dir, "config.json"))) return [];
    return [{ run: r, dir, config: readMemoryConfig(dir), lines: readResultLines(dir).lines }];
  });
  const out = values.out!;
  // as for the training experiments: a page is rewritten only from runs that all finished
  const incomplete = all.flatMap((r) => {
    const failure = failures.get(r.name);
    if (failure !== undefined) return [`${r.name} (${failure})`];
    if (!data.some((d) => d.run.name === r.name)) return [`${r.name} (no run folder)`];
    const writer = liveWriter(join(runsDir, r.name));
    return writer === null ? [] : [`${r.name} (still running: process ${writer})`];
  });
  if (incomplete.length > 0 && !values.partial) {
    process.stderr.write(
      `error: ${incomplete.length} of ${all.length} runs failed, are missing or still run, so ${out} was not rewritten: ${incomplete.join("; ")}. Fix the cause and run the same command again (finished tasks are kept, the rest resume), or add --partial to write the page anyway.\n`,
    );
    return 1;
  }
  const search = readTrialLog(join(runsDir, "memory-search"));
  const shown = portableArgs(argv).filter(
    (a, i) => !["--report-only", "--partial", "--out"].includes(a) && argv[i - 1] !== "--out",
  );
  const markdown = memoryResultsMarkdown(data, search, {
    command: `npm run repro -- memory ${shown.join(" ")}`.trim(),
    date: started.toISOString().slice(0, 10),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`,
    loadavg: values["report-only"] ? null : loadavg(),
    missing: incomplete,
  });
  const page = existsSync(out) ? readFileSync(out, "utf8") : `${MEMORY_PAGE_TITLE}\n`;
  writeFileSync(out, spliceSection(page, "memory", markdown));
  process.stderr.write(`wrote ${out} (${data.length} of ${all.length} runs)\n`);
  return 0;
}

/** The process id of a live process on this host that writes run folder `dir`, or null. */
function liveWriter(dir: string): number | null {
  const holder = RunLock.holder(dir);
  if (holder === null || holder.host !== hostname() || holder.pid <= 0) return null;
  try {
    process.kill(holder.pid, 0);
    return holder.pid;
  } catch {
    return null;
  }
}

/** One run as a child `infomorph memory`, resuming its folder if it exists. Resolves to null, or to why it failed. */
function runOne(r: MemoryReproRun, runsDir: string, threads: string): Promise<string | null> {
  const dir = join(runsDir, r.name);
  const args = existsSync(join(dir, "config.json"))
    ? ["memory", "--resume", dir, "--threads", threads, "--json"]
    : ["memory", ...r.args, "--out", dir, "--threads", threads, "--json"];
  process.stderr.write(`start ${r.name}\n`);
  return new Promise((done) => {
    const child = spawn(process.execPath, [cliMain(), ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let last = "";
    child.stderr.on("data", (d) => {
      last = String(d).trim().split("\n").at(-1) ?? last;
    });
    child.on("close", (code) => {
      process.stderr.write(
        code === 0 ? `done  ${r.name}\n` : `FAILED ${r.name} (exit ${code}): ${last}\n`,
      );
      done(code === 0 ? null : `exit ${code}: ${last}`);
    });
  });
}
