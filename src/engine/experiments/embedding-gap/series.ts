// The Embedding gap preset's series: per pair count, the base's and the fine-tuned model's recall@1 / nDCG@10 and their paired difference, with two-level bootstrap intervals.
import type { MetricName, QueryMetrics } from '../../embed/retrieval-metrics';
import { differenceOf, scoreOf, twoLevelBootstrap, type Estimate } from '../resample';

/** One finished cell: the fine-tuned model's metrics per test query (in the test set's order). */
export interface EmbeddingGapCell {
  pairs: number;
  seed: number;
  tuned: QueryMetrics[];
  firstLoss: number;
  lastLoss: number;
  seconds: number;
}

export interface EmbeddingGapPoint {
  pairs: number;
  seeds: number;
  base: Estimate;
  tuned: Estimate;
  /** Fine-tuned minus base, paired by query within each seed. */
  difference: Estimate;
}

/** The points of one metric, pair counts ascending; `base` is the base model's metrics on the same test queries. */
export function embeddingGapSeries(base: readonly QueryMetrics[], cells: readonly EmbeddingGapCell[], metric: MetricName, resamples = 1000): EmbeddingGapPoint[] {
  const counts = [...new Set(cells.map((c) => c.pairs))].sort((a, b) => a - b);
  return counts.map((pairs) => {
    const runs = cells.filter((c) => c.pairs === pairs);
    const units = runs.map((c) => ({ groups: [base.map((b, i) => [b[metric], c.tuned[i][metric]])] }));
    const options = { seed: pairs, resamples, clip: [0, 1] as [number, number] };
    return {
      pairs,
      seeds: runs.length,
      base: twoLevelBootstrap(units, scoreOf(0), options),
      tuned: twoLevelBootstrap(units, scoreOf(1), options),
      difference: twoLevelBootstrap(units, differenceOf(0, 1), { ...options, clip: [-1, 1] }),
    };
  });
}
