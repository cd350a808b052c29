// Mean and t-interval over seeds against hand-computed values.
import { describe, expect, it } from 'vitest';
import { summarizeSeeds, tQuantile975 } from './aggregate';

describe('summarizeSeeds', () => {
  it('gives the t-interval of the mean (hand-computed)', () => {
    // [1, 2, 3]: mean 2, sample sd 1, t(2) = 4.303 → half-width 4.303 / √3 = 2.48434
    const s = summarizeSeeds([1, 2, 3]);
    expect(s.mean).toBe(2);
    expect(s.halfWidth).toBeCloseTo(2.48434, 4);
    expect(s.lo).toBeCloseTo(2 - 2.48434, 4);
    expect(s.hi).toBeCloseTo(2 + 2.48434, 4);
    // [0.8, 0.9]: sd 0.070711, t(1) = 12.706 → 12.706 × 0.070711 / √2 = 0.6353
    expect(summarizeSeeds([0.8, 0.9]).halfWidth).toBeCloseTo(0.6353, 4);
  });

  it('has no interval with one seed and NaN with none', () => {
    expect(summarizeSeeds([0.5])).toEqual({ mean: 0.5, lo: 0.5, hi: 0.5, halfWidth: 0, n: 1 });
    expect(summarizeSeeds([]).n).toBe(0);
    expect(tQuantile975(100)).toBe(1.96);
  });
});
