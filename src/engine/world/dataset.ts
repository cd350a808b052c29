// Generates a Tiny World dataset with exact, recorded knobs: size, mixture, label noise, duplication, shift, cohorts.

import { Rng } from '../rng';
import { ItemPoolError, WorldSpecError } from '../errors';
import { SKILLS } from './skills';
import { partAllowed, partOf } from './partition';
import type { EvalRole, PromptCompletionRecord, ShiftSpec, Skill, SkillItem, SkillName, WorldDataset, WorldDatasetSpec, WorldExample } from './types';

/**
 * Version of the generator: bump it with any change that moves a generated item for the same spec. tiny-world/2:
 * ticket skills of many phrases × slotted wrappers split by phrase, eval roles, sampling without replacement.
 */
export const GENERATOR_VERSION = 'tiny-world/2';
const MAX_PARTITION_TRIES = 2000;
/** Draws allowed per requested distinct item before the sampler gives up (only reached when the pool is nearly spent). */
const MAX_DRAWS_PER_ITEM = 400;

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
  if (spec.evalRole !== undefined && spec.split !== 'eval') throw new WorldSpecError(`An eval role (${spec.evalRole}) was given for a ${spec.split} split.`, 'Give evalRole only with split "eval".');
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

function partName(spec: WorldDatasetSpec): string {
  return spec.split === 'train' ? 'train' : spec.evalRole ? `eval (${spec.evalRole})` : 'eval';
}

function poolError(name: SkillName, spec: WorldDatasetSpec, wanted: number, available: number): ItemPoolError {
  return new ItemPoolError(
    `${name} has ${available.toLocaleString('en-US')} distinct ${partName(spec)} items${spec.shift ? ' under this shift' : ''}; ${wanted.toLocaleString('en-US')} were asked for.`,
    `Ask for at most ${available.toLocaleString('en-US')} ${name} rows, widen the shift, or repeat items on purpose (the duplication knob, or more epochs).`,
  );
}

/** One item of the requested part: a skill that splits by unit draws from it; others are drawn until the hash agrees. */
function drawInPart(skill: Skill, rng: Rng, spec: WorldDatasetSpec, shift: ShiftSpec): SkillItem {
  for (let tries = 0; tries < MAX_PARTITION_TRIES; tries++) {
    const cohort = skill.cohorts.length && spec.cohorts ? pickWeighted(rng, spec.cohorts) : undefined;
    const item = skill.sample(rng, { shift, cohort, split: spec.split, role: spec.evalRole });
    if (!skill.partitioned || partAllowed(item.part ?? partOf(item.key), spec.split, spec.evalRole)) return item;
  }
  throw new WorldSpecError(`${skill.name} has no ${partName(spec)} items under this shift.`, 'Widen the distribution shift.');
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
  const distinct = (spec.sampling ?? 'distinct') === 'distinct';
  const items: { skill: SkillName; item: SkillItem; tags: string[] }[] = [];

  for (const name of Object.keys(perSkill) as SkillName[]) {
    const skill = SKILLS[name];
    const wanted = perSkill[name];
    const pool = skill.poolSize(spec.split, spec.evalRole, shift);
    if (pool.count === 0 && wanted > 0) throw new WorldSpecError(`${name} has no ${partName(spec)} items under this shift.`, 'Widen the distribution shift.');
    if (distinct && wanted > pool.count) throw poolError(name, spec, wanted, pool.count);
    const seen = new Set<string>();
    let draws = 0;
    for (let n = 0; n < wanted; n++) {
      for (;;) {
        if (++draws > MAX_DRAWS_PER_ITEM * wanted + 10_000) throw poolError(name, spec, wanted, seen.size);
        const item = drawInPart(skill, sampleRng, spec, shift);
        if (distinct && seen.has(item.key)) continue;
        seen.add(item.key);
        items.push({ skill: name, item, tags: [] });
        break;
      }
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

  const distinctPrompts = new Set(examples.map((e) => e.prompt)).size;
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
      spec: {
        mix: spec.mix,
        size: spec.size,
        split: spec.split,
        seed: spec.seed,
        labelNoise,
        duplication,
        sampling: spec.sampling ?? 'distinct',
        shift: spec.shift,
        cohorts: spec.cohorts,
        ...(spec.evalRole ? { evalRole: spec.evalRole } : {}),
      },
      counts: {
        total: examples.length,
        perSkill: countsPerSkill,
        perCohort,
        noisy: noisy.size,
        duplicates: items.length - uniqueCount,
        distinct: distinctPrompts,
        repeats: examples.length - distinctPrompts,
      },
    },
  };
}

/** A clean eval set of one skill (never overlapping any train split of a partitioned skill), of one eval role when given. */
export function generateEvalSet(skill: SkillName, size: number, seed: number, shift?: WorldDatasetSpec['shift'], evalRole?: EvalRole): WorldExample[] {
  return generateWorldDataset({ mix: { [skill]: 1 }, size, split: 'eval', seed, shift, ...(evalRole ? { evalRole } : {}) }).examples;
}

/** Plain records, the same shape as a user's JSONL, for the data layer. */
export function toRecords(examples: readonly WorldExample[]): PromptCompletionRecord[] {
  return examples.map(({ id, prompt, completion, cohort, tags }) => ({ id, prompt, completion, ...(cohort ? { cohort } : {}), tags }));
}

/** Checks an example against its skill's solver: true when the completion is the correct answer. */
export function isCorrect(example: Pick<WorldExample, 'skill' | 'prompt' | 'completion'>): boolean {
  return SKILLS[example.skill].solve(example.prompt) === example.completion.replace(/\n$/, '');
}
