// Nested, seeded subsets of a training split's distinct examples: a seed orders the examples once, each subset is a prefix.
import { Rng } from '../../rng';

/** Distinct example ids in first-seen order (rows with the same id are the same example: their content hash). */
export function distinctIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)];
}

/** How many distinct examples a share of `distinct` is (at least 1 for a positive share). */
export function subsetSize(fraction: number, distinct: number): number {
  return Math.max(fraction > 0 ? 1 : 0, Math.min(distinct, Math.round(fraction * distinct)));
}

/**
 * The seed's order of the distinct ids: sorted first (so the order depends on the data's content, not on how its
 * rows were stored), then shuffled with the seed. Every subset of this seed is a prefix of it.
 */
export function seededOrder(ids: readonly string[], seed: number): string[] {
  return new Rng(0x5eed0000 + seed).shuffle([...distinctIds(ids)].sort());
}

/** The subset of each fraction for one seed: prefixes of one seeded order, so a larger subset contains every smaller one. */
export function nestedSubsets(ids: readonly string[], fractions: readonly number[], seed: number): Map<number, Set<string>> {
  const order = seededOrder(ids, seed);
  return new Map(fractions.map((f) => [f, new Set(order.slice(0, subsetSize(f, order.length)))]));
}
