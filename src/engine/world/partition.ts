// Hash partition of every skill's item space into train and eval halves, and of the eval half into three roles.

import type { EvalRole, Part, Split } from './types';

/** Share of each hash-partitioned item space reserved for evaluation (1 in 8). */
export const EVAL_SHARE_PER_MILLE = 125;

/**
 * The three uses of eval items, never mixed: tuning pretraining (scripts/pretrain), development (the app's probes,
 * trying settings) and reported results (experiments). Each takes its own third of the eval half, so an item that
 * steered a choice is never an item a reported number is measured on.
 */
export const EVAL_ROLES: readonly EvalRole[] = ['pretrain', 'dev', 'report'];

/** FNV-1a 32-bit hash of a string (stable across platforms and runs). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** fnv1a mixed once more, so that near-identical keys spread evenly. */
export function mixedHash(key: string): number {
  return Math.imul(fnv1a(key) ^ 0x5bd1e995, 0x27d4eb2d) >>> 0;
}

/** The part an item belongs to, decided by its key alone: train, or one eval role. */
export function partOf(key: string): Part {
  const h = mixedHash(key);
  return h % 1000 < EVAL_SHARE_PER_MILLE ? EVAL_ROLES[Math.floor(h / 1000) % EVAL_ROLES.length] : 'train';
}

/** The split an item belongs to, decided by its key alone. */
export function splitOf(key: string): Split {
  return partOf(key) === 'train' ? 'train' : 'eval';
}

/** Whether an item of `part` may be drawn for a dataset of `split` (and, for eval, `role`; any role when absent). */
export function partAllowed(part: Part, split: Split, role?: EvalRole): boolean {
  if (split === 'train') return part === 'train';
  return part !== 'train' && (role === undefined || part === role);
}
