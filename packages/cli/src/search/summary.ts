/** What `infomorph search` prints when it ends: the study, how many trials are done, the best trial and its goal, the sampler's own recommendation where it has one (or, with --json, the same as JSON). */

import { formatGoal, goal } from "@infomorph/core";
import { type StudyConfig, type StudyResult, bestTrial, studyGoalOptions } from "@infomorph/search";
import { percent } from "./progress.js";

/** What `infomorph search` prints at the end (and --json). */
export interface SearchSummary {
  study: string;
  trials: number;
  done: number;
  failed: number;
  stopped: boolean;
  best: { trial: number; value: number; goal: string; params: Record<string, number> } | null;
  /**
   * CMA-ES's distribution mean at the end (null for other samplers): never a trial itself, so
   * train it as you train the best trial and compare at full length.
   */
  mean: { goal: string; params: Record<string, number> } | null;
}

export function studySummary(dir: string, config: StudyConfig, result: StudyResult): SearchSummary {
  const best = bestTrial(result.trials);
  return {
    study: dir,
    trials: config.trials,
    done: result.trials.filter((t) => t.state !== "running").length,
    failed: result.trials.filter((t) => t.state === "failed").length,
    stopped: result.stopped,
    best:
      best && best.value !== null
        ? {
            trial: best.id,
            value: best.value,
            goal: formatGoal(goal(best.params, studyGoalOptions(config))),
            params: { ...best.params },
          }
        : null,
    mean: result.recommended
      ? {
          goal: formatGoal(goal(result.recommended, studyGoalOptions(config))),
          params: { ...result.recommended },
        }
      : null,
  };
}

export function summaryText(s: SearchSummary): string {
  const lines = [
    `study            ${s.study}`,
    `trials           ${s.done} of ${s.trials} done${s.failed > 0 ? `, ${s.failed} failed` : ""}`,
  ];
  if (s.best) {
    lines.push(
      `best             trial ${s.best.trial}: ${percent(s.best.value)} validation accuracy`,
    );
    lines.push(`best goal        ${s.best.goal}`);
    lines.push(`train it         infomorph train --goal '${s.best.goal}' …`);
  }
  if (s.mean) {
    lines.push(`CMA-ES mean      ${s.mean.goal}`);
    lines.push(
      "                 (the distribution's mean, not a trial: train it beside the best one)",
    );
  }
  lines.push(`report           infomorph search report ${s.study}`);
  return `${lines.join("\n")}\n`;
}
