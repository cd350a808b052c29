// The new presets' slides before any run: Cliff with replay draws one curves chart per replay share, Cohorts its per-cohort chart.
import { expect, it } from 'vitest';
import { ceilingPreset, cliffReplayPreset, cohortsPreset, embeddingGapPreset, matchedGainPreset } from '../../engine/experiments/presets';
import { slidesOf } from './slides';

it('Cliff with replay: curves at replay 0, 0.1 and 0.3, then the trade-off and perplexity; Cohorts: one per-cohort chart', () => {
  expect(slidesOf(cliffReplayPreset(), []).map((s) => s.id)).toEqual(['curves-at-0', 'curves-at-0.1', 'curves-at-0.3', 'tradeoff', 'perplexity']);
  const [cohorts] = slidesOf(cohortsPreset(), []);
  expect(cohorts.id).toBe('cohorts');
  expect(cohorts.reading).toBe('No run has finished yet.');
  expect(cohorts.warnings).toEqual([]);
});

it('Embedding gap: recall@1 and nDCG@10 charts before any run, no rows, a reading that says nothing finished', () => {
  const slides = slidesOf(embeddingGapPreset(), []);
  expect(slides.map((s) => s.id)).toEqual(['embedding-gap-recall', 'embedding-gap-ndcg']);
  expect(slides.every((s) => s.rows.length === 0 && s.reading === 'No cell has finished yet.')).toBe(true);
});

it('Matched gain: forgetting and perplexity at the stop, nothing to read before a run', () => {
  const slides = slidesOf(matchedGainPreset(), []);
  expect(slides.map((s) => s.id)).toEqual(['matched-forgetting', 'matched-perplexity']);
  expect(slides[0].reading).toBe('No run has finished yet.');
  expect(slides[0].rows).toEqual([]);
});

it('Capability ceiling: one per-base chart, nothing to read before a run', () => {
  const slides = slidesOf(ceilingPreset(), []);
  expect(slides.map((s) => s.id)).toEqual(['ceiling']);
  expect(slides[0].reading).toBe('No run has finished yet.');
  expect(slides[0].rows).toEqual([]);
});
