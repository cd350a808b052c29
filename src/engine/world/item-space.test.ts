// Item spaces that cannot run out: distinct counts, the phrase split of TICK/ROUTE, slotted solvers, sampling without replacement, eval roles.

import { describe, expect, test } from 'vitest';
import { ItemPoolError } from '../errors';
import {
  EVAL_ROLES,
  EVAL_SETS,
  MAX_TICKET_PROMPT,
  SKILLS,
  SKILL_NAMES,
  generateEvalSet,
  generateWorldDataset,
  promptPart,
  ticketPhraseOf,
  type SkillName,
} from './index';
import { routeSkill } from './skills/route';
import { ticketSkill } from './skills/ticket';
import { cliffPreset, saturationPreset } from '../experiments/presets';

/** Every skill a preset trains or probes; FACT is memorisation of 60 facts by design and is held to its own pool. */
const PRESET_SKILLS = [...new Set([saturationPreset(), cliffPreset()].flatMap((p) => [p.target, ...p.adjacent]))].filter((s) => s !== 'FACT') as SkillName[];

describe('distinct counts', () => {
  test('every preset skill has ≥ 20,000 distinct train prompts and ≥ 1,000 distinct eval prompts in each eval role', () => {
    expect(PRESET_SKILLS).toEqual(expect.arrayContaining(['ROUTE', 'TICK', 'REV', 'UP', 'REVUP', 'ADD']));
    for (const skill of PRESET_SKILLS) {
      expect(SKILLS[skill].poolSize('train', undefined, {}).count, skill).toBeGreaterThanOrEqual(20_000);
      for (const role of EVAL_ROLES) expect(SKILLS[skill].poolSize('eval', role, {}).count, `${skill} ${role}`).toBeGreaterThanOrEqual(1_000);
    }
    expect(SKILLS.FACT.poolSize('train', undefined, {})).toEqual({ count: 60, exact: true });
  });

  for (const skill of ['ROUTE', 'TICK'] as const) {
    test(`${skill}: 20,000 train rows and 1,000 reported-eval rows are all distinct, solver-correct and within ${MAX_TICKET_PROMPT} characters`, () => {
      const train = generateWorldDataset({ mix: { [skill]: 1 }, size: 20_000, split: 'train', seed: 1 });
      expect(train.manifest.counts.distinct).toBe(20_000);
      expect(train.manifest.counts.repeats).toBe(0);
      const evalRows = generateEvalSet(skill, 1_000, EVAL_SETS.reported.seed, undefined, EVAL_SETS.reported.role);
      expect(new Set(evalRows.map((e) => e.prompt)).size).toBe(1_000);
      for (const e of [...train.examples, ...evalRows]) {
        expect(e.prompt.length).toBeLessThanOrEqual(MAX_TICKET_PROMPT);
        // The presets' greedy eval leaves answer + 2 tokens of a 64-token context: prompt + answer ≤ 62.
        expect(e.prompt.length + e.completion.length - 1).toBeLessThanOrEqual(62);
        expect(SKILLS[skill].solve(e.prompt)).toBe(e.completion.slice(0, -1));
      }
    });
  }
});

describe('the phrase decides the label and the split', () => {
  for (const skill of [ticketSkill, routeSkill]) {
    test(`${skill.name}: no eval phrase is a train phrase, every label has phrases in every part`, () => {
      const train = new Set(skill.phrases.filter((p) => p.part === 'train').map((p) => p.text));
      const evalPhrases = skill.phrases.filter((p) => p.part !== 'train');
      expect(evalPhrases.length).toBeGreaterThan(60);
      for (const p of evalPhrases) expect(train.has(p.text), p.text).toBe(false);
      for (const label of new Set(skill.phrases.map((p) => p.label))) {
        for (const part of ['train', ...EVAL_ROLES]) expect(skill.phrases.some((p) => p.label === label && p.part === part), `${label} ${part}`).toBe(true);
      }
    });

    test(`${skill.name}: generated train and eval rows share no phrase (zero overlap)`, () => {
      const trainPhrases = new Set(generateWorldDataset({ mix: { [skill.name]: 1 }, size: 5_000, split: 'train', seed: 2 }).examples.map((e) => skill.phraseOf(e.prompt)));
      const evalPhrases = new Set(generateEvalSet(skill.name, 1_000, 9).map((e) => skill.phraseOf(e.prompt)));
      expect(trainPhrases.has(null)).toBe(false);
      expect([...evalPhrases].filter((p) => trainPhrases.has(p))).toEqual([]);
    });
  }

  test('ROUTE keeps its interference with TICK: shared phrases under other labels, plus phrases of its own', () => {
    const tick = new Map(ticketSkill.phrases.map((p) => [p.text, p.label]));
    const shared = routeSkill.phrases.filter((p) => tick.has(p.text));
    expect(shared.length).toBeGreaterThan(200);
    expect(routeSkill.phrases.length - shared.length).toBeGreaterThan(50);
    // One TICK category is spread over several teams (refunds: money, returns, demands).
    const refundTeams = new Set(shared.filter((p) => tick.get(p.text) === 'refund').map((p) => p.label));
    expect([...refundTeams].sort()).toEqual(['cashdesk', 'manager', 'warehouse']);
    // The split is per skill: some TICK eval phrases are ROUTE train phrases (a ROUTE fine-tune trains on them).
    const routeTrain = new Set(routeSkill.phrases.filter((p) => p.part === 'train').map((p) => p.text));
    expect(ticketSkill.phrases.filter((p) => p.part !== 'train' && routeTrain.has(p.text)).length).toBeGreaterThan(10);
  });
});

