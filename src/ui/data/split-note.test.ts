// Tests: the Data page note that says how a dataset was split.
import { describe, expect, it } from 'vitest';
import { splitNote } from './split-note';

const fractions = { validation: 0.1, test: 0.1 };

describe('splitNote', () => {
  it('explains counts far from 80/10/10 by the duplicates that stay in one split', () => {
    const note = splitNote({ rows: 400, duplicates: 276, splits: { train: 302, validation: 67, test: 31 }, splitFractions: fractions });
    expect(note).toContain('276 of the 400 rows repeat others (124 distinct)');
    expect(note).toContain('every exact copy stays in its original’s split');
    expect(note).toContain('320/40/40');
  });
  it('without duplicates it says only that the split is drawn per row, with the exact shares for comparison', () => {
    const note = splitNote({ rows: 1000, duplicates: 0, splits: { train: 795, validation: 104, test: 101 }, splitFractions: { validation: 0.1, test: 0.1 } });
    expect(note).not.toContain('copy');
    expect(note).toContain('800/100/100 of 1000');
  });
});
