// UP: uppercase a word, e.g. "UP abcd=" → "ABCD".

import { makeStringSkill } from './string-skill';

export const upperSkill = makeStringSkill('UP', 'Uppercase a word.', (w) => w.toUpperCase());
