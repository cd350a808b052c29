// How a raw in-place pass folds its workgroups into x and y within the device's per-dimension limit.
import { describe, expect, it } from 'vitest';
import { rawDispatch } from './inplace-program';

describe('rawDispatch', () => {
  it('keeps small dispatches on x and folds large ones into y, covering every invocation', () => {
    expect(rawDispatch(1, 64, 65535)).toEqual([1, 1]);
    expect(rawDispatch(65, 64, 65535)).toEqual([2, 1]);
    // 70,000 workgroups of 64 (a 4.5M-element tensor) pass the 65,535 limit: two rows of 65,535.
    const [x, y] = rawDispatch(64 * 70_000, 64, 65_535);
    expect([x, y]).toEqual([65_535, 2]);
    expect(x * y * 64).toBeGreaterThanOrEqual(64 * 70_000);
  });
});
