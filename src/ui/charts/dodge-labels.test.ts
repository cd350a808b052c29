// Tests: chart end labels moved apart so none overlap.
import { describe, expect, it } from 'vitest';
import { placeLabels } from './dodge-labels';

describe('placeLabels', () => {
  it('stacks labels at the same spot upwards, one gap apart', () => {
    const y = placeLabels([{ x0: 0, x1: 50, y: 100 }, { x0: 0, x1: 40, y: 100 }, { x0: 10, x1: 60, y: 100 }], 20);
    expect([...y].sort((a, b) => a - b)).toEqual([60, 80, 100]);
  });
  it('leaves labels alone that do not collide', () => {
    expect(placeLabels([{ x0: 0, x1: 50, y: 100 }, { x0: 60, x1: 90, y: 100 }, { x0: 0, x1: 50, y: 40 }], 20)).toEqual([100, 100, 40]);
  });
  it('moves a label past every one it would hit', () => {
    const y = placeLabels([{ x0: 0, x1: 50, y: 100 }, { x0: 0, x1: 50, y: 85 }, { x0: 0, x1: 50, y: 95 }], 20);
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) expect(Math.abs(y[i] - y[j])).toBeGreaterThanOrEqual(20);
    expect(y[0]).toBe(100);
  });
  it('ends when a float gap makes a moved label still read as too close (13.8 px at 142)', () => {
    const y = placeLabels([{ x0: 496, x1: 533.2, y: 142 }, { x0: 496, x1: 525.76, y: 142 }], 12 * 1.15);
    expect(y[0]).toBe(142);
    expect(y[1]).toBeCloseTo(128.2);
  });
});
