// Small sampling helpers shared by the skills (all driven by the seeded Rng).

import type { Rng } from '../rng';
import type { EvalRole, ShiftSpec, Split } from './types';
import { EVAL_ROLES, EVAL_SHARE_PER_MILLE } from './partition';
import { WorldSpecError } from '../errors';

export const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new WorldSpecError('Nothing to sample from.', 'The distribution shift removed every choice; widen it.');
  return items[rng.int(items.length)];
}

/** Uniform integer in [min, max]. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + rng.int(max - min + 1);
}

/** The [min, max] length range after a shift, clamped to the skill's own range. */
export function lengthRange(shift: ShiftSpec, min: number, max: number): [number, number] {
  if (!shift.lengths) return [min, max];
  const lo = Math.max(min, shift.lengths[0]);
  const hi = Math.min(max, shift.lengths[1]);
  if (lo > hi) {
    throw new WorldSpecError(`Length range [${shift.lengths}] is outside this skill's range [${min}, ${max}].`, 'Pick lengths inside the skill range.');
  }
  return [lo, hi];
}

export function randomLetters(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += LETTERS[rng.int(26)];
  return s;
}

/** Indices 0..count-1 kept by a template shift. */
export function templateChoices(shift: ShiftSpec, count: number): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  return shift.templates ? all.filter((i) => shift.templates!.includes(i)) : all;
}

/** A different string of the same length (for label noise on string skills). */
export function perturbString(rng: Rng, answer: string, alphabet: string): string {
  for (;;) {
    const chars = [...answer];
    const i = rng.int(chars.length);
    chars[i] = alphabet[rng.int(alphabet.length)];
    const out = chars.join('');
    if (out !== answer) return out;
  }
}

/** The share of a hash-partitioned item space in a split (and eval role): for pool estimates of huge spaces. */
export function hashShare(split: Split, role: EvalRole | undefined): number {
  const evalShare = EVAL_SHARE_PER_MILLE / 1000;
  if (split === 'train') return 1 - evalShare;
  return role === undefined ? evalShare : evalShare / EVAL_ROLES.length;
}
