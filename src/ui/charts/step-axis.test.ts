// Tests: the training-step axis of the charts.
import { describe, expect, it } from 'vitest';
import { stepAxis } from './step-axis';

describe('stepAxis', () => {
  it('puts one tick on every whole step of a short run, so no label repeats', () => {
    expect(stepAxis([1, 2, 3, 4]).ticks).toEqual([1, 2, 3, 4]);
    expect(stepAxis([0, 2, 4]).ticks).toEqual([0, 1, 2, 3, 4]);
  });
  it("leaves long runs to Plot's nice ticks", () => {
    expect(stepAxis([0, 50, 100]).ticks).toBeUndefined();
  });
  it('copes with no points yet', () => {
    expect(stepAxis([]).ticks).toEqual([0]);
  });
});
