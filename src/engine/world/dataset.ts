// Generates a Tiny World dataset with exact, recorded knobs: size, mixture, label noise, duplication, shift, cohorts.

import { Rng } from '../rng';
import { WorldSpecError } from '../errors';
import { SKILLS } from './skills';
import { splitOf } from './partition';
import type { PromptCompletionRecord, SkillItem, SkillName, WorldDataset, WorldDatasetSpec, WorldExample } from './types';

export const GENERATOR_VERSION = 'tiny-world/1';
const MAX_PARTITION_TRIES = 2000;
const MAX_REPEAT_TRIES = 50;

/** Splits `total` by weights exactly (largest remainder), so mixture counts are reproducible and sum to total. */
export function allocate(total: number, weights: Record<string, number>): Record<string, number> {
  const names = Object.keys(weights);
  const sum = names.reduce((s, n) => s + weights[n], 0);
  const raw = names.map((n) => (total * weights[n]) / sum);
  const counts = raw.map(Math.floor);
  let left = total - counts.reduce((s, c) => s + c, 0);
  const order = names.map((_, i) => i).sort((a, b) => raw[b] - counts[b] - (raw[a] - counts[a]) || a - b);
  for (const i of order) {
    if (left-- <= 0) break;
    counts[i]++;
  }
  return Object.fromEntries(names.map((n, i) => [n, counts[i]]));
}

function validate(spec: WorldDatasetSpec): void {
  if (!Number.isInteger(spec.size) || spec.size < 0) throw new WorldSpecError(`Size ${spec.size} is not a whole number ≥ 0.`, 'Pick a size such as 500.');
  for (const [knob, rate] of [['labelNoise', spec.labelNoise ?? 0], ['duplication', spec.duplication ?? 0]] as const) {
    if (!(rate >= 0 && rate <= 1)) throw new WorldSpecError(`${knob} ${rate} is not a rate in [0, 1].`, 'Use e.g. 0.2 for 20%.');
  }
  const skills = Object.keys(spec.mix);
  if (skills.length === 0) throw new WorldSpecError('The mixture names no skill.', `Pick from ${Object.keys(SKILLS).join(', ')}.`);
  for (const name of skills) {
    if (!(name in SKILLS)) throw new WorldSpecError(`Unknown skill "${name}".`, `Pick from ${Object.keys(SKILLS).join(', ')}.`);
    if (!((spec.mix[name as SkillName] ?? 0) > 0)) throw new WorldSpecError(`Skill ${name} has weight ${spec.mix[name as SkillName]}.`, 'Weights must be > 0.');
  }
}

function pickWeighted(rng: Rng, weights: Record<string, number>): string {
  const names = Object.keys(weights);
  let r = rng.next() * names.reduce((s, n) => s + weights[n], 0);
  for (const n of names) {
    r -= weights[n];
    if (r < 0) return n;
  }
  return names[names.length - 1];
}

export function generateWorldDataset(spec: WorldDatasetSpec): WorldDataset {
  validate(spec);
  const labelNoise = spec.labelNoise ?? 0;
  const duplication = spec.duplication ?? 0;
  const shift = spec.shift ?? {};
  const root = new Rng(spec.seed);
  const sampleRng = new Rng(root.fork());
  const dupRng = new Rng(root.fork());
  const noiseRng = new Rng(root.fork());
  const orderRng = new Rng(root.fork());

  const duplicateCount = Math.round(spec.size * duplication);
  const perSkill = allocate(spec.size - duplicateCount, spec.mix as Record<string, number>) as Record<SkillName, number>;
  const seen = new Set<string>();
  let naturalRepeats = 0;
  const items: { skill: SkillName; item: SkillItem; tags: string[] }[] = [];

  for (const name of Object.keys(perSkill) as SkillName[]) {
    const skill = SKILLS[name];
    for (let n = 0; n < perSkill[name]; n++) {
      let item: SkillItem | undefined;
      for (let repeat = 0; repeat < MAX_REPEAT_TRIES; repeat++) {
        for (let tries = 0; ; tries++) {
          if (tries >= MAX_PARTITION_TRIES) {
            throw new WorldSpecError(`${name} has no ${spec.split} items under this shift.`, 'Widen the distribution shift.');
          }
          const cohort = skill.cohorts.length && spec.cohorts ? pickWeighted(sampleRng, spec.cohorts) : undefined;
          item = skill.sample(sampleRng, { shift, cohort });
          if (!skill.partitioned || splitOf(item.key) === spec.split) break;
        }
        if (!seen.has(item.key)) break;
      }
      if (seen.has(item!.key)) naturalRepeats++;
      seen.add(item!.key);
      items.push({ skill: name, item: item!, tags: [] });
    }
  }
  const uniqueCount = items.length;
  for (let d = 0; d < duplicateCount; d++) {
    if (uniqueCount === 0) break;
    const source = items[dupRng.int(uniqueCount)];
    items.push({ skill: source.skill, item: source.item, tags: ['duplicate'] });
  }
  orderRng.shuffle(items);

  const noisy = new Set(noiseRng.shuffle(items.map((_, i) => i)).slice(0, Math.round(items.length * labelNoise)));
  const examples: WorldExample[] = items.map(({ skill, item, tags }, i) => {
    const wrong = noisy.has(i);
    const answer = wrong ? SKILLS[skill].corrupt(noiseRng, item) : item.answer;
    const example: WorldExample = {
      id: `tw-${spec.split}-${spec.seed}-${i}`,
      skill,
      prompt: item.prompt,
      completion: `${answer}\n`,
      tags: [`skill:${skill}`, ...item.tags, ...tags, ...(wrong ? ['label-noise'] : [])],
    };
    if (item.cohort !== undefined) example.cohort = item.cohort;
    return example;
  });

  const countsPerSkill: Partial<Record<SkillName, number>> = {};
  const perCohort: Record<string, number> = {};
  for (const e of examples) {
    countsPerSkill[e.skill] = (countsPerSkill[e.skill] ?? 0) + 1;
    if (e.cohort) perCohort[e.cohort] = (perCohort[e.cohort] ?? 0) + 1;
  }
  return {
    examples,
    manifest: {
      generator: GENERATOR_VERSION,
      spec: { mix: spec.mix, size: spec.size, split: spec.split, seed: spec.seed, labelNoise, duplication, shift: spec.shift, cohorts: spec.cohorts },
      counts: { total: examples.length, perSkill: countsPerSkill, perCohort, noisy: noisy.size, duplicates: items.length - uniqueCount, naturalRepeats },
    },
  };
}

/** A clean eval set of one skill (never overlapping any train split of a partitioned skill). */
export function generateEvalSet(skill: SkillName, size: number, seed: number, shift?: WorldDatasetSpec['shift']): WorldExample[] {
  return generateWorldDataset({ mix: { [skill]: 1 }, size, split: 'eval', seed, shift }).examples;
}

/** Plain records, the same shape as a user's JSONL, for the data layer. */
export function toRecords(examples: readonly WorldExample[]): PromptCompletionRecord[] {
  return examples.map(({ id, prompt, completion, cohort, tags }) => ({ id, prompt, completion, ...(cohort ? { cohort } : {}), tags }));
}

/** Checks an example against its skill's solver: true when the completion is the correct answer. */
export function isCorrect(example: Pick<WorldExample, 'skill' | 'prompt' | 'completion'>): boolean {
  return SKILLS[example.skill].solve(example.prompt) === example.completion.replace(/\n$/, '');
}
