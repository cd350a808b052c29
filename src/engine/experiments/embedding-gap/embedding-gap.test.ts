// Embedding gap plan, series and reading on hand-made cells: base level, gains with paired intervals, the smallest resolved count.
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES, type MetricName } from '../../embed/retrieval-metrics';
import { RETRIEVAL_TASK_VERSION } from '../../world/retrieval-task';
import { expandCells, experimentId } from '../cells';
import { EMBEDDING_GAP_VERSION } from '../identity';
import { embeddingGapPreset, presetSpec, reducedSpec } from '../presets';
import type { CellEval, CellResult } from '../types';
import { readQuery, specToQuery } from '../url-state';
import { workOf } from '../work';
import { EMBEDDING_GAP_CHANCE, embeddingGapPairs, embeddingGapTestSet } from './plan';
import { embeddingGapReading } from './reading';
import { embeddingGapSeries } from './series';

/** An eval point whose recall@1 is 1 on the tickets `hit` picks (nDCG@10 1, else 0.63), 100 tickets. */
function point(step: number, hit: (i: number) => boolean): CellEval {
  const r1 = Array.from({ length: 100 }, (_, i) => (hit(i) ? 1 : 0));
  const items = Object.fromEntries(METRIC_NAMES.map((m: MetricName) => [m, m === 'recall@1' ? r1 : m === 'ndcg@10' ? r1.map((v) => (v ? 1 : 0.63)) : r1.map(() => 1)]));
  return { step, scores: {}, items };
}
const baseHit = (i: number) => i % 4 === 0; // recall@1 0.25
function cell(pairs: number, seed: number, share: number): CellResult {
  return {
    cellKey: `${pairs}-${seed}`, experimentId: 'x', settings: { ...embeddingGapPreset().fixed, trainSize: pairs }, seed, trainExamples: pairs, ms: 1,
    evals: [point(0, baseHit), point(40, (i) => i < share * 100 || baseHit(i))],
    losses: [1.4, 1.4, 1.4, 1.4, 1.4, 0.5, 0.5, 0.5, 0.5, 0.5],
  };
}

describe('embedding gap', () => {
  it('the preset: 3 pair counts × 3 seeds, one test set, seeded pairs that differ by seed, its own experiment id and link', () => {
    const spec = presetSpec('embedding-gap');
    expect(expandCells(spec).map((c) => [c.settings.trainSize, c.seed])).toEqual([[8, 1], [32, 1], [128, 1], [8, 2], [32, 2], [128, 2], [8, 3], [32, 3], [128, 3]]);
    expect(workOf(spec, 1)).toMatchObject({ runs: 9, steps: 360, evalPasses: 18 });
    expect(embeddingGapTestSet(50).test.queries).toHaveLength(50);
    expect(embeddingGapTestSet(50).corpus).toHaveLength(1 / EMBEDDING_GAP_CHANCE);
    expect(embeddingGapPairs(8, 1)).toHaveLength(8);
    expect(embeddingGapPairs(8, 1)).not.toEqual(embeddingGapPairs(8, 2));
    // No training ticket is a test ticket, whatever the seed.
    const test = new Set(embeddingGapTestSet(200).test.queries.map((q) => q.text));
    for (const seed of [1, 2, 3]) expect(embeddingGapPairs(128, seed).filter((p) => test.has(p.anchor))).toEqual([]);
    // The id carries EMBEDDING_GAP_VERSION only: a new retrieval task must come with a new version of it.
    expect([EMBEDDING_GAP_VERSION, RETRIEVAL_TASK_VERSION]).toEqual(['embedding-gap/1', 'tiny-world-retrieval/1']);
    expect(experimentId(spec, 'ab'.repeat(32))).not.toBe(experimentId({ ...spec, embeddingGap: undefined }, 'ab'.repeat(32)));
    expect(experimentId(spec, 'ab'.repeat(32))).not.toBe(experimentId({ ...spec, embeddingGap: { pooling: 'last' } }, 'ab'.repeat(32)));
    const back = readQuery(specToQuery(spec));
    expect(back.notices).toEqual([]);
    expect(back.spec).toEqual(spec);
    expect(reducedSpec(spec)).toMatchObject({ base: 'seed:tiny', seeds: 1, evalItems: 3, embeddingGap: { pooling: 'mean' } });
  });

  it('series: base and tuned means, paired differences; reading names the smallest resolved count', () => {
    const cells = [cell(8, 1, 0), cell(8, 2, 0.02), cell(32, 1, 0.6), cell(32, 2, 0.64)];
    const points = embeddingGapSeries(cells, 'recall@1', 300);
    expect(points.map((p) => p.pairs)).toEqual([8, 32]);
    expect(points[0].base.mean).toBeCloseTo(0.25, 12);
    expect(points[1].tuned.mean).toBeCloseTo((0.7 + 0.73) / 2, 12); // i < 60 or i % 4 = 0: 70 hits; i < 64 or …: 73
    expect(points[1].difference.lo).toBeGreaterThan(0);
    expect(points[0].difference.lo).toBeLessThanOrEqual(0);
    expect(points[1].firstLoss).toBeCloseTo(1.4, 12);
    expect(points[1].lastLoss).toBeCloseTo(0.5, 12);
    const text = embeddingGapReading('recall@1', points, 0.25);
    expect(text).toContain('The base as an embedder scores recall@1 0.25');
    expect(text).toContain('8 pairs → ');
    expect(text).toMatch(/8 pairs → [^;]*not resolved/);
    expect(text).toContain('The smallest number of pairs whose gain excludes zero: 32.');
    expect(text).toContain('more pairs helped');
    expect(text).toContain('2 seeds');
    // Nothing resolved: the reading says so and claims no gain.
    const flat = embeddingGapSeries([cell(8, 1, 0), cell(8, 2, 0.01)], 'recall@1', 300);
    expect(embeddingGapReading('recall@1', flat)).toContain('No number of pairs tried gives a gain whose interval excludes zero.');
    // A cell still running (base scored, no final eval) is left out.
    expect(embeddingGapSeries([{ ...cell(8, 1, 0), evals: [point(0, baseHit)] }], 'recall@1', 10)).toEqual([]);
  });
});

