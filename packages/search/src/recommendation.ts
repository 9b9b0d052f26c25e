/** A study's recommended goal beside its best trial: what the sampler itself would pick after the trial log, where it keeps such an estimate. */

import { createSampler, replay } from "@infomorph/core";
import { type StudyConfig, studySpace } from "./study-config.js";
import { type LogRecord, samplerEvents } from "./trial-log.js";

/**
 * The sampler's recommendation after `records` (CMA-ES: its distribution's mean, see core's
 * `Sampler.recommend`), or null for samplers without one, whose log is then not replayed.
 */
export function samplerRecommendation(
  config: StudyConfig,
  records: readonly LogRecord[],
): Record<string, number> | null {
  const sampler = createSampler(studySpace(config), config.sampler);
  if (!sampler.recommend) return null;
  replay(sampler, samplerEvents(records));
  return sampler.recommend();
}
