// Factory for the letter-string skills (REV, SORT, UP, REVUP): "NAME word=" → transform(word).

import type { Skill, SkillName } from '../types';
import { hashShare, intBetween, lengthRange, perturbString, randomLetters, LETTERS } from '../sampling';

const MIN_LETTERS = 3;
const MAX_LETTERS = 8;

export function makeStringSkill(name: SkillName, description: string, transform: (word: string) => string): Skill {
  const pattern = new RegExp(`^${name} ([a-z]+)=$`);
  return {
    name,
    description,
    pretrained: true,
    partitioned: true,
    cohorts: [],
    poolSize(split, role, shift) {
      const [lo, hi] = lengthRange(shift, MIN_LETTERS, MAX_LETTERS);
      let words = 0;
      for (let n = lo; n <= hi; n++) words += 26 ** n;
      return { count: Math.floor(words * hashShare(split, role)), exact: false };
    },
    sample(rng, { shift }) {
      const [lo, hi] = lengthRange(shift, MIN_LETTERS, MAX_LETTERS);
      const word = randomLetters(rng, intBetween(rng, lo, hi));
      const prompt = `${name} ${word}=`;
      return { prompt, answer: transform(word), key: prompt, tags: [`length:${word.length}`] };
    },
    solve(prompt) {
      const m = pattern.exec(prompt);
      return m ? transform(m[1]) : null;
    },
    corrupt(rng, item) {
      const upper = item.answer === item.answer.toUpperCase();
      return perturbString(rng, item.answer, upper ? LETTERS.toUpperCase() : LETTERS);
    },
  };
}