describe('an Embedding gap cell through runCell (cpu backend, the reduced preset)', () => {
  it('scores the base at step 0 and the fine-tune at the end on the same tickets; cancellable', async () => {
    const { initBackend } = await import('../../backend/init');
    const { loadExperimentBase } = await import('../base');
    const { runCell } = await import('../cell-runner');
    const { experimentSuite } = await import('../suite');
    const { checkExperimentSpec } = await import('../leaks');
    await initBackend('cpu');
    // The reduced preset cut further (4 pairs, 3 steps of 2): seconds on the cpu backend.
    const reduced = reducedSpec(presetSpec('embedding-gap'));
    const spec = { ...reduced, fixed: { ...reduced.fixed, steps: 3, batchSize: 2 }, axes: [{ knob: 'trainSize' as const, values: [4] }] };
    checkExperimentSpec(spec);
    const base = await loadExperimentBase(spec.base, async () => null);
    const [cell] = expandCells(spec);
    const steps: number[] = [];
    const options = { experimentId: 'e', suite: experimentSuite(spec), target: spec.target, evalEvery: spec.evalEvery, embeddingGap: spec.embeddingGap, embeddingGapTestQueries: spec.evalItems, onStep: (s: number) => steps.push(s) };
    const result = await runCell(base, cell, options);
    expect(steps).toEqual([1, 2, 3]);
    expect(result.evals.map((e) => e.step)).toEqual([0, 3]);
    expect(result.losses).toHaveLength(3);
    expect(result.trainExamples).toBe(4);
    for (const e of result.evals) {
      expect(e.items!['recall@1']).toHaveLength(3);
      expect(e.scores['recall@1']).toBeCloseTo(e.items!['recall@1'].reduce((a, b) => a + b, 0) / 3, 12);
      // 4 pages: recall@5 is 1 for every ticket, nDCG@10 at least 1/log2(5).
      expect(e.items!['recall@5'].every((v) => v === 1)).toBe(true);
      expect(Math.min(...e.items!['ndcg@10'])).toBeGreaterThanOrEqual(1 / Math.log2(5) - 1e-9);
    }
    const aborted = new AbortController();
    aborted.abort();
    await expect(runCell(base, cell, { ...options, signal: aborted.signal })).rejects.toThrow(/cancelled/);
    // A run the contrastive trainer cannot do is refused before anything trains.
    expect(() => checkExperimentSpec({ ...spec, fixed: { ...spec.fixed, batchSize: 1 } })).toThrow(/in-batch negatives/);
  }, 120_000);
});
