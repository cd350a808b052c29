// Tests: chart axis domains fitted to the data.
import { describe, expect, it } from 'vitest';
import { paddedDomain } from './domain';

describe('paddedDomain', () => {
  it('pads both sides by a share of the span', () => {
    expect(paddedDomain([0.5, 0.6])).toEqual([expect.closeTo(0.49, 9), expect.closeTo(0.61, 9)]);
  });
  it('includes the required values (zero change) and keeps a minimum span', () => {
    const [lo, hi] = paddedDomain([0.517, 0.6], { include: [0], minSpan: 0.2 });
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0.6);
    const [a, b] = paddedDomain([0.3, 0.3], { minSpan: 0.2 });
    expect(b - a).toBeGreaterThanOrEqual(0.2);
    expect((a + b) / 2).toBeCloseTo(0.3);
  });
  it('stays within the hard limits', () => {
    expect(paddedDomain([-1, 1], { clamp: [-1, 1] })).toEqual([-1, 1]);
  });
  it('ignores non-finite values and has a fallback for none', () => {
    expect(paddedDomain([NaN, Infinity], { clamp: [-1, 1] })).toEqual([-1, 1]);
    expect(paddedDomain([2, NaN])).toEqual([1.5, 2.5]);
  });
});
