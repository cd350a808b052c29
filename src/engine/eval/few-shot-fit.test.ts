// How many solved lines the app's few-shot builder can put before a reported Tiny World item within a base's context (#17: the long-context family exists so that k = 8 fits).

import { describe, expect, test } from 'vitest';
import { EVAL_SETS, SKILL_NAMES, type SkillName } from '../world';
import { tinyWorldShots, withFewShot } from './few-shot';
import { skillProbe } from './tiny-world-suite';

/** Characters one item needs with k shots: the prompt with its shots, the answer, and the newline that ends it (one token per character). */
function longestWithShots(skill: SkillName, k: number): number {
  const probe = withFewShot(skillProbe(skill, 200, EVAL_SETS.reported.seed, EVAL_SETS.reported.role), tinyWorldShots(skill, 8).slice(0, k));
  if (probe.metric !== 'exact_match') throw new Error('exact match probe expected');
  return Math.max(...probe.items.map((i) => i.prompt.length + i.target.length + 1));
}

/** The largest k ≤ 8 whose every reported item fits `context` uncut. */
function largestFittingK(skill: SkillName, context: number): number {
  let k = 0;
  while (k < 8 && longestWithShots(skill, k + 1) <= context) k++;
  return k;
}

describe('k-shot prompts in the family’s context (reported items, seed 3003, the app’s shots)', () => {
  const fits = Object.fromEntries(SKILL_NAMES.map((s) => [s, { 64: largestFittingK(s, 64), 256: largestFittingK(s, 256) }])) as Record<SkillName, Record<64 | 256, number>>;

  test('at context 256 all 8 shots fit uncut for every skill but the ticket ones, whose lines run to 57 characters', () => {
    for (const skill of SKILL_NAMES) {
      if (skill === 'TICK' || skill === 'ROUTE') continue;
      expect(fits[skill][256], skill).toBe(8);
    }
    // Ticket prompts: 4 shots fit every TICK item, 3 every ROUTE item (measured: the engine and score.py cut longer prompts from the left).
    expect(fits.TICK[256]).toBeGreaterThanOrEqual(4);
    expect(fits.TICK[256]).toBeLessThan(8);
    expect(fits.ROUTE[256]).toBeGreaterThanOrEqual(3);
  });

  test('at context 64 (the shipped 400k and 800k) at most 3 shots fit, none for a ticket', () => {
    for (const skill of SKILL_NAMES) expect(fits[skill][64], skill).toBeLessThanOrEqual(3);
    expect(fits.TICK[64]).toBe(0);
  });
});
