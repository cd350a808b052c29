// A Retrieval result as a run record: named from its numbers, the whole result kept, never taken for an orphan (no dataset, no checkpoint).
import { describe, expect, it } from 'vitest';
import type { RetrievalResult, RetrievalRunInfo, RetrievalSide } from '../contract';
import { findOrphans } from './orphans';
import { retrievalRunName, retrievalRunRecord } from './retrieval-runs';

const side = (r1: number): RetrievalSide => ({
  scores: Object.fromEntries(['recall@1', 'recall@5', 'recall@10', 'mrr@10', 'ndcg@10'].map((m) => [m, { value: m === 'recall@1' ? r1 : 1, ci: [0, 1], n: 2 }])) as RetrievalSide['scores'],
  perQuery: [],
});
const result = (tuned: boolean): RetrievalResult => ({
  status: 'completed', steps: tuned ? 40 : 0, queries: 200, droppedQueries: 0, base: side(0.33), tuned: tuned ? side(0.575) : null, differences: null,
  comparisons: [{ id: 'q1', text: 'my refund is late', baseRank: 2, tunedRank: 1, baseTop: 'manager', tunedTop: 'cashdesk' }],
  curve: [{ step: 0, recallAt1: 0.3 }, { step: 1, loss: 1.2 }, { step: 2, loss: 0.9 }], seconds: 12.4,
});
const info = (tuned: boolean, modelKind: RetrievalRunInfo['modelKind'] = 'shipped'): RetrievalRunInfo => ({
  model: 'tiny-world-400k', modelKind, source: 'Tiny World tickets → teams: 128 pairs', corpusSize: 4,
  hyper: { method: 'lora', rank: 8, learningRate: 2e-3, steps: tuned ? 40 : 0, batchSize: 4, scale: 20, symmetric: false, pooling: 'mean', evalEvery: 10, seed: 0 },
  result: result(tuned),
});

describe('retrieval runs', () => {
  it('names a result by its model, method and recall@1 before → after; the base alone as base only', () => {
    expect(retrievalRunName(info(true))).toBe('Retrieval · tiny-world-400k · LoRA r8, 40 steps · recall@1 0.33 → 0.57');
    expect(retrievalRunName(info(false))).toBe('Retrieval · tiny-world-400k · base only · recall@1 0.33');
  });

  it("keeps the whole result (scores, the rank comparisons, the curve) and the losses as the run's metrics", () => {
    const record = retrievalRunRecord(info(true), 'retrieval-1', 5);
    expect(record.retrieval!.result.comparisons[0].text).toBe('my refund is late');
    expect(record.retrieval!.corpusSize).toBe(4);
    expect(record.metrics).toEqual([{ step: 1, elapsedMs: 0, trainLoss: 1.2 }, { step: 2, elapsedMs: 0, trainLoss: 0.9 }]);
    expect(record).toMatchObject({ id: 'retrieval-1', createdAt: 5, status: 'completed', step: 40, lastCheckpointStep: null, datasetName: 'Tiny World tickets → teams: 128 pairs' });
    expect(record.model.kind).toBe('tiny-world');
    expect(retrievalRunRecord(info(true, 'encoder-files'), 'r', 5).model.kind).toBe('loaded');
    // Stored as it is: structured-clone safe (what IndexedDB keeps).
    expect(structuredClone(record)).toEqual(record);
  });

  it('is never an orphan: it has no stored dataset or checkpoint to lose', () => {
    const runs = [retrievalRunRecord(info(true), 'r1', 1), retrievalRunRecord(info(true, 'loaded'), 'r2', 1)];
    expect(findOrphans({ runs, adapters: [], datasets: [], localModelIds: [], hubCache: [] })).toEqual([]);
  });
});
