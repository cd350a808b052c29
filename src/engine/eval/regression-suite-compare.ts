// Before/after of a regression suite: the paired difference per ability over the same items, its bootstrap interval, and the flag.

import { Rng } from '../rng';
import { bootstrapScore, percentile, ratioOf } from './bootstrap';
import type { RegressionItemValue, RegressionMetric, RegressionScores } from './regression-suite';

/** Flagged only when the interval of the change excludes zero, in the bad direction (regressed) or the good one (improved). */
export type RegressionVerdict = 'regressed' | 'improved' | 'unchanged';

export interface RegressionAbilityResult {
  ability: string;
  metric: RegressionMetric;
  higherIsBetter: boolean;
  /** Items paired (the same items scored before and after). */
  n: number;
  before: { value: number; ci: [number, number] };
  after: { value: number; ci: [number, number] };
  /** after − before on the metric's own scale (exact match as a fraction, perplexity as perplexity). */
  delta: number;
  /** Bootstrap 95% percentile interval of the paired difference. */
  deltaCi: [number, number];
  verdict: RegressionVerdict;
}

export interface RegressionComparison {
  beforeStep: number;
  afterStep: number;
  resamples: number;
  abilities: RegressionAbilityResult[];
}

export interface PairedOptions {
  seed?: number;
  /** Resamples of the interval (default 2000). */
  resamples?: number;
  finalize?: (x: number) => number;
}

/**
 * Paired bootstrap of after − before: each resample draws item indices with replacement and takes the same indices
 * on both sides, so what an item shares between the two models (its difficulty) cancels out of the interval.
 */
export function pairedDifference(before: readonly RegressionItemValue[], after: readonly RegressionItemValue[], options: PairedOptions = {}): { delta: number; ci: [number, number] } {
  if (before.length !== after.length) throw new Error(`Paired difference needs the same items on both sides (${before.length} vs ${after.length}).`);
  const finalize = options.finalize ?? ((x: number) => x);
  const n = before.length;
  const delta = ratioOf(after, finalize) - ratioOf(before, finalize);
  if (n === 0) return { delta: NaN, ci: [NaN, NaN] };
  const resamples = options.resamples ?? 2000;
  const rng = new Rng(options.seed ?? 0);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let numA = 0;
    let denA = 0;
    let numB = 0;
    let denB = 0;
    for (let i = 0; i < n; i++) {
      const k = rng.int(n);
      numB += before[k].numerator;
      denB += before[k].denominator;
      numA += after[k].numerator;
      denA += after[k].denominator;
    }
    stats[b] = finalize(numA / denA) - finalize(numB / denB);
  }
  stats.sort();
  return { delta, ci: [percentile(stats, 0.025), percentile(stats, 0.975)] };
}

/** The flag rule: a change counts only when its interval lies wholly on one side of zero. */
export function verdictOf(ci: readonly [number, number], higherIsBetter: boolean): RegressionVerdict {
  const [lo, hi] = ci;
  if (!(lo > 0) && !(hi < 0)) return 'unchanged';
  const up = lo > 0;
  return up === higherIsBetter ? 'improved' : 'regressed';
}

/** Pairs every ability of `before` with the same ability of `after` (same items, same order) and flags the changes. */
export function compareRegression(before: RegressionScores, after: RegressionScores, options: Omit<PairedOptions, 'finalize'> = {}): RegressionComparison {
  const resamples = options.resamples ?? 2000;
  const abilities: RegressionAbilityResult[] = [];
  for (const a of before.abilities) {
    const b = after.abilities.find((x) => x.name === a.name && x.metric === a.metric);
    if (!b) continue;
    const finalize = a.metric === 'perplexity' ? Math.exp : undefined;
    const seed = options.seed ?? 0;
    const paired = pairedDifference(a.items, b.items, { seed, resamples, finalize });
    const side = (items: RegressionItemValue[]) => {
      const s = bootstrapScore(items, { seed, resamples, finalize });
      return { value: s.value, ci: s.ci };
    };
    abilities.push({
      ability: a.name,
      metric: a.metric,
      higherIsBetter: a.higherIsBetter,
      n: a.items.length,
      before: side(a.items),
      after: side(b.items),
      delta: paired.delta,
      deltaCi: paired.ci,
      verdict: verdictOf(paired.ci, a.higherIsBetter),
    });
  }
  return { beforeStep: before.step, afterStep: after.step, resamples, abilities };
}
