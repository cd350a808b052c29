// SORT: sort a word's letters, e.g. "SORT dcab=" → "abcd".

import { makeStringSkill } from './string-skill';

export const sortSkill = makeStringSkill('SORT', "Sort a word's letters alphabetically.", (w) => [...w].sort().join(''));
