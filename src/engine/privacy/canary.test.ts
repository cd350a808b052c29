// Canary templates: parsing, refusals, the candidate space, seeded secrets and the records inserted per repetition.
import { expect, test } from 'vitest';
import { CanaryTemplateError } from '../errors';
import { buildCanaries } from './canary-insert';
import { candidateChoices, candidateCount, candidateIndex, canaryPrefix, drawSecret, parseCanaryTemplate, renderCanary, secretSpan } from './canary-template';

test('slots: digits, letters and a word list; |R| is their product; candidates round-trip through their index', () => {
  const t = parseCanaryTemplate('my pin is {dda} and pet {w:cat|dog|owl}.');
  expect(t.elements.map((e) => e.kind)).toEqual(['digit', 'digit', 'letter', 'word']);
  expect(candidateCount(t)).toBe(10 * 10 * 26 * 3);
  expect(candidateChoices(t, 0)).toEqual([0, 0, 0, 0]);
  expect(candidateChoices(t, 3 * 26 + 2)).toEqual([0, 1, 0, 2]);
  for (const i of [0, 5, 777, 7799]) expect(candidateIndex(t, candidateChoices(t, i))).toBe(i);
  expect(renderCanary(t, [4, 2, 25, 1])).toBe('my pin is 42z and pet dog.');
  expect(canaryPrefix(t)).toBe('my pin is ');
  expect(secretSpan(t, [4, 2, 25, 1])).toBe('42z and pet dog');
});

test('templates without a slot, starting with one, or with a broken slot are refused with a named error', () => {
  for (const bad of ['my account pin is 12345', '{ddd} is my pin', 'pin {ddx}', 'pin {dd', 'pin dd}', 'pet {w:cat}', 'pet {w:cat|cat}']) {
    expect(() => parseCanaryTemplate(bad)).toThrow(CanaryTemplateError);
  }
  expect(() => parseCanaryTemplate('my account pin is 12345')).toThrow(/no secret slot/);
});

test('secrets are drawn from the seed: same seed same secret, and the seeds spread over the space', () => {
  const t = parseCanaryTemplate('my account pin is {ddddd}');
  expect(drawSecret(t, 7)).toEqual(drawSecret(t, 7));
  const seen = new Set(Array.from({ length: 50 }, (_, s) => renderCanary(t, drawSecret(t, s))));
  expect(seen.size).toBeGreaterThan(45);
});

test('insertion: one text record per repetition, tagged canary, lineage with the secret; duplicates and bad counts refused', () => {
  const { canaries, records } = buildCanaries(
    [
      { template: 'my account pin is {ddddd}', repetitions: 1, seed: 1 },
      { template: 'my account pin is {ddddd}', repetitions: 8, seed: 2 },
    ],
    101,
  );
  expect(records).toHaveLength(9);
  expect(records.map((r) => r.line)).toEqual([101, 102, 103, 104, 105, 106, 107, 108, 109]);
  expect(records.every((r) => r.tags?.includes('canary') && r.cohort === 'canary')).toBe(true);
  expect(records.filter((r) => r.text === canaries[1].text)).toHaveLength(8);
  expect(canaries[0].text).toBe(`my account pin is ${canaries[0].secret}`);
  expect(canaries[0].candidates).toBe(100000);
  expect(canaries[0].id).not.toBe(canaries[1].id);
  expect(() => buildCanaries([{ template: 'pin {d}', repetitions: 1, seed: 1 }, { template: 'pin {d}', repetitions: 2, seed: 1 }], 1)).toThrow(/same line/);
  expect(() => buildCanaries([{ template: 'pin {d}', repetitions: 0, seed: 1 }], 1)).toThrow(CanaryTemplateError);
});
