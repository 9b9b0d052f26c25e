/** Random search: every free parameter uniform in [low, high], independently — the baseline every other sampler must beat, and TPE's default start. */

import { Rng } from "../train/rng.js";
import {
  type Direction,
  type Sampler,
  type SamplerOptions,
  type Trial,
  TrialHistory,
  type TrialResult,
} from "./sampler.js";
import type { SearchSpace } from "./space.js";

/** Uniform random search (Optuna's RandomSampler); results do not influence it. */
export class RandomSampler implements Sampler {
  readonly space: SearchSpace;
  readonly direction: Direction;
  private readonly history: TrialHistory;
  private readonly rng: Rng;

  constructor(space: SearchSpace, options: SamplerOptions) {
    this.history = new TrialHistory(space, options.direction);
    this.space = space;
    this.direction = this.history.direction;
    this.rng = new Rng(options.seed);
  }

  ask(): Trial {
    return this.history.add(uniformPoint(this.rng, this.space.free.length));
  }

  tell(id: number, result: TrialResult): void {
    this.history.tell(id, result);
  }
}

/** A uniform point of the unit cube [0, 1)^dims. */
export function uniformPoint(rng: Rng, dims: number): Float64Array {
  const u = new Float64Array(dims);
  for (let j = 0; j < dims; j++) u[j] = rng.uniform();
  return u;
}
