// Tests: data-quality slices (in/out cells, paired differences, readings).
import { describe, expect, it } from 'vitest';
import { armExamples, expandSliceCells, sliceEffects, sliceReading, type CurveSlice } from './slice';
import type { CurveCellItems } from './estimate';

const cell = (seed: number, arm: 'with' | 'without', loss: number, items = 20): CurveCellItems & { arm: 'with' | 'without' } => ({
  seed, arm, n: 10, nll: Array(items).fill(loss), weight: Array(items).fill(1), correct: Array(items).fill(1), targets: Array(items).fill(1),
});

describe('data-quality slice', () => {
  const rows = [
    { id: 'a', inSlice: false, examples: ['a1'] },
    { id: 'b', inSlice: true, examples: ['b1'] },
    { id: 'a', inSlice: false, examples: ['a2'] },
  ];

  it('swaps the slice out: its rows, or every copy of an example after its first', () => {
    const cohort: CurveSlice = { kind: 'cohort', value: 'x' };
    expect(armExamples(rows, cohort, 'with')).toEqual(['a1', 'b1', 'a2']);
    expect(armExamples(rows, cohort, 'without')).toEqual(['a1', 'a2']);
    expect(armExamples(rows, { kind: 'duplicates' }, 'without')).toEqual(['a1', 'b1']);
    expect(expandSliceCells(cohort, 2).map((c) => c.key)).toEqual(['slice=cohort:x arm=with seed=1', 'slice=cohort:x arm=without seed=1', 'slice=cohort:x arm=with seed=2', 'slice=cohort:x arm=without seed=2']);
  });

  it('pairs the arms by seed: without − with, hand-computed (seed 1: +0.2, seed 2: +0.4)', () => {
    const effects = sliceEffects([cell(1, 'with', 1), cell(1, 'without', 1.2), cell(2, 'with', 1), cell(2, 'without', 1.4), cell(3, 'with', 1)], { resamples: 2000 });
    const d = effects[0].difference;
    expect(d.n).toBe(2);
    expect(d.mean).toBeCloseTo(0.3, 12);
    expect(d.lo).toBeCloseTo(0.2, 12);
    expect(d.hi).toBeCloseTo(0.4, 12);
    expect(sliceReading({ kind: 'cohort', value: 'x' }, effects, 5)).toContain('the slice is helping');
  });

  it('says hurting when removing the slice lowers the loss, and unresolved when the interval spans zero', () => {
    const hurt = sliceEffects([cell(1, 'with', 1.3), cell(1, 'without', 1)], { resamples: 200 });
    expect(sliceReading({ kind: 'tag', value: 'noisy' }, hurt, 3)).toContain('the slice is hurting');
    const mixed = sliceEffects([cell(1, 'with', 1), cell(1, 'without', 1.2), cell(2, 'with', 1.2), cell(2, 'without', 1)], { resamples: 500 });
    expect(sliceReading({ kind: 'duplicates' }, mixed, 3)).toContain('no effect resolved');
  });
});
