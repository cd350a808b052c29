// Tests: nested, seeded subsets of the distinct training examples.
import { describe, expect, it } from 'vitest';
import { nestedSubsets, subsetSize } from './subsets';

const ids = Array.from({ length: 80 }, (_, i) => `id-${i}`);

describe('nested subsets', () => {
  it('are nested: every smaller subset is inside every larger one, for every seed', () => {
    for (const seed of [1, 2, 3]) {
      const subsets = nestedSubsets(ids, [0.125, 0.25, 0.5, 1], seed);
      const sizes = [...subsets.values()].map((s) => s.size);
      expect(sizes).toEqual([10, 20, 40, 80]);
      const ordered = [...subsets.values()];
      for (let i = 1; i < ordered.length; i++) for (const id of ordered[i - 1]) expect(ordered[i].has(id)).toBe(true);
    }
  });

  it('are seeded: the same seed gives the same subsets, whatever order the rows came in; another seed others', () => {
    const a = [...nestedSubsets(ids, [0.25], 1).get(0.25)!];
    const b = [...nestedSubsets([...ids].reverse(), [0.25], 1).get(0.25)!];
    const c = [...nestedSubsets(ids, [0.25], 2).get(0.25)!];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('count distinct examples: duplicate ids are one example', () => {
    const subsets = nestedSubsets([...ids, ...ids.slice(0, 20)], [0.5, 1], 1);
    expect(subsets.get(1)!.size).toBe(80);
    expect(subsets.get(0.5)!.size).toBe(40);
  });

  it('never round a positive share to nothing', () => {
    expect(subsetSize(0.01, 10)).toBe(1);
    expect(subsetSize(1, 10)).toBe(10);
  });
});
