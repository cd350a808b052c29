// Tests of the Tiny World generator: determinism, exact knobs checked by the solvers, no eval leakage, shifts, cohorts.

import { describe, expect, test } from 'vitest';
import {
  COMPOSITE_SKILLS,
  PRETRAIN_MIX,
  SINGLE_STEP_SKILLS,
  SKILL_NAMES,
  SKILLS,
  WORLD_CHARS,
  WORLD_ENTITIES,
  allocate,
  generateEvalSet,
  generateWorldDataset,
  isCorrect,
  skillOfPrompt,
  promptPart,
  ticketPhraseOf,
  toRecords,
  type SkillName,
} from './index';
import { WorldSpecError } from '../errors';

const ALL_MIX = Object.fromEntries(SKILL_NAMES.map((s) => [s, 1])) as Record<SkillName, number>;
/** Every skill but FACT, whose 60 facts cannot fill thousands of distinct rows. */
const SPLIT_MIX = Object.fromEntries(SKILL_NAMES.filter((s) => s !== 'FACT').map((s) => [s, 1])) as Record<SkillName, number>;

describe('skills', () => {
  test('there are at least seven skills, single-step and composite, plus a target absent from pretraining', () => {
    expect(SKILL_NAMES.length).toBeGreaterThanOrEqual(7);
    expect(SINGLE_STEP_SKILLS.length + COMPOSITE_SKILLS.length).toBeGreaterThanOrEqual(7);
    expect(SKILLS.ROUTE.pretrained).toBe(false);
    expect(PRETRAIN_MIX.ROUTE).toBeUndefined();
  });

  test('solvers agree with hand-computed answers', () => {
    expect(SKILLS.ADD.solve('ADD 123+45=')).toBe('168');
    expect(SKILLS.ADD.solve('ADD 999+999=')).toBe('1998');
    expect(SKILLS.REV.solve('REV abcd=')).toBe('dcba');
    expect(SKILLS.SORT.solve('SORT dcbad=')).toBe('abcdd');
    expect(SKILLS.UP.solve('UP abc=')).toBe('ABC');
    expect(SKILLS.REVUP.solve('REVUP abc=')).toBe('CBA');
    expect(SKILLS.TICK.solve('TICK hi, my package is late=')).toBe('shipping');
    expect(SKILLS.TICK.solve('TICK hi, my parcel is late=')).toBe('shipping');
    expect(SKILLS.ROUTE.solve('ROUTE re: i was charged twice=')).toBe('cashdesk');
    expect(SKILLS.ADD.solve('REV abc=')).toBeNull();
    const e = WORLD_ENTITIES[3];
    expect(SKILLS.FACT.solve(`FACT ${e.name} color=`)).toBe(e.color);
    expect(SKILLS.FACT.solve(`FACT ${e.name} age=`)).toBe(String(e.age));
    expect(SKILLS.FACTADD.solve(`FACTADD ${e.name} age+7=`)).toBe(String(e.age + 7));
    expect(skillOfPrompt('REVUP abc=')?.name).toBe('REVUP');
  });

  test('every generated line fits a 64-character context and the shipped vocabulary', () => {
    const { examples } = generateWorldDataset({ mix: ALL_MIX, size: 3000, split: 'train', seed: 5, sampling: 'independent' });
    const chars = new Set(WORLD_CHARS);
    for (const e of examples) {
      const line = e.prompt + e.completion;
      expect(line.length).toBeLessThanOrEqual(64);
      for (const c of line) expect(chars.has(c), `"${c}" in ${line}`).toBe(true);
      expect(e.completion.endsWith('\n')).toBe(true);
      expect(isCorrect(e)).toBe(true);
    }
  });
});

