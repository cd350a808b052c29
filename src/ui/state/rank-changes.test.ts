// The rank-change table: largest moves first, both directions, unchanged queries left out.
import { expect, it } from 'vitest';
import { largestRankChanges } from './rank-changes';

it('orders by the size of the move and counts a missing rank as the depth', () => {
  const c = (id: string, baseRank: number | null, tunedRank: number | null) => ({ id, text: id, baseRank, tunedRank, baseTop: '', tunedTop: '' });
  const out = largestRankChanges([c('a', 3, 1), c('b', 1, 1), c('c', 1, 4), c('d', null, 1)], 5, 10);
  expect(out.map((r) => [r.id, r.change])).toEqual([['d', 4], ['c', -3], ['a', 2]]);
});
