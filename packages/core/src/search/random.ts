/** Random search: every free parameter uniform in [low, high], independently — the baseline every other sampler must beat, and TPE's default start. */

import { Rng } from "../random/rng.js";
import { SamplerBase, type SamplerOptions, type Trial } from "./sampler.js";
import type { SearchSpace } from "./space.js";

/** Uniform random search (Optuna's RandomSampler); results do not influence it. */
export class RandomSampler extends SamplerBase {
  private readonly rng: Rng;

  constructor(space: SearchSpace, options: SamplerOptions) {
    super(space, options);
    this.rng = new Rng(options.seed);
  }

  ask(): Trial {
    return this.history.add(uniformPoint(this.rng, this.space.free.length));
  }
}

/** A uniform point of the unit cube [0, 1)^dims. */
export function uniformPoint(rng: Rng, dims: number): Float64Array {
  const u = new Float64Array(dims);
  for (let j = 0; j < dims; j++) u[j] = rng.uniform();
  return u;
}