describe('generateWorldDataset', () => {
  test('is deterministic by seed and changes with it', () => {
    const spec = { mix: ALL_MIX, size: 300, split: 'train' as const, seed: 42, labelNoise: 0.1, duplication: 0.1 };
    expect(generateWorldDataset(spec)).toEqual(generateWorldDataset(spec));
    const other = generateWorldDataset({ ...spec, seed: 43 });
    expect(other.examples.map((e) => e.prompt)).not.toEqual(generateWorldDataset(spec).examples.map((e) => e.prompt));
  });

  test('mixture counts are exact', () => {
    expect(allocate(10, { a: 1, b: 1, c: 1 })).toEqual({ a: 4, b: 3, c: 3 });
    const d = generateWorldDataset({ mix: { ADD: 3, REV: 1 }, size: 400, split: 'train', seed: 1 });
    expect(d.manifest.counts.perSkill).toEqual({ ADD: 300, REV: 100 });
  });

  test('20% label noise gives 20% wrong answers by the solver (exact count, within sampling error per skill)', () => {
    const size = 2000;
    const d = generateWorldDataset({ mix: SPLIT_MIX, size, split: 'train', seed: 7, labelNoise: 0.2 });
    const wrong = d.examples.filter((e) => !isCorrect(e));
    expect(wrong.length).toBe(400);
    expect(d.manifest.counts.noisy).toBe(400);
    expect(wrong.every((e) => e.tags.includes('label-noise'))).toBe(true);
    // Noise is spread over skills: each skill's wrong share is 20% ± 4 binomial standard errors.
    for (const skill of Object.keys(SPLIT_MIX) as SkillName[]) {
      const rows = d.examples.filter((e) => e.skill === skill);
      const share = rows.filter((e) => !isCorrect(e)).length / rows.length;
      expect(Math.abs(share - 0.2)).toBeLessThan(4 * Math.sqrt((0.2 * 0.8) / rows.length));
    }
  });

  test('duplication rate is exact', () => {
    const d = generateWorldDataset({ mix: { ADD: 1, SORT: 1 }, size: 1000, split: 'train', seed: 3, duplication: 0.25 });
    const distinct = new Set(d.examples.map((e) => e.prompt)).size;
    expect(d.manifest.counts.duplicates).toBe(250);
    expect(d.manifest.counts.distinct).toBe(750);
    expect(d.manifest.counts.repeats).toBe(250);
    expect(distinct).toBe(750);
  });

  test('eval items never appear in any train split (partitioned skills), nor do their ticket phrases', () => {
    const train = new Set<string>();
    const trainPhrases = new Set<string>();
    for (const seed of [1, 2, 3]) {
      for (const e of generateWorldDataset({ mix: SPLIT_MIX, size: 3000, split: 'train', seed }).examples) {
        train.add(e.prompt);
        if (ticketPhraseOf(e.prompt)) trainPhrases.add(`${e.skill}|${ticketPhraseOf(e.prompt)}`);
      }
    }
    for (const skill of SKILL_NAMES.filter((s) => SKILLS[s].partitioned)) {
      const evalSet = generateEvalSet(skill, 150, 99);
      for (const e of evalSet) {
        expect(promptPart(e.prompt)).not.toBe('train');
        expect(train.has(e.prompt), `${e.prompt} leaked`).toBe(false);
        if (ticketPhraseOf(e.prompt)) expect(trainPhrases.has(`${skill}|${ticketPhraseOf(e.prompt)}`), `${e.prompt}: its phrase is trained`).toBe(false);
      }
    }
  });

  test('distribution shift restricts lengths, labels, templates and entities', () => {
    const words = generateWorldDataset({ mix: { REV: 1 }, size: 100, split: 'train', seed: 1, shift: { lengths: [4, 4] } });
    expect(words.examples.every((e) => /^REV [a-z]{4}=$/.test(e.prompt))).toBe(true);
    const sums = generateWorldDataset({ mix: { ADD: 1 }, size: 100, split: 'train', seed: 1, shift: { lengths: [2, 2] } });
    expect(sums.examples.every((e) => /^ADD \d\d\+\d\d=$/.test(e.prompt))).toBe(true);
    const narrow = generateWorldDataset({ mix: { ROUTE: 1 }, size: 100, split: 'train', seed: 1, shift: { labels: ['cashdesk', 'manager'], templates: [0] } });
    expect(new Set(narrow.examples.map((e) => e.completion))).toEqual(new Set(['cashdesk\n', 'manager\n']));
    expect(narrow.examples.every((e) => e.tags.includes('template:0'))).toBe(true);
    const names = WORLD_ENTITIES.slice(0, 2).map((e) => e.name);
    const facts = generateWorldDataset({ mix: { FACT: 1 }, size: 6, split: 'train', seed: 1, shift: { entities: names } });
    expect(facts.examples.every((e) => names.includes(e.prompt.split(' ')[1]))).toBe(true);
  });

  test('cohorts change the phrasing and are sliced in the manifest', () => {
    const d = generateWorldDataset({ mix: { TICK: 1 }, size: 400, split: 'train', seed: 2, cohorts: { us: 3, uk: 1 } });
    const { us, uk } = d.manifest.counts.perCohort;
    expect(us + uk).toBe(400);
    expect(uk / 400).toBeGreaterThan(0.15);
    expect(uk / 400).toBeLessThan(0.35);
    const ukText = d.examples.filter((e) => e.cohort === 'uk').map((e) => e.prompt).join(' ');
    expect(ukText).not.toMatch(/\b(package|zip|apartment|canceled)\b/);
    expect(d.examples.filter((e) => e.cohort === 'us').map((e) => e.prompt).join(' ')).not.toMatch(/\b(parcel|flat|cancelled)\b/);
  });

  test('records are plain prompt/completion rows like a user JSONL', () => {
    const d = generateWorldDataset({ mix: { TICK: 1, ADD: 1 }, size: 10, split: 'train', seed: 1 });
    for (const r of toRecords(d.examples)) {
      expect(Object.keys(r).every((k) => ['id', 'prompt', 'completion', 'cohort', 'tags'].includes(k))).toBe(true);
    }
    expect(JSON.parse(JSON.stringify(d.manifest)).spec.size).toBe(10);
  });

  test('bad specs fail with WorldSpecError', () => {
    expect(() => generateWorldDataset({ mix: {}, size: 10, split: 'train', seed: 1 })).toThrow(WorldSpecError);
    expect(() => generateWorldDataset({ mix: { ADD: 1 }, size: 10, split: 'train', seed: 1, labelNoise: 2 })).toThrow(WorldSpecError);
    expect(() => generateWorldDataset({ mix: { REV: 1 }, size: 10, split: 'train', seed: 1, shift: { lengths: [20, 30] } })).toThrow(WorldSpecError);
  });
});
