// Why the split counts are not exactly the chosen shares: a row's split follows from its content, so copies share one.
import type { DatasetStats } from '../../contract';

/**
 * One or two sentences under the split counts. Every row's split is drawn from a hash of its content, so all copies
 * of a row land in the same split (a copy in test of a row trained on would be measured as if unseen); the shares
 * then apply to distinct rows, and with few distinct rows or large groups of copies the counts drift from them.
 */
export function splitNote(stats: Pick<DatasetStats, 'rows' | 'duplicates' | 'splits' | 'splitFractions'>): string {
  const { rows, duplicates, splitFractions: f } = stats;
  const expected = (share: number) => Math.round(rows * share);
  const shares = `${expected(1 - f.validation - f.test)}/${expected(f.validation)}/${expected(f.test)}`;
  const rule = 'Each row’s split is drawn from a hash of its content, so the same rows always go to the same split.';
  if (duplicates === 0) return `${rule} The counts follow the shares up to chance (exactly ${shares} of ${rows} would be the shares).`;
  const distinct = rows - duplicates;
  return (
    `${rule} ${duplicates} of the ${rows} rows repeat others (${distinct} distinct), and every exact copy stays in its original’s split, ` +
    'so no test or validation row was also trained on. The shares apply to distinct rows, so the counts can be far from ' +
    `${shares}: a group of copies moves together.`
  );
}
