/**
 * `npm run repro -- memory-search`: does a searched goal beat pure redundancy? TPE (core's
 * samplers) over the memory neuron's five goal weights (4 atoms and H_res, each in [−1, 1], as
 * the paper's Bayesian optimisation), each trial an `infomorph memory` capacity scan of one
 * pattern seed; resumable through the trial log. The best goal found is then measured like
 * the paper's goals by `npm run repro -- memory` (run "n100-infomorphic-searched").
 */

import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  MEMORY_CLASS_NAMES,
  type Sampler,
  type TrialEvent,
  capacities,
  createSampler,
  formatGoal,
  goalFromParams,
  goalSearchSpace,
  replay,
  resolveMemoryExperiment,
} from "@infomorph/core";
import { readMemoryConfig, readResultLines } from "@infomorph/runs";

/**
 * What each trial scans: N = 100, one seed, loads 0.2…1.2 in steps of 0.2 (so that poor goals
 * are graded too), then 1.3…2.0 in steps of 0.02, ending at the first failure.
 */
export const SEARCH_SCAN = [
  "--rule",
  "infomorphic",
  "--neurons",
  "100",
  "--load",
  "0.2:1.2:0.2,1.3:2.0:0.02",
  "--stop-after",
  "1",
  "--cue-noise",
  "none",
] as const;

const LAYER = { sources: 2, classNames: MEMORY_CLASS_NAMES };
const LOG = "trials.jsonl";

/** The search space: the four atoms and H_res free in [−1, 1]. */
export function memoryGoalSpace() {
  return goalSearchSpace({ ...LAYER, fixed: {} });
}

/** A fresh sampler of the search (TPE, multivariate, 10 random start trials), maximising α_c. */
export function memorySearchSampler(seed: number): Sampler {
  return createSampler(memoryGoalSpace(), {
    kind: "tpe",
    seed,
    direction: "maximize",
    multivariate: true,
    nStartupTrials: 10,
  });
}

/** The trial log of `dir`: asks with their parameters, tells with α_c. */
export function readTrialLog(dir: string): TrialEvent[] {
  const path = join(dir, LOG);
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as TrialEvent);
}

/** The best told trial of a log (highest α_c; the earlier one on ties), or null. */
export function bestTrial(
  events: readonly TrialEvent[],
): { id: number; alphaC: number; goal: string } | null {
  const params = new Map<number, Readonly<Record<string, number>>>();
  let best: { id: number; alphaC: number; goal: string } | null = null;
  for (const e of events) {
    if ("ask" in e) params.set(e.ask, e.params);
    else if (typeof e.result === "number" && (best === null || e.result > best.alphaC)) {
      best = {
        id: e.tell,
        alphaC: e.result,
        goal: formatGoal(goalFromParams(params.get(e.tell)!, LAYER)),
      };
    }
  }
  return best;
}

/** Run the search up to `--trials` told trials (resuming the log in the search folder). */
export async function reproMemorySearch(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      trials: { type: "string", default: "30" },
      seed: { type: "string", default: "1" },
      "runs-dir": { type: "string", default: "runs/repro/memory" },
    },
  });
  const dir = join(resolve(values["runs-dir"]!), "memory-search");
  mkdirSync(dir, { recursive: true });
  const sampler = memorySearchSampler(Number(values.seed));
  const events = readTrialLog(dir);
  replay(sampler, events);
  const asked = new Set(events.flatMap((e) => ("ask" in e ? [e.ask] : [])));
  const told = new Set(events.flatMap((e) => ("tell" in e ? [e.tell] : [])));
  const log = (event: TrialEvent) => appendFileSync(join(dir, LOG), `${JSON.stringify(event)}\n`);
  // a trial asked but not told (the search was stopped during it) is run again under its id
  for (const id of [...asked].filter((id) => !told.has(id))) {
    const params = events.find((e) => "ask" in e && e.ask === id) as {
      params: Record<string, number>;
    };
    const alphaC = await scan(dir, id, params.params);
    sampler.tell(id, alphaC);
    log({ tell: id, result: alphaC });
    told.add(id);
  }
  while (told.size < Number(values.trials)) {
    const trial = sampler.ask();
    log({ ask: trial.id, params: trial.params });
    const alphaC = await scan(dir, trial.id, trial.params);
    sampler.tell(trial.id, alphaC);
    log({ tell: trial.id, result: alphaC });
    told.add(trial.id);
    const best = bestTrial(readTrialLog(dir));
    process.stderr.write(
      `trial ${trial.id}: α_c ${alphaC} for ${formatGoal(goalFromParams(trial.params, LAYER))}; best so far ${best?.alphaC} (trial ${best?.id})\n`,
    );
  }
  return 0;
}

/** One trial: an `infomorph memory` scan with the trial's goal (resumed if its folder exists); its α_c. */
async function scan(
  dir: string,
  id: number,
  params: Readonly<Record<string, number>>,
): Promise<number> {
  const out = join(dir, `trial-${id}`);
  const goal = formatGoal(goalFromParams(params, LAYER));
  const args = existsSync(join(out, "config.json"))
    ? ["memory", "--resume", out, "--threads", "1", "--json"]
    : [
        "memory",
        ...SEARCH_SCAN,
        "--goal",
        goal,
        "--seeds",
        "1",
        "--threads",
        "1",
        "--out",
        out,
        "--json",
      ];
  const code = await new Promise<number | null>((done) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(import.meta.resolve("infomorph")), ...args],
      {
        stdio: ["ignore", "ignore", "ignore"],
      },
    );
    child.on("close", done);
  });
  if (code !== 0) throw new Error(`trial ${id}: infomorph memory exited ${code}; see ${out}`);
  const experiment = resolveMemoryExperiment(readMemoryConfig(out).experiment);
  const [capacity] = capacities(
    readResultLines(out).lines,
    experiment.criterion,
    experiment.threshold,
  );
  return capacity.seeds[0].alphaC;
}
