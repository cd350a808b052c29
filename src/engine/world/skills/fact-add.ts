// FACTADD: a two-step composition, look up an entity's age then add, e.g. "FACTADD bavo age+12=" → "45".

import type { Skill } from '../types';
import { findEntity } from '../entities';
import { intBetween, pick } from '../sampling';
import { entitiesFor } from './fact';
import { partAllowed, partOf } from '../partition';

const MAX_ADDEND = 99;

export const factAddSkill: Skill = {
  name: 'FACTADD',
  description: "Look up an entity's age, then add a number to it (two steps).",
  pretrained: true,
  partitioned: true,
  cohorts: [],
  poolSize(split, role, shift) {
    let count = 0;
    for (const entity of entitiesFor(shift.entities)) {
      for (let addend = 1; addend <= MAX_ADDEND; addend++) if (partAllowed(partOf(`FACTADD ${entity.name} age+${addend}=`), split, role)) count++;
    }
    return { count, exact: true };
  },
  sample(rng, { shift }) {
    const entity = pick(rng, entitiesFor(shift.entities));
    const addend = intBetween(rng, 1, MAX_ADDEND);
    const prompt = `FACTADD ${entity.name} age+${addend}=`;
    return { prompt, answer: String(entity.age + addend), key: prompt, tags: [`entity:${entity.name}`] };
  },
  solve(prompt) {
    const m = /^FACTADD ([a-z]+) age\+(\d+)=$/.exec(prompt);
    const entity = m ? findEntity(m[1]) : undefined;
    return entity ? String(entity.age + Number(m![2])) : null;
  },
  corrupt(rng, item) {
    const right = Number(item.answer);
    for (;;) {
      const wrong = right + intBetween(rng, 1, 10) * (rng.next() < 0.5 ? -1 : 1);
      if (wrong >= 0 && wrong !== right) return String(wrong);
    }
  },
};
