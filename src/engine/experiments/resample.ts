// Two-level bootstrap (seeds, then eval items within each seed): the intervals of experiment points and paired differences.
import { percentile } from '../eval/bootstrap';
import { Rng } from '../rng';

/**
 * One seed's measurement. groups[g][i][c] is item i of group g (a probe) under condition c (e.g. c = 0 before and
 * c = 1 after training, or two cells of the same seed scored on the same items): the rows pair the conditions item by
 * item, so resampling an item moves all its conditions together (a paired difference).
 */
export interface SeedItems {
  groups: number[][][];
}

/** A statistic of one seed from its column means: means[g][c] = mean over the items of group g of condition c. */
export type SeedStatistic = (means: number[][]) => number;

export interface Estimate {
  /** Mean over seeds of the statistic on all items. */
  mean: number;
  /** 2.5th and 97.5th percentiles of the two-level bootstrap, clipped to the statistic's range. */
  lo: number;
  hi: number;
  /** Seeds (runs) behind the estimate. */
  n: number;
  /** Eval items per seed (the smallest group's count; 1 when a run stored only its score). */
  items: number;
}

export interface TwoLevelOptions {
  /** Seed of the resampling (the same data and seed give the same interval). */
  seed?: number;
  resamples?: number;
  /** The range the statistic lives in; the interval is clipped to it (exact match [0, 1], a difference [-1, 1]). */
  clip?: [number, number];
}

export const DEFAULT_RESAMPLES = 1000;

function columnMeans(group: number[][], pick?: Int32Array): number[] {
  const width = group[0]?.length ?? 0;
  const sums = new Array<number>(width).fill(0);
  const n = pick ? pick.length : group.length;
  for (let k = 0; k < n; k++) {
    const row = group[pick ? pick[k] : k];
    for (let c = 0; c < width; c++) sums[c] += row[c];
  }
  return sums.map((s) => s / n);
}

/**
 * Resamples seeds with replacement, then within each drawn seed every group's items with replacement, and averages
 * the per-seed statistic: the interval covers both sources of chance (which seeds were run, which items were drawn).
 * With one seed it covers the items only, and says nothing about seed-to-seed spread.
 */
export function twoLevelBootstrap(units: readonly SeedItems[], statistic: SeedStatistic, options: TwoLevelOptions = {}): Estimate {
  const S = units.length;
  const counts = units.flatMap((u) => u.groups.map((g) => g.length));
  const items = counts.length ? Math.min(...counts) : 0;
  if (S === 0 || items === 0) return { mean: NaN, lo: NaN, hi: NaN, n: S, items };
  const mean = units.reduce((s, u) => s + statistic(u.groups.map((g) => columnMeans(g))), 0) / S;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const rng = new Rng(options.seed ?? 0);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let total = 0;
    for (let s = 0; s < S; s++) {
      const unit = units[rng.int(S)];
      const means = unit.groups.map((g) => {
        const pick = new Int32Array(g.length);
        for (let i = 0; i < g.length; i++) pick[i] = rng.int(g.length);
        return columnMeans(g, pick);
      });
      total += statistic(means);
    }
    stats[b] = total / S;
  }
  stats.sort();
  const [min, max] = options.clip ?? [-Infinity, Infinity];
  const clip = (x: number) => Math.min(max, Math.max(min, x));
  return { mean, lo: clip(percentile(stats, 0.025)), hi: clip(percentile(stats, 0.975)), n: S, items };
}

/** Whether an interval of a difference excludes zero (the only case a reading states the effect). */
export function resolved(d: Pick<Estimate, 'lo' | 'hi'>): boolean {
  return d.lo > 0 || d.hi < 0;
}

/** Statistic of one condition of one group: a score (column c of group 0). */
export const scoreOf = (c = 0): SeedStatistic => (m) => m[0][c];
/** Paired difference of two conditions, averaged over the groups: mean_g(m[g][to] − m[g][from]). */
export const differenceOf = (from: number, to: number): SeedStatistic => (m) => m.reduce((s, g) => s + g[to] - g[from], 0) / m.length;
