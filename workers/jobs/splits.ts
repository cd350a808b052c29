// Seeded, stable train/validation/test assignment: a row's split depends only on the seed and its content.
import type { DatasetRow, SplitName } from '../../src/storage/types';

/** FNV-1a, 32-bit: fast, stable across machines, good enough to spread rows evenly. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export const SPLIT_FRACTIONS = { train: 0.8, validation: 0.1, test: 0.1 } as const;

/** Same seed and content → same split, however the file is ordered or grows. */
export function splitOf(row: Pick<DatasetRow, 'prompt' | 'completion'>, seed: number): SplitName {
  const u = fnv1a(`${seed}\u0000${row.prompt}\u0000${row.completion}`) / 4294967296;
  if (u < SPLIT_FRACTIONS.train) return 'train';
  return u < SPLIT_FRACTIONS.train + SPLIT_FRACTIONS.validation ? 'validation' : 'test';
}
