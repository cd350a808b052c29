// ADD: multi-digit addition, e.g. "ADD 123+45=" → "168".

import type { Skill } from '../types';
import { hashShare, intBetween, lengthRange } from '../sampling';

const MAX_DIGITS = 3;

function randomNumber(rng: Parameters<Skill['sample']>[0], digits: number): number {
  return digits === 1 ? rng.int(10) : intBetween(rng, 10 ** (digits - 1), 10 ** digits - 1);
}

export const addSkill: Skill = {
  name: 'ADD',
  description: 'Add two numbers of up to three digits.',
  pretrained: true,
  partitioned: true,
  cohorts: [],
  poolSize(split, role, shift) {
    const [lo, hi] = lengthRange(shift, 1, MAX_DIGITS);
    let operands = 0;
    for (let d = lo; d <= hi; d++) operands += d === 1 ? 10 : 9 * 10 ** (d - 1);
    return { count: Math.floor(operands * operands * hashShare(split, role)), exact: false };
  },
  sample(rng, { shift }) {
    const [lo, hi] = lengthRange(shift, 1, MAX_DIGITS);
    const a = randomNumber(rng, intBetween(rng, lo, hi));
    const b = randomNumber(rng, intBetween(rng, lo, hi));
    const prompt = `ADD ${a}+${b}=`;
    return { prompt, answer: String(a + b), key: prompt, tags: [] };
  },
  solve(prompt) {
    const m = /^ADD (\d+)\+(\d+)=$/.exec(prompt);
    return m ? String(Number(m[1]) + Number(m[2])) : null;
  },
  corrupt(rng, item) {
    const right = Number(item.answer);
    for (;;) {
      const offset = intBetween(rng, 1, 10) * (rng.next() < 0.5 ? -1 : 1) * (rng.next() < 0.3 ? 10 : 1);
      if (right + offset >= 0) return String(right + offset);
    }
  },
};
