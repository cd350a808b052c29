// Tests of the comparison helper: deltas, direction of lower-is-better metrics, cohort-regression warnings.

import { expect, test } from 'vitest';
import { compareResults } from './compare';
import type { MetricResult, SuiteResult } from './types';

const metric = (value: number, perCohort: Record<string, number>, higherIsBetter = true): MetricResult => ({
  value,
  ci: [value - 0.1, value + 0.1],
  n: 100,
  higherIsBetter,
  perCohort: Object.fromEntries(Object.entries(perCohort).map(([c, v]) => [c, { value: v, ci: [v, v] as [number, number], n: 50 }])),
});
const suite = (em: MetricResult, ppl: MetricResult): SuiteResult => ({
  suite: 's',
  probes: [
    { probe: 'TICK', metrics: { exact_match: em }, predictions: [], itemValues: [] },
    { probe: 'text', metrics: { perplexity: ppl }, predictions: [], itemValues: [] },
  ],
});

test('warns when the aggregate improves while a cohort regresses', () => {
  const base = suite(metric(0.6, { us: 0.6, uk: 0.6 }), metric(3, {}, false));
  const tuned = suite(metric(0.7, { us: 0.9, uk: 0.5 }), metric(2.5, {}, false));
  const fewShot = suite(metric(0.65, { us: 0.65, uk: 0.65 }), metric(3.5, {}, false));
  const c = compareResults('base', base, { 'fine-tuned': tuned, 'few-shot': fewShot });
  const em = c.rows.find((r) => r.probe === 'TICK')!;
  expect(em.variants['fine-tuned'].delta).toBeCloseTo(0.1, 12);
  expect(em.variants['fine-tuned'].perCohortDelta.uk).toBeCloseTo(-0.1, 12);
  const ppl = c.rows.find((r) => r.probe === 'text')!;
  expect(ppl.variants['fine-tuned'].improved).toBe(true); // lower perplexity is better
  expect(ppl.variants['few-shot'].improved).toBe(false);
  expect(c.warnings).toHaveLength(1);
  expect(c.warnings[0]).toMatchObject({ variant: 'fine-tuned', probe: 'TICK', cohort: 'uk' });
});

test('no warning when every cohort moves with the aggregate', () => {
  const base = suite(metric(0.6, { us: 0.6, uk: 0.6 }), metric(3, {}, false));
  const tuned = suite(metric(0.7, { us: 0.7, uk: 0.7 }), metric(2.5, {}, false));
  expect(compareResults('base', base, { tuned }).warnings).toEqual([]);
});