describe('solvers on the new slots', () => {
  test('hand-written prompts with slots get their phrase’s label, and near-misses get none', () => {
    expect(SKILLS.TICK.solve('TICK my package is late - order 4471=')).toBe('shipping');
    expect(SKILLS.TICK.solve('TICK hey, the invoice looks off. kai=')).toBe('billing');
    expect(SKILLS.TICK.solve('TICK the sms code expired since may 3=')).toBe('login');
    expect(SKILLS.TICK.solve('TICK gus here, i demand a refund today=')).toBe('refund');
    expect(SKILLS.TICK.solve('TICK my box came open. kettle, order 120=')).toBe('shipping');
    expect(SKILLS.TICK.solve('TICK i canceled my order but got no refund, thx=')).toBe('refund');
    expect(SKILLS.TICK.solve('TICK i cancelled my order but got no refund, thx=')).toBe('refund'); // uk spelling
    expect(SKILLS.ROUTE.solve('ROUTE re: the app freezes on may 3=')).toBe('techdesk');
    expect(SKILLS.ROUTE.solve('ROUTE the app freezes. mug 12.50=')).toBe('techdesk');
    expect(SKILLS.ROUTE.solve('ROUTE urgent - i demand a refund today, ty=')).toBe('manager');
    expect(SKILLS.ROUTE.solve('ROUTE email - send a return label for my order=')).toBe('warehouse');
    expect(SKILLS.ROUTE.solve('ROUTE my refund is missing (ticket 99999)=')).toBe('cashdesk');
    expect(SKILLS.TICK.solve('TICK my refund is missing (ticket 99999)=')).toBeNull(); // a ROUTE wrapper
    expect(SKILLS.TICK.solve('TICK my package is late - order 12=')).toBeNull(); // order numbers have 3-5 digits
    expect(SKILLS.TICK.solve('TICK the weather is nice=')).toBeNull();
    expect(ticketPhraseOf('ROUTE re: the app freezes on may 3=')).toBe('the app freezes');
    expect(ticketPhraseOf('TICK i cancelled my order but got no refund, thx=')).toBe('i canceled my order but got no refund');
    expect(ticketPhraseOf('ADD 1+2=')).toBeNull();
  });
});

describe('sampling without replacement', () => {
  test('up to the pool every row is distinct; beyond it a named error says how many there are', () => {
    const all = generateWorldDataset({ mix: { FACT: 1 }, size: 60, split: 'train', seed: 3 });
    expect(new Set(all.examples.map((e) => e.prompt)).size).toBe(60);
    expect(() => generateWorldDataset({ mix: { FACT: 1 }, size: 61, split: 'train', seed: 3 })).toThrow(ItemPoolError);
    expect(() => generateWorldDataset({ mix: { FACT: 1 }, size: 61, split: 'train', seed: 3 })).toThrow('FACT has 60 distinct train items; 61 were asked for.');
    const narrow = { labels: ['manager'], templates: [0] };
    const pool = SKILLS.ROUTE.poolSize('train', undefined, narrow).count;
    expect(generateWorldDataset({ mix: { ROUTE: 1 }, size: pool, split: 'train', seed: 1, shift: narrow }).manifest.counts.distinct).toBe(pool);
    expect(() => generateWorldDataset({ mix: { ROUTE: 1 }, size: pool + 1, split: 'train', seed: 1, shift: narrow })).toThrow(
      `ROUTE has ${pool} distinct train items under this shift; ${pool + 1} were asked for.`,
    );
  });

  test('repetition is a knob: duplication copies, or independent draws, both counted in the manifest', () => {
    const dup = generateWorldDataset({ mix: { ROUTE: 1 }, size: 400, split: 'train', seed: 1, duplication: 0.5 });
    expect(dup.manifest.counts).toMatchObject({ total: 400, distinct: 200, repeats: 200, duplicates: 200 });
    const stream = generateWorldDataset({ mix: { FACT: 1 }, size: 300, split: 'train', seed: 1, sampling: 'independent' });
    expect(stream.manifest.counts.distinct).toBeLessThanOrEqual(60);
    expect(stream.manifest.counts.repeats).toBe(300 - stream.manifest.counts.distinct);
    expect(stream.manifest.spec.sampling).toBe('independent');
  });
});

describe('three eval sets, never mixed', () => {
  test('the three uses have distinct seeds and roles', () => {
    const sets = Object.values(EVAL_SETS);
    expect(new Set(sets.map((s) => s.seed)).size).toBe(3);
    expect(sets.map((s) => s.role).sort()).toEqual([...EVAL_ROLES].sort());
  });

  for (const skill of SKILL_NAMES.filter((s) => SKILLS[s].partitioned)) {
    test(`${skill}: the pretrain-tuning, development and reported items are disjoint (and so are their ticket phrases)`, () => {
      const sets = Object.values(EVAL_SETS).map(({ seed, role }) => {
        const pool = SKILLS[skill].poolSize('eval', role, {});
        const rows = generateEvalSet(skill, Math.min(200, pool.count), seed, undefined, role);
        for (const e of rows) expect(promptPart(e.prompt), e.prompt).toBe(role);
        return rows.map((e) => ticketPhraseOf(e.prompt) ?? e.prompt);
      });
      for (let a = 0; a < sets.length; a++) {
        for (let b = a + 1; b < sets.length; b++) expect(sets[a].filter((x) => sets[b].includes(x))).toEqual([]);
      }
    });
  }
});
