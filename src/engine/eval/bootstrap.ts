// Seeded bootstrap confidence intervals for ratio metrics (means, micro-averages, perplexity).

import { Rng } from '../rng';
import type { ItemValue, Score } from './types';

/** Linear-interpolated percentile (numpy's default) of an ascending-sorted array, q in [0, 1]. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function ratioOf(values: readonly ItemValue[], finalize: (x: number) => number = (x) => x): number {
  let num = 0;
  let den = 0;
  for (const v of values) {
    num += v.numerator;
    den += v.denominator;
  }
  return den === 0 ? NaN : finalize(num / den);
}

export interface BootstrapOptions {
  seed: number;
  /** Number of resamples (default 1000). */
  resamples?: number;
  finalize?: (x: number) => number;
}

/** Point estimate plus the 2.5th–97.5th percentile interval of `resamples` item-level resamples with replacement. */
export function bootstrapScore(values: readonly ItemValue[], options: BootstrapOptions): Score {
  const finalize = options.finalize ?? ((x: number) => x);
  const value = ratioOf(values, finalize);
  const n = values.length;
  if (n === 0) return { value: NaN, ci: [NaN, NaN], n: 0 };
  const resamples = options.resamples ?? 1000;
  const rng = new Rng(options.seed);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const v = values[rng.int(n)];
      num += v.numerator;
      den += v.denominator;
    }
    stats[b] = den === 0 ? NaN : finalize(num / den);
  }
  stats.sort();
  return { value, ci: [percentile(stats, 0.025), percentile(stats, 0.975)], n };
}
