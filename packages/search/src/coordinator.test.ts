import type { Trial } from "@infomorph/core";
import { describe, expect, it } from "vitest";
import { AsyncQueue } from "./async-queue.js";
import { Coordinator, type StudyBackend, type TrialReport } from "./coordinator.js";
import { samplerRecommendation } from "./recommendation.js";
import { type StudyConfig, resolveStudyConfig } from "./study-config.js";
import { type TrialJob, type TrialOutcome, trialOutcome } from "./trial-job.js";
import type { LogRecord } from "./trial-log.js";

const value = (params: Readonly<Record<string, number>>) =>
  1 / (1 + Object.values(params).reduce((s, p) => s + (p - 0.3) ** 2, 0));

/**
 * A backend in memory: every dispatched trial finishes when the test says, in the order the
 * test picks (oldest first, or newest first), so asynchronous studies are reproducible.
 * `crashAfterTells` makes recordTell throw once that many tells are logged: a coordinator
 * killed between two events.
 */
class MemoryBackend implements StudyBackend {
  readonly log: LogRecord[];
  readonly dispatched: number[] = [];
  private readonly running: TrialJob[] = [];
  private readonly reports = new AsyncQueue<TrialReport>();
  private stopping = false;

  constructor(
    readonly config: StudyConfig,
    records: LogRecord[] = [],
    private readonly options: {
      newestFirst?: boolean;
      crashAfterTells?: number;
      failTrials?: number[];
    } = {},
  ) {
    this.log = [...records];
  }

  async records() {
    return [...this.log];
  }
  async recordAsk(trial: Trial) {
    this.log.push({ ask: trial.id, params: trial.params, at: "t" });
  }
  async recordTell(trial: number, result: { outcome: TrialOutcome } | { error: string }) {
    if (this.log.filter((r) => "tell" in r).length === this.options.crashAfterTells)
      throw new Error("killed");
    this.log.push(
      "outcome" in result
        ? { tell: trial, result: result.outcome.value, at: "t", outcome: result.outcome }
        : { tell: trial, result: "failed", at: "t", error: result.error },
    );
  }
  async dispatch(job: TrialJob) {
    this.dispatched.push(job.trial);
    this.running.push(job);
  }
  /** Pending reports first; else the next trial (oldest or newest) finishes, or stops when stopping. */
  next(): Promise<TrialReport> {
    const pending = this.reports.takeWithin(0);
    return pending.then((report) => report ?? this.finishOne());
  }
  private finishOne(): Promise<TrialReport> {
    const job =
      this.options.newestFirst && !this.stopping ? this.running.pop() : this.running.shift();
    if (!job) throw new Error("next() with nothing running");
    if (this.stopping) return Promise.resolve({ kind: "stopped", trial: job.trial });
    this.reports.push(
      this.options.failTrials?.includes(job.trial)
        ? { kind: "failed", trial: job.trial, error: `trial ${job.trial} broke` }
        : {
            kind: "done",
            trial: job.trial,
            outcome: trialOutcome([
              { seed: 1, value: value(job.params), epoch: 1, test: null, seconds: 0 },
            ]),
          },
    );
    return Promise.resolve({
      kind: "epoch",
      trial: job.trial,
      seed: 1,
      epoch: 1,
      epochs: 1,
      validation: 0.5,
    });
  }
  stop() {
    this.stopping = true;
  }
}

const config = (sampler: object, trials = 30) =>
  resolveStudyConfig(
    "s",
    { trials, sampler: { seed: 7, ...sampler }, space: { free: ["(F)(C)", "(F)(L)", "(FC)(FL)"] } },
    "test",
  );
const asksOf = (log: LogRecord[]) =>
  log.flatMap((r) => ("ask" in r ? [JSON.stringify(r.params)] : []));
const tellsOf = (log: LogRecord[]) => log.flatMap((r) => ("tell" in r ? [r.tell] : []));

describe("Coordinator", () => {
  for (const [sampler, jobs] of [
    [{ kind: "tpe", nStartupTrials: 5 }, 1],
    [{ kind: "tpe", nStartupTrials: 5, multivariate: true }, 3],
    [{ kind: "cmaes" }, 4],
  ] as const) {
    it(`${sampler.kind} with ${jobs} at once: a study killed after any tell resumes to the same trials, each told once`, async () => {
      const study = config(sampler);
      const whole = new MemoryBackend(study, [], { newestFirst: true });
      const result = await new Coordinator(whole, { jobs }).run();
      expect(result.stopped).toBe(false);
      expect(tellsOf(whole.log).sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
      for (const crashAfterTells of [0, 1, 7, 13, 29]) {
        const first = new MemoryBackend(study, [], { newestFirst: true, crashAfterTells });
        await expect(new Coordinator(first, { jobs }).run()).rejects.toThrow("killed");
        const second = new MemoryBackend(study, first.log, { newestFirst: true });
        await new Coordinator(second, { jobs }).run();
        // The interrupted trials are dispatched again, before any new one.
        const interrupted = first.log.filter((r) => "ask" in r).length - crashAfterTells;
        expect(second.dispatched.slice(0, interrupted).sort()).toEqual(
          first.dispatched.filter((id) => !tellsOf(first.log).includes(id)).sort(),
        );
        expect(asksOf(second.log), `resumed after ${crashAfterTells} tells`).toEqual(
          asksOf(whole.log),
        );
        expect(tellsOf(second.log)).toEqual(tellsOf(whole.log));
      }
    });
  }

  it("returns CMA-ES's distribution mean as its recommendation, the one a replay of the log gives; none for TPE", async () => {
    const study = config({ kind: "cmaes" }, 12);
    const backend = new MemoryBackend(study, []);
    const result = await new Coordinator(backend, { jobs: 2 }).run();
    expect(result.recommended).not.toBeNull();
    expect(result.recommended).toEqual(samplerRecommendation(study, backend.log));
    expect(Object.keys(result.recommended ?? {})).toEqual(Object.keys(result.trials[0].params));
    const tpe = await new Coordinator(new MemoryBackend(config({ kind: "tpe" }, 3), []), {
      jobs: 1,
    }).run();
    expect(tpe.recommended).toBeNull();
    expect(samplerRecommendation(config({ kind: "tpe" }, 3), backend.log)).toBeNull();
  });

  it("tells failed trials as failed and keeps the best complete one", async () => {
    const backend = new MemoryBackend(config({ kind: "random" }, 6), [], { failTrials: [1, 4] });
    const progress: number[] = [];
    const result = await new Coordinator(backend, {
      jobs: 2,
      onProgress: (p) => progress.push(p.failed),
    }).run();
    expect(result.trials.map((t) => t.state)).toEqual([
      "complete",
      "failed",
      "complete",
      "complete",
      "failed",
      "complete",
    ]);
    expect(result.trials[1].error).toBe("trial 1 broke");
    expect(progress.at(-1)).toBe(2);
  });

  it("stops asking on stop(), and leaves the running trials running in the log", async () => {
    const backend = new MemoryBackend(config({ kind: "random" }, 20));
    const coordinator = new Coordinator(backend, {
      jobs: 3,
      onProgress: (p) => {
        if (p.done === 5) coordinator.stop();
      },
    });
    const result = await coordinator.run();
    expect(result.stopped).toBe(true);
    expect(tellsOf(backend.log)).toHaveLength(5);
    expect(result.trials.filter((t) => t.state === "running").map((t) => t.id)).toEqual([5, 6, 7]);
  });
});
