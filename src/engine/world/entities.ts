// The fixed fictitious world that FACT and FACTADD ask about: 20 entities with a color, a home city and an age.

import { Rng } from '../rng';

export const FACT_ATTRIBUTES = ['color', 'city', 'age'] as const;
export type FactAttribute = (typeof FACT_ATTRIBUTES)[number];

export const WORLD_COLORS = ['teal', 'amber', 'violet', 'crimson', 'olive', 'indigo', 'coral', 'ivory'] as const;
export const WORLD_CITIES = ['varno', 'quell', 'tesk', 'morrow', 'dunai', 'filbre', 'orrin', 'kast'] as const;

export interface WorldEntity {
  name: string;
  color: string;
  city: string;
  /** 10..89, so that age + addend stays within three digits. */
  age: number;
}

/** Seed of the one world every base model memorises; changing it changes the shipped models' facts. */
export const WORLD_SEED = 20261124;
const ENTITY_COUNT = 20;
const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'kl', 'tr', 'zh'];
const VOWELS = ['a', 'e', 'i', 'o', 'u'];
const CODAS = ['', 'n', 'r', 'x', 'l', 'k'];

function buildWorld(): WorldEntity[] {
  const rng = new Rng(WORLD_SEED);
  const names = new Set<string>();
  while (names.size < ENTITY_COUNT) {
    const syllables = 2;
    let name = '';
    for (let s = 0; s < syllables; s++) {
      name += ONSETS[rng.int(ONSETS.length)] + VOWELS[rng.int(VOWELS.length)];
    }
    name += CODAS[rng.int(CODAS.length)];
    names.add(name);
  }
  return [...names].map((name) => ({
    name,
    color: WORLD_COLORS[rng.int(WORLD_COLORS.length)],
    city: WORLD_CITIES[rng.int(WORLD_CITIES.length)],
    age: 10 + rng.int(80),
  }));
}

export const WORLD_ENTITIES: readonly WorldEntity[] = buildWorld();

export function findEntity(name: string): WorldEntity | undefined {
  return WORLD_ENTITIES.find((e) => e.name === name);
}

export function factValue(entity: WorldEntity, attribute: FactAttribute): string {
  return attribute === 'age' ? String(entity.age) : entity[attribute];
}
