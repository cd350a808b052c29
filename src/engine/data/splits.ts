// Seeded, stable train/validation/test assignment: a record's split depends only on the seed and its own id.

import { TuneLabError } from '../errors';
import type { DatasetRecord } from './record';
import { recordId } from './record-id';
import { sha256Hex } from './sha256';

export type SplitName = 'train' | 'validation' | 'test';

export interface SplitFractions {
  /** Fraction for validation, in [0, 1]. */
  validation: number;
  /** Fraction for test, in [0, 1]; validation + test ≤ 1, the rest is train. */
  test: number;
}

/** A uniform number in [0, 1) from sha-256 of "seed:id" (its first 48 bits). */
export function splitPosition(seed: number, id: string): number {
  return parseInt(sha256Hex(`${seed}:${id}`).slice(0, 12), 16) / 2 ** 48;
}

/**
 * validation when position < validation, test when < validation + test, else train. Because the position of a
 * record never depends on other records, adding records never moves existing ones; exact duplicates share an
 * id and so a split (no train/test leakage through duplicates).
 */
export function assignSplit(seed: number, id: string, fractions: SplitFractions): SplitName {
  if (!(fractions.validation >= 0 && fractions.test >= 0 && fractions.validation + fractions.test <= 1)) {
    throw new TuneLabError(
      `Split fractions validation=${fractions.validation}, test=${fractions.test} do not fit.`,
      'Choose validation and test fractions ≥ 0 that sum to at most 1.',
    );
  }
  const position = splitPosition(seed, id);
  if (position < fractions.validation) return 'validation';
  if (position < fractions.validation + fractions.test) return 'test';
  return 'train';
}

export type DatasetSplits<T> = Record<SplitName, T[]>;

/** Splits records (in their original order within each split). */
export function splitRecords<T extends DatasetRecord>(records: readonly T[], seed: number, fractions: SplitFractions): DatasetSplits<T> {
  const splits: DatasetSplits<T> = { train: [], validation: [], test: [] };
  for (const record of records) splits[assignSplit(seed, recordId(record), fractions)].push(record);
  return splits;
}
