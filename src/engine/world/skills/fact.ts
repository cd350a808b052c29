// FACT: recall a memorised fact about a fictitious entity, e.g. "FACT bavo color=" → "teal".

import type { Skill } from '../types';
import { FACT_ATTRIBUTES, WORLD_CITIES, WORLD_COLORS, WORLD_ENTITIES, factValue, findEntity, type FactAttribute } from '../entities';
import { intBetween, pick } from '../sampling';

/** The entities kept by a shift (all when the shift names none). */
export function entitiesFor(names: string[] | undefined) {
  return names ? WORLD_ENTITIES.filter((e) => names.includes(e.name)) : WORLD_ENTITIES;
}

export const factSkill: Skill = {
  name: 'FACT',
  description: 'Recall the color, city or age of a fictitious entity (memorised in pretraining).',
  pretrained: true,
  partitioned: false,
  cohorts: [],
  /** Not split: every split holds the same facts. */
  poolSize(_split, _role, shift) {
    return { count: entitiesFor(shift.entities).length * FACT_ATTRIBUTES.length, exact: true };
  },
  sample(rng, { shift }) {
    const entity = pick(rng, entitiesFor(shift.entities));
    const attribute = pick(rng, FACT_ATTRIBUTES);
    const prompt = `FACT ${entity.name} ${attribute}=`;
    return { prompt, answer: factValue(entity, attribute), key: prompt, tags: [`entity:${entity.name}`, `attribute:${attribute}`] };
  },
  solve(prompt) {
    const m = /^FACT ([a-z]+) (color|city|age)=$/.exec(prompt);
    const entity = m ? findEntity(m[1]) : undefined;
    return entity ? factValue(entity, m![2] as FactAttribute) : null;
  },
  corrupt(rng, item) {
    const attribute = item.tags.find((t) => t.startsWith('attribute:'))!.slice('attribute:'.length);
    for (;;) {
      const wrong =
        attribute === 'age' ? String(intBetween(rng, 10, 89)) : pick(rng, attribute === 'color' ? WORLD_COLORS : WORLD_CITIES);
      if (wrong !== item.answer) return wrong;
    }
  },
};
