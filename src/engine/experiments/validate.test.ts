// Sweep validation speaks the form's words: which entry is wrong and why, on the field that fixes it, no internal names.
import { describe, expect, it } from 'vitest';
import { ExperimentSpecError } from '../errors';
import { cliffPreset, reducedSpec, saturationPreset } from './presets';
import { describeRule, NUMBER_RULES, parseNumber, parseNumberList, validateSpec } from './validate';
import { assertRunnableSpec } from './spec-check';

const INTERNAL = /maxSteps|batchSize|trainSize|addedSize|labelNoise|evalEvery|evalItems|lr\b/;

describe('one field', () => {
  it('refuses seeds below 1 and above 10 in words, and accepts 3', () => {
    expect(parseNumber('0', NUMBER_RULES.seeds)).toEqual({ ok: false, message: '0 is below 1: enter a whole number from 1 to 10.' });
    expect(parseNumber('11', NUMBER_RULES.seeds)).toEqual({ ok: false, message: '11 is above 10: enter a whole number from 1 to 10.' });
    expect(parseNumber('2.5', NUMBER_RULES.seeds)).toMatchObject({ ok: false, message: expect.stringContaining('2.5 is not a whole number') });
    expect(parseNumber(' 3 ', NUMBER_RULES.seeds)).toEqual({ ok: true, value: 3 });
  });

  it('refuses steps of -5 and 0, and an empty field, without the engine’s names', () => {
    for (const text of ['-5', '0', '', 'abc']) {
      const parsed = parseNumber(text, NUMBER_RULES.steps);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).not.toMatch(INTERNAL);
    }
    expect(parseNumber('-5', NUMBER_RULES.steps)).toMatchObject({ message: '-5 is below 1: enter a whole number from 1 to 100000.' });
    expect(parseNumber('', NUMBER_RULES.steps)).toMatchObject({ message: 'Enter a whole number from 1 to 100000.' });
  });

  it('needs a learning rate above 0 and a replay share the data builder accepts', () => {
    expect(parseNumber('0', NUMBER_RULES.lr)).toMatchObject({ ok: false, message: '0 must be above 0: enter a number above 0 and at most 1, such as 0.001.' });
    expect(parseNumber('1e-3', NUMBER_RULES.lr)).toEqual({ ok: true, value: 0.001 });
    expect(parseNumber('1', NUMBER_RULES.replay).ok).toBe(false);
    expect(describeRule(NUMBER_RULES.evalEvery)).toBe('a whole number of 0 or more');
  });
});

describe('a comma list', () => {
  it('names each wrong entry of "abc, -3" and why', () => {
    expect(parseNumberList('abc, -3', NUMBER_RULES.trainSize)).toEqual({
      ok: false,
      message: 'Entry 1, “abc”, is not a number; entry 2, “-3”, is below 0. Each value must be a whole number from 0 to 2000.',
    });
  });

  it('reads "50, 100 ,200" and flags an empty entry or an empty list', () => {
    expect(parseNumberList('50, 100 ,200', NUMBER_RULES.trainSize)).toEqual({ ok: true, value: [50, 100, 200] });
    expect(parseNumberList('4,,0', NUMBER_RULES.rank)).toMatchObject({ ok: false, message: expect.stringContaining('Entry 2, “”, is empty') });
    expect(parseNumberList(' ', NUMBER_RULES.rank)).toMatchObject({ ok: false, message: expect.stringMatching(/^Enter one or more values/) });
  });
});

describe('a whole spec', () => {
  it('passes the presets and their reduced variants', () => {
    for (const spec of [saturationPreset(), cliffPreset(), reducedSpec(saturationPreset()), reducedSpec(cliffPreset())]) expect(validateSpec(spec)).toEqual([]);
  });

  it('puts each problem on its field: seeds 0, steps -5, an axis entry, the same knob twice, runs with no examples', () => {
    const spec = saturationPreset();
    spec.seeds = 0;
    spec.fixed.steps = -5;
    spec.fixed.addedSize = 0;
    spec.axes = [{ knob: 'trainSize', values: [0, 100] }, { knob: 'trainSize', values: [2.5] }];
    const problems = validateSpec(spec);
    expect(problems.map((p) => p.field).sort()).toEqual(['axis1', 'axis2', 'axis2', 'seeds', 'steps']);
    expect(problems.find((p) => p.field === 'axis1')!.message).toMatch(/nothing to train on/);
    for (const p of problems) expect(p.message).not.toMatch(INTERNAL);
  });

  it('the job refuses an invalid spec with a named error quoting the form’s labels', () => {
    const spec = cliffPreset();
    spec.fixed.steps = -5;
    expect(() => assertRunnableSpec(spec)).toThrow(ExperimentSpecError);
    expect(() => assertRunnableSpec(spec)).toThrow('This sweep cannot run: Steps: -5 is below 1: enter a whole number from 1 to 100000.');
    expect(() => assertRunnableSpec(cliffPreset())).not.toThrow();
  });

  it('flags an extra run out of range (the link’s only place for it)', () => {
    const spec = saturationPreset();
    spec.extraCells = [{ trainSize: 400, addedSize: 5000 }];
    expect(validateSpec(spec)).toEqual([{ field: 'extra', message: 'Extra run 1, Added examples: 5000 is above 2000: enter a whole number from 0 to 2000.' }]);
    spec.extraCells = [{ trainSize: 0, addedSize: 0 }];
    expect(validateSpec(spec)).toEqual([{ field: 'extra', message: expect.stringMatching(/^Extra run 1: A run with 0 clean and 0 added examples has nothing to train on/) }]);
  });
});
