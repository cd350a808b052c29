// REVUP: a two-step composition, reverse then uppercase, e.g. "REVUP abcd=" → "DCBA".

import { makeStringSkill } from './string-skill';

export const reverseUpperSkill = makeStringSkill('REVUP', 'Reverse a word, then uppercase it (two steps).', (w) =>
  [...w].reverse().join('').toUpperCase(),
);
