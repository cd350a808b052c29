// Embedding gap series and reading on hand-made cells: base level, gains with paired intervals, the smallest resolved count.
import { describe, expect, it } from 'vitest';
import type { QueryMetrics } from '../../embed/retrieval-metrics';
import { DEFAULT_EMBEDDING_GAP, embeddingGapCells, embeddingGapPairs, embeddingGapTestSet } from './plan';
import { embeddingGapReading } from './reading';
import { embeddingGapSeries, type EmbeddingGapCell } from './series';

const q = (hit: boolean): QueryMetrics => ({ 'recall@1': hit ? 1 : 0, 'recall@5': 1, 'recall@10': 1, 'mrr@10': hit ? 1 : 0.5, 'ndcg@10': hit ? 1 : 0.63 });
const base = Array.from({ length: 100 }, (_, i) => q(i % 4 === 0)); // recall@1 0.25
const cell = (pairs: number, seed: number, share: number): EmbeddingGapCell => ({ pairs, seed, tuned: Array.from({ length: 100 }, (_, i) => q(i % 100 < share * 100 || i % 4 === 0)), firstLoss: 1.4, lastLoss: 0.5, seconds: 1 });

describe('embedding gap', () => {
  it('plans every pair count × seed, one test set, seeded pairs that differ by seed', () => {
    expect(embeddingGapCells(DEFAULT_EMBEDDING_GAP)).toHaveLength(9);
    expect(embeddingGapTestSet({ ...DEFAULT_EMBEDDING_GAP, testQueries: 50 }).test.queries).toHaveLength(50);
    expect(embeddingGapPairs({ pairs: 8, seed: 1 })).not.toEqual(embeddingGapPairs({ pairs: 8, seed: 2 }));
  });

  it('series: base and tuned means, paired differences; reading names the smallest resolved count', () => {
    const cells = [cell(8, 1, 0), cell(8, 2, 0.02), cell(32, 1, 0.6), cell(32, 2, 0.64)];
    const points = embeddingGapSeries(base, cells, 'recall@1', 300);
    expect(points.map((p) => p.pairs)).toEqual([8, 32]);
    expect(points[0].base.mean).toBeCloseTo(0.25, 12);
    expect(points[1].tuned.mean).toBeCloseTo((0.7 + 0.73) / 2, 12); // i < 60 or i % 4 = 0: 70 hits; i < 64 or …: 73
    expect(points[1].difference.lo).toBeGreaterThan(0);
    expect(points[0].difference.lo).toBeLessThanOrEqual(0);
    const text = embeddingGapReading('recall@1', points, 0.25);
    expect(text).toContain('The base as an embedder scores recall@1 0.25');
    expect(text).toContain('The smallest number of pairs whose gain excludes zero: 32.');
    expect(text).toContain('more pairs helped');
    expect(text).toContain('2 seeds');
  });
});
