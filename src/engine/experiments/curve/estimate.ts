// A learning curve's numbers from its cells: per-size means with 95% intervals, the fitted curve, the expected gain from
// doubling the data and the measured change between the two largest sizes, each resampled over seeds and eval items.
import { percentile } from '../../eval/bootstrap';
import { Rng } from '../../rng';
import { doublingGain, fitCurve, predict, type CurveFit, type FitKind } from './fit';

/** One cell's held-out scores, item by item (the same items, in the same order, in every cell of a curve). */
export interface CurveCellItems {
  seed: number;
  /** Distinct training examples of the cell. */
  n: number;
  /** Per item: summed negative log-likelihood of its answer tokens and their weight (validation loss = Σ nll / Σ weight). */
  nll: number[];
  weight: number[];
  /** Per item: answer tokens the model ranks first, out of `targets` (token accuracy). */
  correct: number[];
  targets: number[];
  /** Per item 1 when the reference answer is reproduced exactly, else 0; absent when the rows have no references. */
  exact?: number[];
}

/** 'loss': validation loss; 'error': 1 − exact match; both fall as data helps. */
export type CurveMetric = 'loss' | 'error';

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
}

export interface CurveEstimate {
  metric: CurveMetric;
  /** Mean over seeds at each measured size, with its interval, in size order. */
  points: ({ n: number; seeds: number } & Interval)[];
  /** The curve fitted to the per-size means of the complete seeds (null: fewer than two sizes, or a value ≤ 0). */
  fit: CurveFit | null;
  /** Expected fall of the metric when the data doubles from the largest measured size, by the fit, with its interval. */
  gain: ({ from: number } & Interval) | null;
  /** Measured fall between the two largest sizes (paired: same seeds and items), with its interval. */
  measured: ({ from: number; to: number } & Interval) | null;
  /** Seeds with every size measured (the fit and the intervals use only these) and items per cell. */
  seeds: number;
  items: number;
}

export interface EstimateOptions {
  resamples?: number;
  seed?: number;
}

function metricOf(cell: CurveCellItems, metric: CurveMetric, pick: ArrayLike<number>): number {
  if (metric === 'error') {
    const exact = cell.exact!;
    let s = 0;
    for (let k = 0; k < pick.length; k++) s += exact[pick[k]];
    return 1 - s / pick.length;
  }
  let nll = 0;
  let w = 0;
  for (let k = 0; k < pick.length; k++) {
    nll += cell.nll[pick[k]];
    w += cell.weight[pick[k]];
  }
  return w > 0 ? nll / w : NaN;
}

function identity(items: number): Int32Array {
  return Int32Array.from({ length: items }, (_, i) => i);
}

const interval = (mean: number, stats: number[]): Interval => {
  const sorted = Float64Array.from(stats).sort();
  return { mean, lo: percentile(sorted, 0.025), hi: percentile(sorted, 0.975) };
};

/**
 * Resamples seeds with replacement, then within each drawn seed the eval items with replacement (one draw of items
 * per seed, shared by its sizes, so differences between sizes stay paired), and refits the curve of the kind the full
 * data chose: the intervals cover which seeds were run and which items were drawn.
 */
export function estimateCurve(cells: readonly CurveCellItems[], metric: CurveMetric, options: EstimateOptions = {}): CurveEstimate {
  const usable = metric === 'error' ? cells.filter((c) => c.exact) : [...cells];
  const sizes = [...new Set(usable.map((c) => c.n))].sort((a, b) => a - b);
  const bySeed = new Map<number, Map<number, CurveCellItems>>();
  for (const c of usable) {
    if (!bySeed.has(c.seed)) bySeed.set(c.seed, new Map());
    bySeed.get(c.seed)!.set(c.n, c);
  }
  const complete = [...bySeed.values()].filter((m) => sizes.every((n) => m.has(n)));
  const items = Math.min(...usable.map((c) => c.nll.length));
  const empty: CurveEstimate = { metric, points: [], fit: null, gain: null, measured: null, seeds: complete.length, items: Number.isFinite(items) ? items : 0 };
  if (usable.length === 0 || !(items > 0)) return empty;
  const all = identity(items);
  const resamples = options.resamples ?? 1000;
  const rng = new Rng(options.seed ?? 0);

  // Per-size points: every seed that measured the size (an unfinished seed still shows its points).
  const points = sizes.map((n) => {
    const units = usable.filter((c) => c.n === n);
    const mean = units.reduce((s, c) => s + metricOf(c, metric, all), 0) / units.length;
    const stats: number[] = [];
    const pick = new Int32Array(items);
    for (let b = 0; b < resamples; b++) {
      let total = 0;
      for (let s = 0; s < units.length; s++) {
        const unit = units[rng.int(units.length)];
        for (let k = 0; k < items; k++) pick[k] = rng.int(items);
        total += metricOf(unit, metric, pick);
      }
      stats.push(total / units.length);
    }
    return { n, seeds: units.length, ...interval(mean, stats) };
  });

  const result: CurveEstimate = { ...empty, points };
  if (complete.length === 0 || sizes.length < 2) return result;
  const meansOf = (units: Map<number, CurveCellItems>[], picks: ArrayLike<number>[]) =>
    sizes.map((n) => ({ n, y: units.reduce((s, u, i) => s + metricOf(u.get(n)!, metric, picks[i]), 0) / units.length }));
  const full = meansOf(complete, complete.map(() => all));
  const fit = fitCurve(full);
  result.fit = fit;
  const top = sizes[sizes.length - 1];
  const prev = sizes[sizes.length - 2];
  const fallOf = (ys: { n: number; y: number }[]) => ys[ys.length - 2].y - ys[ys.length - 1].y;
  const gains: number[] = [];
  const falls: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const units = complete.map(() => complete[rng.int(complete.length)]);
    const picks = units.map(() => {
      const pick = new Int32Array(items);
      for (let k = 0; k < items; k++) pick[k] = rng.int(items);
      return pick;
    });
    const ys = meansOf(units, picks);
    falls.push(fallOf(ys));
    if (fit) {
      const refit = fitCurve(ys, fit.kind as FitKind);
      if (refit) gains.push(doublingGain(refit, top));
    }
  }
  result.measured = { from: prev, to: top, ...interval(fallOf(full), falls) };
  // A resample whose values leave the fit's domain (an error of 0) has no curve; the interval needs nearly all of them.
  if (fit && gains.length >= 0.95 * resamples) result.gain = { from: top, ...interval(doublingGain(fit, top), gains) };
  return result;
}

/** The fitted curve drawn across the measured range only (log-spaced), never beyond the largest size measured. */
export function fittedLine(estimate: Pick<CurveEstimate, 'fit' | 'points'>, count = 40): { n: number; y: number }[] {
  const fit = estimate.fit;
  if (!fit || estimate.points.length < 2) return [];
  const lo = Math.log(estimate.points[0].n);
  const hi = Math.log(estimate.points[estimate.points.length - 1].n);
  return Array.from({ length: count }, (_, i) => {
    const n = Math.exp(lo + ((hi - lo) * i) / (count - 1));
    return { n, y: predict(fit, n) };
  });
}
