// Retrieval metrics against hand-computed cases (binary and graded qrels, as pytrec_eval's recall_k / ndcg_cut_k).
import { describe, expect, it } from 'vitest';
import { firstRelevantRank, mrrAt, ndcgAt, pairedDifference, queryMetrics, recallAt, retrievalScores } from './retrieval-metrics';

const ranking = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10', 'd11', 'd12'];

describe('binary qrels', () => {
  const rel = new Map([
    ['d2', 1],
    ['d5', 1],
    ['d12', 1],
    ['d1', 0], // judged, not relevant
  ]);
  it('recall@k counts relevant documents in the top k over all relevant ones', () => {
    expect(recallAt(ranking, rel, 1)).toBe(0);
    expect(recallAt(ranking, rel, 5)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(ranking, rel, 10)).toBeCloseTo(2 / 3, 12);
  });
  it('MRR@10 is 1 / the rank of the first relevant document', () => {
    expect(mrrAt(ranking, rel, 10)).toBe(0.5);
    expect(mrrAt(['x', 'y'], rel, 10)).toBe(0);
  });
  it('nDCG@10 by hand', () => {
    // DCG = 1/log2(3) + 1/log2(6); IDCG = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.63093 + 0.5
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(6);
    const idcg = 1 + 1 / Math.log2(3) + 0.5;
    expect(ndcgAt(ranking, rel, 10)).toBeCloseTo(dcg / idcg, 12);
    expect(ndcgAt(ranking, rel, 10)).toBeCloseTo(0.47762, 4);
  });
  it('first relevant rank', () => {
    expect(firstRelevantRank(ranking, rel)).toBe(2);
    expect(firstRelevantRank(['x'], rel)).toBe(Infinity);
  });
});

describe('graded qrels', () => {
  const rel = new Map([
    ['d3', 2],
    ['d1', 1],
    ['d20', 3], // not retrieved at all
  ]);
  it('nDCG@10 uses the grade as gain (trec_eval ndcg_cut)', () => {
    // DCG = 1/log2(2) + 2/log2(4) = 1 + 1 = 2; IDCG = 3 + 2/log2(3) + 1/log2(4) = 3 + 1.26186 + 0.5
    expect(ndcgAt(ranking, rel, 10)).toBeCloseTo(2 / (3 + 2 / Math.log2(3) + 0.5), 12);
    expect(ndcgAt(ranking, rel, 10)).toBeCloseTo(0.42000, 4);
  });
  it('recall@1 and MRR ignore the grade beyond relevant / not', () => {
    expect(recallAt(ranking, rel, 1)).toBeCloseTo(1 / 3, 12);
    expect(mrrAt(ranking, rel, 10)).toBe(1);
  });
  it('a perfect ranking has nDCG 1', () => {
    expect(ndcgAt(['d20', 'd3', 'd1'], rel, 10)).toBeCloseTo(1, 12);
  });
  it('nDCG@1 cuts the ideal list too', () => {
    expect(ndcgAt(['d3', 'd20'], rel, 1)).toBeCloseTo(2 / 3, 12);
  });
});

describe('aggregates', () => {
  it('means with bootstrap intervals over queries, and paired differences', () => {
    const rel = new Map([['a', 1]]);
    const base = Array.from({ length: 40 }, (_, i) => queryMetrics(i % 4 === 0 ? ['a', 'b'] : ['b', 'a'], rel));
    const tuned = Array.from({ length: 40 }, (_, i) => queryMetrics(i % 4 === 3 ? ['b', 'a'] : ['a', 'b'], rel));
    const s = retrievalScores(base, 1);
    expect(s['recall@1'].value).toBeCloseTo(0.25, 12);
    expect(s['recall@1'].ci[0]).toBeLessThan(0.25);
    expect(s['recall@1'].ci[1]).toBeGreaterThan(0.25);
    expect(s['mrr@10'].value).toBeCloseTo(0.25 + 0.75 * 0.5, 12);
    const d = pairedDifference(base, tuned, 'recall@1', 1);
    expect(d.mean).toBeCloseTo(0.75 - 0.25, 12);
    expect(d.lo).toBeGreaterThan(0.2);
    expect(d.hi).toBeLessThan(0.8);
  });
});
