// Retrieval metrics as BEIR computes them through pytrec_eval (recall@k, nDCG@k with linear gains, MRR@k), their bootstrap intervals and paired differences.
import { bootstrapScore } from '../eval/bootstrap';
import type { Score } from '../eval/types';
import { differenceOf, twoLevelBootstrap, type Estimate } from '../experiments/resample';

/** Graded relevance of one query's judged documents: doc id → grade (> 0 relevant, ≤ 0 judged not relevant). */
export type QueryQrels = ReadonlyMap<string, number>;
/** query id → its judged documents. */
export type Qrels = ReadonlyMap<string, QueryQrels>;

export const METRIC_NAMES = ['recall@1', 'recall@5', 'recall@10', 'mrr@10', 'ndcg@10'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type QueryMetrics = Record<MetricName, number>;

/**
 * recall@k: relevant documents in the top k over all relevant documents (pytrec_eval `recall_k`).
 * ranking: document ids best first (ties already broken by the search).
 */
export function recallAt(ranking: readonly string[], relevant: QueryQrels, k: number): number {
  let total = 0;
  for (const grade of relevant.values()) if (grade > 0) total++;
  if (total === 0) return NaN;
  let hits = 0;
  for (const id of ranking.slice(0, k)) if ((relevant.get(id) ?? 0) > 0) hits++;
  return hits / total;
}

/** MRR@k: 1 / rank of the first relevant document within the top k, else 0 (BEIR's `mrr`). */
export function mrrAt(ranking: readonly string[], relevant: QueryQrels, k: number): number {
  const top = ranking.slice(0, k);
  for (let i = 0; i < top.length; i++) if ((relevant.get(top[i]) ?? 0) > 0) return 1 / (i + 1);
  return 0;
}

/**
 * nDCG@k as trec_eval's ndcg_cut: DCG = Σ_{i ≤ k} grade_i / log2(i + 1) with the grade itself as gain (not 2^g − 1),
 * over the ideal DCG of the query's judged grades sorted high to low and cut at k.
 */
export function ndcgAt(ranking: readonly string[], relevant: QueryQrels, k: number): number {
  let dcg = 0;
  ranking.slice(0, k).forEach((id, i) => {
    const g = relevant.get(id) ?? 0;
    if (g > 0) dcg += g / Math.log2(i + 2);
  });
  const ideal = [...relevant.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  return idcg === 0 ? NaN : dcg / idcg;
}

/** Every metric of one query. */
export function queryMetrics(ranking: readonly string[], relevant: QueryQrels): QueryMetrics {
  return {
    'recall@1': recallAt(ranking, relevant, 1),
    'recall@5': recallAt(ranking, relevant, 5),
    'recall@10': recallAt(ranking, relevant, 10),
    'mrr@10': mrrAt(ranking, relevant, 10),
    'ndcg@10': ndcgAt(ranking, relevant, 10),
  };
}

/** 1-based rank of the first relevant document in a full ranking; Infinity when none is ranked. */
export function firstRelevantRank(ranking: readonly string[], relevant: QueryQrels): number {
  const i = ranking.findIndex((id) => (relevant.get(id) ?? 0) > 0);
  return i < 0 ? Infinity : i + 1;
}

export type RetrievalScores = Record<MetricName, Score>;

/** The mean of each metric over queries, with a 95% bootstrap interval over queries (eval/bootstrap.ts). */
export function retrievalScores(perQuery: readonly QueryMetrics[], seed = 0, resamples = 1000): RetrievalScores {
  const out = {} as RetrievalScores;
  for (const name of METRIC_NAMES) out[name] = bootstrapScore(perQuery.map((m) => ({ numerator: m[name], denominator: 1 })), { seed, resamples });
  return out;
}

/**
 * Fine-tuned minus base of one metric, paired query by query (the same queries under both models), with its 95%
 * bootstrap interval over queries (experiments/resample.ts); both lists in the same query order.
 */
export function pairedDifference(base: readonly QueryMetrics[], tuned: readonly QueryMetrics[], metric: MetricName, seed = 0, resamples = 1000): Estimate {
  if (base.length !== tuned.length) throw new Error(`internal: paired difference over ${base.length} and ${tuned.length} queries.`);
  const rows = base.map((b, i) => [b[metric], tuned[i][metric]]);
  return twoLevelBootstrap([{ groups: [rows] }], differenceOf(0, 1), { seed, resamples, clip: [-1, 1] });
}
