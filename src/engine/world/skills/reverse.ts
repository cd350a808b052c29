// REV: reverse a word, e.g. "REV abcd=" → "dcba".

import { makeStringSkill } from './string-skill';

export const reverseSkill = makeStringSkill('REV', 'Reverse a word.', (w) => [...w].reverse().join(''));
