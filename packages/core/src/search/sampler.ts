/** The ask/tell interface every sampler implements, the trial book-keeping they share, and replay of a study's trial log. */

import { InfomorphError } from "../errors.js";
import { type SearchSpace, paramsFromUnit } from "./space.js";

/** Whether smaller ("minimize", Optuna's default) or larger objective values are better. */
export type Direction = "minimize" | "maximize";

/** A point to evaluate: its id (0, 1, 2, … in ask order) and every parameter, free and fixed. */
export interface Trial {
  readonly id: number;
  readonly params: Readonly<Record<string, number>>;
}

/** What a trial gave: a finite objective value, or "failed" (it is then ignored, as Optuna ignores failed trials). */
export type TrialResult = number | "failed";

/**
 * A sampler in ask/tell form, for a study whose trials run anywhere, several at once.
 *
 * - `ask()` returns a new trial; any number may be outstanding (asked, not told).
 * - `tell(id, value)` or `tell(id, "failed")` reports a trial once, in any order.
 * - Every decision is a deterministic function of the seed and of the sequence of asks and
 *   tells so far, so a study resumes exactly by replaying its trial log ({@link replay}).
 */
export interface Sampler {
  readonly space: SearchSpace;
  readonly direction: Direction;
  ask(): Trial;
  tell(id: number, result: TrialResult): void;
  /**
   * The sampler's own estimate of the best parameters, where it keeps one beside its trials:
   * CMA-ES's distribution mean (pycma's "xfavorite"), a weighted recombination of the best
   * samples and so less exposed than the best trial to one lucky result of a noisy objective.
   */
  recommend?(): Record<string, number>;
}

/** Options every sampler takes. */
export interface SamplerOptions {
  /** Seed of the sampler's generator: any integer in [0, 2^53). */
  readonly seed: number;
  /** Default "minimize". */
  readonly direction?: Direction;
}

/**
 * What every sampler shares: the space, the direction and the trial history, and a tell
 * that records the result (samplers that learn from results override it and call super).
 */
export abstract class SamplerBase implements Sampler {
  readonly space: SearchSpace;
  readonly direction: Direction;
  protected readonly history: TrialHistory;

  constructor(space: SearchSpace, options: SamplerOptions) {
    this.history = new TrialHistory(space, options.direction);
    this.space = space;
    this.direction = this.history.direction;
  }

  abstract ask(): Trial;

  tell(id: number, result: TrialResult): void {
    this.history.tell(id, result);
  }
}

/** One line of a trial log: an ask with the parameters it returned, or a tell. */
export type TrialEvent =
  | { readonly ask: number; readonly params: Readonly<Record<string, number>> }
  | { readonly tell: number; readonly result: TrialResult };

/**
 * Bring a fresh sampler (same space, options and seed as the one that wrote the log) to the
 * state the log describes, by asking and telling in the logged order. Each replayed ask must
 * return the logged id and parameters bit for bit; otherwise the log was written by another
 * sampler configuration (or version) and "search/replay-mismatch" is thrown.
 */
export function replay(sampler: Sampler, events: Iterable<TrialEvent>): void {
  for (const event of events) {
    if ("tell" in event) {
      sampler.tell(event.tell, event.result);
      continue;
    }
    const trial = sampler.ask();
    const same =
      trial.id === event.ask &&
      Object.keys(event.params).length === Object.keys(trial.params).length &&
      Object.entries(trial.params).every(([k, v]) => Object.is(event.params[k], v));
    if (!same) {
      throw new InfomorphError({
        code: "search/replay-mismatch",
        path: ["ask", event.ask],
        message: `replaying the trial log, ask ${event.ask} gave trial ${trial.id} with other parameters than the log holds; the log was written with another sampler, seed or version. Start a new study, or replay with the sampler settings it was written with.`,
      });
    }
  }
}

/** A trial as a sampler keeps it: its point in the unit cube and, once told, its loss. */
export interface TrialRecord {
  readonly id: number;
  /** Coordinates in [0, 1], one per free parameter. */
  readonly unit: Float64Array;
  state: "running" | "complete" | "failed";
  /** The value as a loss to minimise (negated for "maximize"); NaN until complete. */
  loss: number;
}

/**
 * The trials of one sampler, in ask order: ids, states and losses, with the checks every
 * tell needs (known id, told once, finite value).
 */
export class TrialHistory {
  readonly direction: Direction;
  private readonly records: TrialRecord[] = [];

  constructor(
    readonly space: SearchSpace,
    direction: Direction = "minimize",
  ) {
    if (direction !== "minimize" && direction !== "maximize") {
      throw new InfomorphError({
        code: "search/bad-direction",
        path: ["direction"],
        message: `direction must be "minimize" or "maximize" (got ${JSON.stringify(direction)}).`,
      });
    }
    this.direction = direction;
  }

  /** Record a new running trial at `unit` and return it with its parameters. */
  add(unit: Float64Array): Trial {
    const id = this.records.length;
    this.records.push({ id, unit, state: "running", loss: Number.NaN });
    return { id, params: paramsFromUnit(this.space, unit) };
  }

  /** Record a trial's result; returns the record. */
  tell(id: number, result: TrialResult): TrialRecord {
    const record = Number.isInteger(id) ? this.records[id] : undefined;
    if (record === undefined) {
      throw new InfomorphError({
        code: "search/unknown-trial",
        path: ["id"],
        message: `trial ${id} was never asked (trials 0…${this.records.length - 1} were). Tell only ids that ask() returned.`,
      });
    }
    if (record.state !== "running") {
      throw new InfomorphError({
        code: "search/already-told",
        path: ["id"],
        message: `trial ${id} was already told (${record.state}); tell each trial once.`,
      });
    }
    if (result === "failed") {
      record.state = "failed";
      return record;
    }
    if (typeof result !== "number" || !Number.isFinite(result)) {
      throw new InfomorphError({
        code: "search/bad-value",
        path: ["value"],
        message: `the value of trial ${id} is ${String(result)}; tell a finite number, or "failed" for a trial that gave none.`,
      });
    }
    record.state = "complete";
    record.loss = this.direction === "maximize" ? -result : result;
    return record;
  }

  /** Every trial, in ask order. */
  all(): readonly TrialRecord[] {
    return this.records;
  }

  /** The completed trials, in ask order. */
  completed(): TrialRecord[] {
    return this.records.filter((r) => r.state === "complete");
  }

  /** The trials asked and not yet told, in ask order. */
  running(): TrialRecord[] {
    return this.records.filter((r) => r.state === "running");
  }
}
