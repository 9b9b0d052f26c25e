/** The capacity α_c of each rule from a scan's results, with its spread over seeds, and the storage curves (score against load) behind it. */

import { type StorageCriterion, meetsCriterion } from "./experiment.js";
import type { RecallScore } from "./recall.js";

/** The part of a task result that capacity estimates read. */
export interface ScanPoint {
  rule: string;
  seed: number;
  neurons: number;
  patterns: number;
  recall: RecallScore;
  cues: (RecallScore & { noise: number })[];
}

/** α_c of one rule and seed. */
export interface SeedCapacity {
  seed: number;
  /** Largest scanned load at which the patterns were stored, with every smaller scanned load stored too; 0 if the smallest failed. */
  alphaC: number;
  /** The first scanned load that failed, or null if none did (then alphaC is only a lower bound). */
  firstFailure: number | null;
}

/** α_c of one rule over seeds. */
export interface RuleCapacity {
  rule: string;
  criterion: StorageCriterion;
  threshold: number;
  seeds: SeedCapacity[];
  /** Mean, sample standard deviation (0 for one seed), min and max of α_c over seeds. */
  mean: number;
  sd: number;
  min: number;
  max: number;
  /** True when some seed never failed: its α_c, and so the statistics, are lower bounds. */
  lowerBound: boolean;
}

/**
 * α_c per rule and seed, as the reference's capacity scans define it: scanning loads
 * upwards, the last load stored before the first one that is not (its scans stop there).
 * Loads are P/N of the results present; a seed with results missing between stored loads
 * is scored on what it has. Rules appear in order of first appearance.
 *
 * @example capacities(results, "mean-cosine", 0.95)[0].mean // ≈ 1.6 for the infomorphic rule at N = 100
 */
export function capacities(
  results: readonly ScanPoint[],
  criterion: StorageCriterion,
  threshold: number,
): RuleCapacity[] {
  const byRule = new Map<string, Map<number, ScanPoint[]>>();
  for (const r of results) {
    const seeds = byRule.get(r.rule) ?? new Map<number, ScanPoint[]>();
    byRule.set(r.rule, seeds);
    const points = seeds.get(r.seed) ?? [];
    seeds.set(r.seed, points);
    points.push(r);
  }
  return [...byRule].map(([rule, seeds]) => {
    const perSeed = [...seeds]
      .sort(([a], [b]) => a - b)
      .map(([seed, points]) => seedCapacity(seed, points, criterion, threshold));
    const values = perSeed.map((s) => s.alphaC);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd =
      values.length > 1
        ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1))
        : 0;
    return {
      rule,
      criterion,
      threshold,
      seeds: perSeed,
      mean,
      sd,
      min: Math.min(...values),
      max: Math.max(...values),
      lowerBound: perSeed.some((s) => s.firstFailure === null),
    };
  });
}

function seedCapacity(
  seed: number,
  points: ScanPoint[],
  criterion: StorageCriterion,
  threshold: number,
): SeedCapacity {
  const sorted = [...points].sort((a, b) => a.patterns - b.patterns);
  let alphaC = 0;
  for (const p of sorted) {
    const load = p.patterns / p.neurons;
    if (!meetsCriterion(p.recall, criterion, threshold))
      return { seed, alphaC, firstFailure: load };
    alphaC = load;
  }
  return { seed, alphaC, firstFailure: null };
}

/** One rule's mean scores at one load, over the seeds that ran it. */
export interface CurvePoint {
  rule: string;
  load: number;
  patterns: number;
  seeds: number;
  /** Mean and sample sd over seeds of the recall scores from the patterns themselves. */
  meanCosine: number;
  storedFraction: number;
  storedFractionSd: number;
  /** Per cue-noise fraction, the mean stored fraction over seeds. */
  cues: { noise: number; storedFraction: number; meanCosine: number }[];
}

/**
 * The storage curves: per rule and load, the seed-mean of the mean cosine and of the stored
 * fraction (with its sd), and of the stored fraction from each corrupted-cue level. Sorted by
 * rule (first appearance) then load.
 */
export function storageCurves(results: readonly ScanPoint[]): CurvePoint[] {
  const groups = new Map<string, ScanPoint[]>();
  for (const r of results) {
    const key = `${r.rule}\u0000${r.patterns}`;
    const list = groups.get(key) ?? [];
    groups.set(key, list);
    list.push(r);
  }
  const ruleOrder = [...new Set(results.map((r) => r.rule))];
  return [...groups.values()]
    .map((points) => {
      const n = points.length;
      const avg = (f: (p: ScanPoint) => number): number => points.reduce((s, p) => s + f(p), 0) / n;
      const stored = avg((p) => p.recall.storedFraction);
      const noises = points[0].cues.map((c) => c.noise);
      return {
        rule: points[0].rule,
        load: points[0].patterns / points[0].neurons,
        patterns: points[0].patterns,
        seeds: n,
        meanCosine: avg((p) => p.recall.meanCosine),
        storedFraction: stored,
        storedFractionSd:
          n > 1
            ? Math.sqrt(
                points.reduce((s, p) => s + (p.recall.storedFraction - stored) ** 2, 0) / (n - 1),
              )
            : 0,
        cues: noises.map((noise, k) => ({
          noise,
          storedFraction: avg((p) => p.cues[k].storedFraction),
          meanCosine: avg((p) => p.cues[k].meanCosine),
        })),
      };
    })
    .sort(
      (a, b) => ruleOrder.indexOf(a.rule) - ruleOrder.indexOf(b.rule) || a.patterns - b.patterns,
    );
}
