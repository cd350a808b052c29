// The Tiny World suite: one exact-match probe per skill from the eval split, plus choice and perplexity probes.

import { expect, test } from 'vitest';
import { tinyWorldSuite } from './tiny-world-suite';
import { withFewShot } from './few-shot';
import { EVAL_SETS, SKILLS, SKILL_NAMES, promptPart } from '../world';

test('builds probes from eval-split items with solver-checked targets', () => {
  const suite = tinyWorldSuite({ perSkill: 20 });
  expect(suite.probes.map((p) => p.name)).toEqual([...SKILL_NAMES, 'TICK choice', 'ROUTE choice', 'held-out text']);
  for (const probe of suite.probes) {
    if (probe.metric === 'exact_match') {
      expect(probe.items).toHaveLength(20);
      for (const item of probe.items) {
        expect(SKILLS[probe.name as keyof typeof SKILLS].solve(item.prompt)).toBe(item.target);
        // The development third of the eval half by default (never the items experiments report on).
        if (SKILLS[probe.name as keyof typeof SKILLS].partitioned) expect(promptPart(item.prompt)).toBe(EVAL_SETS.development.role);
      }
    }
    if (probe.metric === 'multiple_choice') {
      for (const item of probe.items) expect(item.choices[item.answer]).toBe(`${SKILLS[probe.name.split(' ')[0] as 'TICK'].solve(item.prompt)}\n`);
    }
  }
  expect(suite.probes.find((p) => p.name === 'TICK')!.items.some((i) => i.cohort === 'uk')).toBe(true);
});

test('few-shot keeps the probe name and prefixes solved lines', () => {
  const probe = tinyWorldSuite({ perSkill: 2, skills: ['ADD'], extras: false }).probes[0];
  const shot = withFewShot(probe, [{ prompt: 'ADD 1+1=', completion: '2\n' }]);
  expect(shot.name).toBe('ADD');
  if (shot.metric !== 'exact_match' || probe.metric !== 'exact_match') throw new Error('unexpected metric');
  expect(shot.items[0].prompt).toBe(`ADD 1+1=2\n${probe.items[0].prompt}`);
});
