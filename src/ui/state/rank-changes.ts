// The queries whose first relevant document moved most between the base and the fine-tuned model (for the page's table).
import type { QueryComparison } from '../../contract';

export interface RankChange extends QueryComparison {
  /** Positive: the relevant document moved up (base rank − tuned rank); a rank beyond the retrieved counts as `missing`. */
  change: number;
}

/** The `limit` queries with the largest |rank change|, largest first; ties by query id for a stable table. */
export function largestRankChanges(comparisons: readonly QueryComparison[], missing: number, limit = 10): RankChange[] {
  return comparisons
    .map((c) => ({ ...c, change: (c.baseRank ?? missing) - (c.tunedRank ?? missing) }))
    .filter((c) => c.change !== 0)
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
}
