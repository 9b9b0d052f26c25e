/**
 * How much each parameter of a study matters: its first-order share of the objective's
 * variance, estimated from the completed trials by binning (the correlation ratio η²), with
 * the bias of binning a finite sample removed. A light stand-in for fANOVA (Hutter et al.,
 * ICML 2014, Optuna's default), which fits a random forest first: this one sees only main
 * effects, one parameter at a time.
 */

/** One parameter's importance. */
export interface ParamImportance {
  readonly name: string;
  /**
   * Adjusted η²: the share of the objective's variance explained by the parameter's bin means,
   * 1 − (1 − η²)·(n − 1)/(n − B), clipped to [0, 1]. About 0 for a parameter without effect.
   */
  readonly share: number;
  /** Spearman's rank correlation of the parameter with the objective, in [−1, 1]: the sign of a monotone effect. */
  readonly rankCorrelation: number;
}

/**
 * The importance of each of `names` from `trials` (their parameters and objective values),
 * most important first. Each parameter's values are cut into B = clamp(⌊√n / 2⌋, 2, 10) bins
 * of equal counts (quantiles), η² = Σ_b n_b (ȳ_b − ȳ)² / Σ_i (y_i − ȳ)², and adjusted for the
 * B − 1 degrees of freedom the bin means take from n values (as adjusted R²), so that with
 * no effect the expected share is 0 rather than (B − 1)/(n − 1).
 *
 * Caveats, as for any importance computed from a search's own trials: a sampler concentrates
 * trials where the objective is good, so the values are not uniform samples of the space, and
 * a parameter's effect is measured over the region the search visited; interactions are not
 * seen. Needs at least 8 trials (an empty list otherwise).
 *
 * @example paramImportance(trials, ["x", "y"]) // [{ name: "x", share: 0.83, … }, { name: "y", share: 0.01, … }]
 */
export function paramImportance(
  trials: readonly { readonly params: Readonly<Record<string, number>>; readonly value: number }[],
  names: readonly string[],
): ParamImportance[] {
  const n = trials.length;
  if (n < 8) return [];
  const y = trials.map((t) => t.value);
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const total = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  const bins = Math.min(10, Math.max(2, Math.floor(Math.sqrt(n) / 2)));
  const yRanks = ranks(y);
  return names
    .map((name) => {
      const x = trials.map((t) => t.params[name]);
      const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
      let between = 0;
      for (let b = 0; b < bins; b++) {
        const members = order.slice(Math.round((b * n) / bins), Math.round(((b + 1) * n) / bins));
        if (members.length === 0) continue;
        const binMean = members.reduce((s, i) => s + y[i], 0) / members.length;
        between += members.length * (binMean - mean) ** 2;
      }
      const eta2 = total > 0 ? between / total : 0;
      const adjusted = 1 - ((1 - eta2) * (n - 1)) / (n - bins);
      return {
        name,
        share: Math.min(1, Math.max(0, adjusted)),
        rankCorrelation: pearson(ranks(x), yRanks),
      };
    })
    .sort((a, b) => b.share - a.share || a.name.localeCompare(b.name));
}

/** Spearman's rank correlation of two equally long samples, ties sharing their mean rank; 0 when either is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(ranks(a), ranks(b));
}

/** Ranks 1…n, ties sharing their mean rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]] === values[order[i]]) j++;
    for (let k = i; k <= j; k++) out[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
