/** What `infomorph search` prints when it ends: the study, how many trials are done, the best trial and its goal (or, with --json, the same as JSON). */

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
  lines.push(`report           infomorph search report ${s.study}`);
  return `${lines.join("\n")}\n`;
}
