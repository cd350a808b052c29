// Tests: data-quality slices (in/out cells, paired differences, readings).
import { describe, expect, it } from 'vitest';
import { armExamples, expandSliceCells, nearDuplicateFlags, rowHasPii, rowInSlice, sliceEffects, sliceReading, type CurveSlice } from './slice';
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

  it('puts the rows the PII scan flags in the personal-data slice, by any text of the row', () => {
    const row = (prompt: string, completion: string, messages?: { role: string; content: string }[]) => ({ prompt, completion, messages });
    expect(rowHasPii(row('Write to me', 'at jane.doe@example.com.'))).toBe(true);
    expect(rowHasPii(row('Call +44 20 7946 0958 today', 'ok'))).toBe(true);
    expect(rowHasPii(row('Card 4111 1111 1111 1111?', 'no'))).toBe(true);
    // Luhn-invalid digits and dates are not personal data by the scan.
    expect(rowHasPii(row('Order 4111 1111 1111 1112', 'shipped 2024-01-02'))).toBe(false);
    expect(rowHasPii(row('2+3=', '5.'))).toBe(false);
    // A chat row: its messages are scanned (the system turn too), not the derived prompt alone.
    expect(rowHasPii(row('', 'hi', [{ role: 'system', content: 'server at 10.0.0.12' }, { role: 'user', content: 'hi' }]))).toBe(true);
    const pii: CurveSlice = { kind: 'pii' };
    expect(rowInSlice({ pii: true }, pii)).toBe(true);
    expect(rowInSlice({ cohort: 'x' }, pii)).toBe(false);
    const rowsPii = [{ id: 'a', inSlice: false, examples: ['a1'] }, { id: 'b', inSlice: true, examples: ['b1'] }];
    expect(armExamples(rowsPii, pii, 'without')).toEqual(['a1']);
    expect(sliceReading(pii, [], 1)).toBe('No seed has run both with and without the rows with personal data (emails, phone, card numbers, IP addresses) yet.');
  });

  it('puts the rows beyond the first of each near-duplicate group in the near-duplicates slice', () => {
    const ten = 'the quick brown fox jumps over a lazy sleeping dog';
    const row = (prompt: string, completion: string) => ({ prompt, completion });
    const rows = [
      row(ten, 'yes'),
      row('what is two plus two', 'four'),
      // Last word changed: prompt bigrams 8 of 9 shared + "yes" shared → 9 shared, union 11 → 0.818 ≥ 0.8.
      row(ten.replace('dog', 'cat'), 'yes'),
      // A middle word changed: 7 + 1 shared, union 12 → 0.667 < 0.8 with row 0, and 6 + 1 of 13 with row 2.
      row(ten.replace('jumps', 'leaps'), 'yes'),
      // An exact copy of row 0 is a duplicate, not a near-duplicate; an exact copy of the flagged row 2 goes with it.
      row(ten, 'yes'),
      row(` ${ten.replace('dog', 'cat')}`, 'yes'),
    ];
    expect(nearDuplicateFlags(rows)).toEqual([false, false, true, false, false, true]);
    const near: CurveSlice = { kind: 'near-duplicates' };
    expect(rowInSlice({ nearDuplicate: true }, near)).toBe(true);
    expect(rowInSlice({ pii: true }, near)).toBe(false);
    const flagged = nearDuplicateFlags(rows).map((inSlice, i) => ({ id: String(i), inSlice, examples: [i] }));
    expect(armExamples(flagged, near, 'without')).toEqual([0, 1, 3, 4]);
    expect(armExamples(flagged, near, 'with')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(expandSliceCells(near, 1).map((c) => c.key)).toEqual(['slice=near-duplicates: arm=with seed=1', 'slice=near-duplicates: arm=without seed=1']);
    expect(sliceReading(near, [], 2)).toBe('No seed has run both with and without the near-duplicate rows (all but the first of each group sharing ≥ 80% of their word pairs) yet.');
  });
});
