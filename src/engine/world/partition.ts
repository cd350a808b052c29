// Hash partition of every skill's item space into train and eval halves, so eval items never leak into train.

import type { Split } from './types';

/** Share of each partitioned item space reserved for evaluation (1 in 8). */
export const EVAL_SHARE_PER_MILLE = 125;

/** FNV-1a 32-bit hash of a string (stable across platforms and runs). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The split an item belongs to, decided by its key alone. */
export function splitOf(key: string): Split {
  // Mix once more so that near-identical keys spread evenly.
  const h = Math.imul(fnv1a(key) ^ 0x5bd1e995, 0x27d4eb2d) >>> 0;
  return h % 1000 < EVAL_SHARE_PER_MILLE ? 'eval' : 'train';
}
