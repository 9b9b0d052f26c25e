/** A study's contents from the database, for its report: config, log, and the epochs its workers reported. */

import { samplerRecommendation } from "../recommendation.js";
import type { SeedCurve, StudyContents } from "../study-contents.js";
import { trialSummaries } from "../trials.js";
import { readPgStudyConfig, studyRecords } from "./backend.js";
import type { StudyDatabase } from "./database.js";

/**
 * Study `name` as stored now. Curves come from the epochs the workers reported; where a trial
 * ran more than once (a lost worker, a retry), the curve of its latest attempt is kept.
 */
export async function readPgStudy(
  db: StudyDatabase,
  name: string,
  source: string,
): Promise<StudyContents> {
  const config = await readPgStudyConfig(db, name);
  const records = await studyRecords(db, name);
  const trials = trialSummaries(records);
  const { rows } = await db.query<{
    trial: number;
    attempt: number;
    seed: string;
    epoch: number;
    validation: number;
  }>(
    "SELECT trial, attempt, seed, epoch, validation FROM infomorph.epochs WHERE study = $1 ORDER BY trial, attempt, seed, epoch",
    [name],
  );
  const latest = new Map<number, number>();
  for (const r of rows) latest.set(r.trial, Math.max(latest.get(r.trial) ?? 0, r.attempt));
  const curves = new Map<number, SeedCurve[]>();
  for (const r of rows) {
    if (r.attempt !== latest.get(r.trial)) continue;
    const seeds = curves.get(r.trial) ?? [];
    let curve = seeds.find((c) => c.seed === Number(r.seed));
    if (!curve) {
      curve = { seed: Number(r.seed), validation: [] };
      seeds.push(curve);
    }
    (curve.validation as number[])[r.epoch - 1] = r.validation;
    curves.set(r.trial, seeds);
  }
  return { config, source, trials, curves, recommended: samplerRecommendation(config, records) };
}
