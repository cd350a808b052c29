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

/** A group's items flattened row-major (items × width), so resampling allocates nothing. */
interface FlatGroup {
  values: Float64Array;
  items: number;
  width: number;
}

function flatten(group: number[][]): FlatGroup {
  const width = group[0]?.length ?? 0;
  const values = new Float64Array(group.length * width);
  group.forEach((row, i) => values.set(row, i * width));
  return { values, items: group.length, width };
}

/** Column means of a group into `out`: all items, or `draws` items drawn with replacement from rng. */
function meansInto(out: number[], group: FlatGroup, rng?: Rng): void {
  const { values, items, width } = group;
  out.fill(0);
  for (let k = 0; k < items; k++) {
    const row = (rng ? rng.int(items) : k) * width;
    for (let c = 0; c < width; c++) out[c] += values[row + c];
  }
  for (let c = 0; c < width; c++) out[c] /= items;
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
  const flat = units.map((u) => u.groups.map(flatten));
  // One buffer of column means per group, reused by every statistic call (statistics do not keep them).
  const means = flat[0].map((g) => new Array<number>(g.width).fill(0));
  let mean = 0;
  for (const groups of flat) {
    groups.forEach((g, i) => meansInto(means[i], g));
    mean += statistic(means);
  }
  mean /= S;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const rng = new Rng(options.seed ?? 0);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let total = 0;
    for (let s = 0; s < S; s++) {
      const groups = flat[rng.int(S)];
      for (let g = 0; g < groups.length; g++) meansInto(means[g], groups[g], rng);
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
