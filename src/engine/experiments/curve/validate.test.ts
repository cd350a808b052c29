// Tests: a learning curve refused before it runs, with the numbers it needs.
import { describe, expect, it } from 'vitest';
import { distinctNeeded, scoresExact, validateCurve } from './validate';

const ok = { distinctTrain: 400, heldOut: 100, heldOutWithReference: 100 };
const setup = { fractions: [0.125, 0.25, 0.5, 1], seeds: 3, match: 'auto' as const };

describe('validateCurve', () => {
  it('accepts a dataset that splits into the shares', () => {
    expect(validateCurve(setup, ok)).toEqual([]);
  });

  it('says how many distinct examples the shares need when the data is too small', () => {
    expect(distinctNeeded([0.125, 0.25, 0.5, 1])).toBe(12);
    const [p] = validateCurve(setup, { ...ok, distinctTrain: 9 });
    expect(p.field).toBe('data');
    expect(p.message).toContain('has 9 distinct examples');
    expect(p.message).toContain('at least 12 distinct examples');
  });

  it('says how many held-out rows an interval needs', () => {
    const [p] = validateCurve(setup, { ...ok, heldOut: 7, heldOutWithReference: 7 });
    expect(p.message).toContain('Only 7 held-out rows');
    expect(p.message).toContain('at least 20');
  });

  it('refuses exact match on rows without references, and auto leaves it out', () => {
    const facts = { ...ok, heldOutWithReference: 60 };
    const [p] = validateCurve({ ...setup, match: 'exact' }, facts);
    expect(p.field).toBe('match');
    expect(p.message).toContain('40 of 100 have none');
    expect(validateCurve(setup, facts)).toEqual([]);
    expect(scoresExact('auto', facts)).toBe(false);
    expect(scoresExact('auto', ok)).toBe(true);
  });

  it('refuses shares outside (0, 1], a single share and bad seeds', () => {
    expect(validateCurve({ ...setup, fractions: [0, 1] }, ok)[0].field).toBe('fractions');
    expect(validateCurve({ ...setup, fractions: [1, 1] }, ok)[0].message).toContain('two different shares');
    expect(validateCurve({ ...setup, seeds: 0 }, ok)[0].field).toBe('seeds');
  });
});
