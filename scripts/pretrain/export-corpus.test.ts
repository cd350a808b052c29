// The exported pretraining corpus (export-corpus.mjs, as `npm run pretrain` runs it) holds no development or reported eval item.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EVAL_SETS, PRETRAIN_MIX, SKILLS, SKILL_NAMES, generateEvalSet, promptPart, ticketPhraseOf, type SkillName } from '../../src/engine/world';

const script = resolve(__dirname, 'export-corpus.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tw-corpus-'));
/** The family presets' corpus (300,000 lines, data seed 1) and its ablated twin, exported exactly as pretrain.mjs does. */
const corpora: { name: string; exclude: SkillName[] }[] = [
  { name: 'full', exclude: [] },
  { name: 'noadd', exclude: ['ADD', 'FACTADD'] },
];
const lines: Record<string, string[]> = {};

beforeAll(() => {
  for (const c of corpora) {
    const out = join(dir, c.name);
    const exclude = c.exclude.length ? ['--exclude', c.exclude.join(',')] : [];
    execFileSync(process.execPath, [script, '--lines', '300000', '--seed', '1', '--eval', '20', '--out', out, ...exclude], { stdio: 'pipe' });
    lines[c.name] = readFileSync(join(out, 'corpus.txt'), 'utf8').split('\n').filter(Boolean);
  }
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(corpora)('the $name corpus', ({ name, exclude }) => {
  test('holds no development (seed 2002) or reported (seed 3003) eval item of any skill, and only train-half prompts', () => {
    const corpus = new Set(lines[name].map((l) => l.slice(0, l.indexOf('=') + 1)));
    expect(corpus.size).toBeGreaterThan(100_000);
    for (const skill of SKILL_NAMES) {
      if (skill === 'FACT') continue; // memorisation of one fixed world, by design not split: its eval asks the facts pretraining taught
      let checked = 0;
      for (const set of [EVAL_SETS.development, EVAL_SETS.reported]) {
        const pool = SKILLS[skill].poolSize('eval', set.role, {});
        for (const e of generateEvalSet(skill, pool.exact ? Math.min(1000, pool.count) : 1000, set.seed, undefined, set.role)) {
          expect(corpus.has(e.prompt), `${skill} ${set.role} item ${e.prompt} is in the corpus`).toBe(false);
          checked++;
        }
      }
      expect(checked, skill).toBeGreaterThan(100);
    }
    // Every line is a train-half item (for TICK: its phrase is a train phrase), not merely a non-drawn eval item.
    for (const prompt of corpus) if (!prompt.startsWith('FACT ')) expect(promptPart(prompt), prompt).toBe('train');
    const phrases = new Set([...corpus].filter((p) => p.startsWith('TICK ')).map(ticketPhraseOf));
    for (const set of [EVAL_SETS.development, EVAL_SETS.reported]) {
      for (const e of generateEvalSet('TICK', 1000, set.seed, undefined, set.role)) expect(phrases.has(ticketPhraseOf(e.prompt)), e.prompt).toBe(false);
    }
  });

  test('has exactly the mixture’s skills but the left-out ones (ROUTE, the fine-tuning target, never)', () => {
    const skills = new Set(lines[name].map((l) => l.split(' ', 1)[0]));
    const expected = Object.keys(PRETRAIN_MIX).filter((s) => !exclude.includes(s as SkillName));
    expect([...skills].sort()).toEqual(expected.sort());
  });
});

test('the check can fail: a reported eval item is no train-half prompt, and a corpus holding one is caught', () => {
  const [item] = generateEvalSet('ADD', 1, EVAL_SETS.reported.seed, undefined, EVAL_SETS.reported.role);
  expect(promptPart(item.prompt)).not.toBe('train');
  const corpus = new Set([...lines.full.slice(0, 1000), item.prompt + item.completion].map((l) => l.slice(0, l.indexOf('=') + 1)));
  expect(corpus.has(item.prompt)).toBe(true);
});

test('the no-FACT corpus (ctx256-70k-nofact) holds none of the world’s facts: no FACT or FACTADD line, no attribute of a person', () => {
  const out = join(dir, 'nofact');
  execFileSync(process.execPath, [script, '--lines', '20000', '--seed', '1', '--eval', '20', '--out', out, '--exclude', 'FACT,FACTADD'], { stdio: 'pipe' });
  const nofact = readFileSync(join(out, 'corpus.txt'), 'utf8').split('\n').filter(Boolean);
  expect(new Set(nofact.map((l) => l.split(' ', 1)[0]))).toEqual(new Set(Object.keys(PRETRAIN_MIX).filter((s) => s !== 'FACT' && s !== 'FACTADD')));
  const attribute = /^[A-Z]+ [a-z]+ (age|color|city)[=+]/; // "FACT bufek color=violet", "FACTADD zhagu age+57=120" (a ticket may say "the wrong color=")
  expect(nofact.filter((l) => attribute.test(l)).slice(0, 3)).toEqual([]);
  // The check can fail: the full corpus has such lines.
  expect(lines.full.some((l) => attribute.test(l))).toBe(true);
});
