// The Embedding gap preset's series: per pair count, the base's and the fine-tuned model's recall@1 / nDCG@10 and their paired difference, with two-level bootstrap intervals.
import type { MetricName } from '../../embed/retrieval-metrics';
import { differenceOf, scoreOf, twoLevelBootstrap, type Estimate } from '../resample';
import type { CellResult } from '../types';

export interface EmbeddingGapPoint {
  pairs: number;
  seeds: number;
  base: Estimate;
  tuned: Estimate;
  /** Fine-tuned minus base, paired by test ticket within each seed. */
  difference: Estimate;
  /** Mean ranking loss over a cell's first and last 5 steps, averaged over its seeds. */
  firstLoss: number;
  lastLoss: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * The points of one metric from finished cells (trainSize = pairs; evals[0] the base at step 0, the last eval the
 * fine-tuned model, each with per-ticket values), pair counts ascending. Cells without both are left out.
 */
export function embeddingGapSeries(cells: readonly CellResult[], metric: MetricName, resamples = 1000): EmbeddingGapPoint[] {
  const done = cells.filter((c) => c.evals.length >= 2 && c.evals[0].step === 0 && c.evals[0].items?.[metric] && c.evals.at(-1)!.items?.[metric]);
  const counts = [...new Set(done.map((c) => c.settings.trainSize))].sort((a, b) => a - b);
  return counts.map((pairs) => {
    const runs = done.filter((c) => c.settings.trainSize === pairs);
    const units = runs.map((c) => {
      const base = c.evals[0].items![metric];
      const tuned = c.evals.at(-1)!.items![metric];
      return { groups: [base.map((b, i) => [b, tuned[i]])] };
    });
    const options = { seed: pairs, resamples, clip: [0, 1] as [number, number] };
    return {
      pairs,
      seeds: runs.length,
      base: twoLevelBootstrap(units, scoreOf(0), options),
      tuned: twoLevelBootstrap(units, scoreOf(1), options),
      difference: twoLevelBootstrap(units, differenceOf(0, 1), { ...options, clip: [-1, 1] }),
      firstLoss: mean(runs.map((c) => mean(c.losses.slice(0, 5)))),
      lastLoss: mean(runs.map((c) => mean(c.losses.slice(-5)))),
    };
  });
}
