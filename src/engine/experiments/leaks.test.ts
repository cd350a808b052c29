// Eval items never reach training or prompts: few-shot shots per skill, held-out text, replay pools per preset, and bad input refused.
import { describe, expect, it } from 'vitest';
import { ExperimentSpecError } from '../errors';
import { tinyWorldShots, withFewShot } from '../eval/few-shot';
import { skillProbe, tinyWorldSuite } from '../eval/tiny-world-suite';
import { PRETRAIN_MIX, SKILL_NAMES, SKILLS, ticketPhraseOf, type SkillName } from '../world';
import { cellExamples } from './cell-data';
import { expandCells } from './cells';
import { checkExperimentSpec } from './leaks';
import { cliffPreset, cliffReplayPreset, cohortsPreset, saturationPreset } from './presets';
import { EVAL_ROLE, EVAL_SEED, evalTexts, experimentSuite, isEvalItem, PERPLEXITY_PROBE } from './suite';
import type { ExperimentSpec } from './types';

describe('few-shot shots are never eval items', () => {
  for (const skill of SKILL_NAMES) {
    it(`${skill}: no item of the few-shot probe is one of its shots`, () => {
      const shots = tinyWorldShots(skill);
      for (const size of [50, 200]) {
        const probe = skillProbe(skill, size, EVAL_SEED, EVAL_ROLE);
        const few = withFewShot(probe, shots);
        if (few.metric !== 'exact_match') throw new Error('exact match probe expected');
        const prefix = shots.map((s) => s.prompt + s.completion).join('');
        const prompts = few.items.map((i) => i.prompt.slice(prefix.length));
        for (const shot of shots) expect(prompts).not.toContain(shot.prompt);
        // Only a shot that is an eval item is dropped (FACT is not split; the split skills lose nothing).
        const overlap = probe.metric === 'exact_match' ? probe.items.filter((i) => shots.some((s) => s.prompt === i.prompt)).length : 0;
        expect(few.items).toHaveLength(probe.items.length - overlap);
        // A small eval part (FACT's 60 facts, FACTADD's role) is asked whole, each item once; the others are as large as asked.
        const pool = SKILLS[skill].poolSize('eval', EVAL_ROLE, {});
        expect(probe.items).toHaveLength(pool.exact ? Math.min(size, pool.count) : size);
        if (probe.metric === 'exact_match') expect(new Set(probe.items.map((i) => i.prompt)).size).toBe(probe.items.length);
        if (SKILLS[skill].partitioned) expect(overlap).toBe(0);
      }
    });
  }

  it('FACT: the two shots that were eval items (#12 item 6) are dropped from the 50-item probe', () => {
    const few = withFewShot(skillProbe('FACT', 50, EVAL_SEED, EVAL_ROLE), tinyWorldShots('FACT'));
    expect(few.items).toHaveLength(48);
  });
});

describe('held-out text holds no training line', () => {
  const suites: [string, ReturnType<typeof experimentSuite>][] = [
    ['cliff preset', experimentSuite(cliffPreset())],
    ['Evaluate page suite', tinyWorldSuite({ perSkill: 50 })],
  ];
  for (const [name, suite] of suites) {
    it(`${name}: no FACT line (FACT is memorised, not split), and every line is from a split skill's eval half`, () => {
      const probe = suite.probes.find((p) => p.name === PERPLEXITY_PROBE)!;
      if (probe.metric !== 'perplexity') throw new Error('perplexity probe expected');
      expect(probe.items.length).toBeGreaterThan(0);
      for (const { text } of probe.items) {
        const skill = text.split(' ')[0] as SkillName;
        expect(SKILLS[skill].partitioned, text).toBe(true);
      }
    });
  }
});

describe('replay pools leave the eval items out', () => {
  const presets: [string, ExperimentSpec][] = [
    ['cliff', cliffPreset()],
    ['saturation', { ...saturationPreset(), adjacent: ['FACT', 'TICK'] }],
  ];
  for (const [name, preset] of presets) {
    for (const replay of [0.2, 0.5]) {
      it(`${name}, replay ${replay}: no training example of any cell is an eval prompt or held-out line, and the pretrained skills are still replayed`, () => {
        const spec = { ...preset, fixed: { ...preset.fixed, replay } };
        const evalSet = evalTexts(experimentSuite(spec));
        for (const cell of expandCells(spec)) {
          const examples = cellExamples(cell.settings, cell.seed, spec.target, evalSet);
          expect(examples.filter((e) => isEvalItem(e, evalSet)).map((e) => e.prompt)).toEqual([]);
          const replay = examples.filter((e) => e.skill !== spec.target);
          const replayed = new Set(replay.map((e) => e.skill));
          // FACT keeps its prompts that are not eval items (10 of 60 when the eval holds 50), so it shows in larger replays.
          if (replay.length >= 200) for (const skill of Object.keys(PRETRAIN_MIX)) expect(replayed.has(skill as SkillName), skill).toBe(true);
        }
        expect(() => checkExperimentSpec(spec)).not.toThrow();
      });
    }
  }

  it('the Cliff with replay preset: every cell (replay 0, 0.1, 0.3) trains on no eval prompt or held-out line, at the replay share it names', () => {
    const spec = cliffReplayPreset();
    const evalSet = evalTexts(experimentSuite(spec));
    const factEval = [...evalSet].filter((t) => t.startsWith('FACT '));
    expect(factEval.length).toBeGreaterThan(0);
    const cells = expandCells(spec);
    expect(new Set(cells.map((c) => c.settings.replay))).toEqual(new Set([0, 0.1, 0.3]));
    for (const cell of cells) {
      const examples = cellExamples(cell.settings, cell.seed, spec.target, evalSet);
      expect(examples.filter((e) => isEvalItem(e, evalSet)).map((e) => e.prompt)).toEqual([]);
      const replayed = examples.filter((e) => e.skill !== spec.target);
      // 400 ROUTE lines + r/(1 − r) × 400 replay lines: 0, 44 and 171.
      expect(replayed.length).toBe(Math.round((400 * cell.settings.replay) / (1 - cell.settings.replay)));
      if (cell.settings.replay >= 0.3) expect(replayed.some((e) => e.skill === 'FACT')).toBe(true);
    }
    expect(() => checkExperimentSpec(spec)).not.toThrow();
  });

  it('the FACT eval prompts that replay 0.2 and 0.5 used to train on (#12 item 6) are gone', () => {
    const spec = cliffPreset();
    const evalSet = evalTexts(experimentSuite(spec));
    const fact = [...evalSet].filter((t) => t.startsWith('FACT '));
    expect(fact.length).toBeGreaterThan(0);
    for (const replay of [0.2, 0.5]) {
      const examples = cellExamples({ ...spec.fixed, replay }, 1, spec.target, evalSet);
      expect(examples.some((e) => e.skill === 'FACT')).toBe(true);
      expect(examples.filter((e) => fact.includes(e.prompt))).toEqual([]);
    }
  });
});

describe('the ticket target is held out by phrase, and the narrow pool is new data', () => {
  it('no training phrase of any preset cell is the phrase of one of its ROUTE eval items', () => {
    for (const preset of [saturationPreset(), { ...cliffPreset(), fixed: { ...cliffPreset().fixed, replay: 0.2 } }]) {
      const suite = experimentSuite(preset);
      const evalPhrases = new Set(suite.probes.flatMap((p) => (p.name === 'ROUTE' && p.metric === 'exact_match' ? p.items.map((i) => ticketPhraseOf(i.prompt)) : [])));
      expect(evalPhrases.size).toBeGreaterThan(5);
      for (const cell of expandCells(preset)) {
        const trained = cellExamples(cell.settings, cell.seed, preset.target, evalTexts(suite)).filter((e) => e.skill === 'ROUTE');
        expect(trained.filter((e) => evalPhrases.has(ticketPhraseOf(e.prompt))).map((e) => e.prompt)).toEqual([]);
      }
    }
  });

  it('the narrow added pool: two labels, two wrappers, no prompt of the clean pool, no repeats', () => {
    const spec = saturationPreset();
    const evalSet = evalTexts(experimentSuite(spec));
    for (const seed of [1, 2]) {
      const clean = cellExamples({ ...spec.fixed, trainSize: 2000 }, seed, 'ROUTE', evalSet);
      const both = cellExamples({ ...spec.fixed, trainSize: 400, addedSize: 400, addedKind: 'narrow' }, seed, 'ROUTE', evalSet);
      const narrow = both.slice(400);
      expect(narrow).toHaveLength(400);
      // Like every pool, it holds no eval item and no eval item's phrase.
      expect(narrow.filter((e) => isEvalItem(e, evalSet))).toEqual([]);
      const evalPhrases = new Set([...evalSet].filter((t) => t.startsWith('ROUTE ')).map(ticketPhraseOf));
      expect(narrow.filter((e) => evalPhrases.has(ticketPhraseOf(e.prompt)))).toEqual([]);
      expect(new Set(narrow.map((e) => e.prompt)).size).toBe(400);
      const cleanPrompts = new Set(clean.map((e) => e.prompt));
      expect(narrow.filter((e) => cleanPrompts.has(e.prompt))).toEqual([]);
      expect(new Set(narrow.map((e) => e.completion))).toEqual(new Set(['cashdesk\n', 'techdesk\n']));
      expect(new Set(narrow.flatMap((e) => e.tags.filter((t) => t.startsWith('template:'))))).toEqual(new Set(['template:0', 'template:6']));
    }
  });

  it('refuses target training that would reach an eval item\'s phrase in another wrapper', () => {
    const spec = saturationPreset();
    const trained = cellExamples(spec.fixed, 1, 'ROUTE', evalTexts(experimentSuite(spec)));
    const phrase = ticketPhraseOf(trained[0].prompt)!;
    const fakeEval = new Set([`ROUTE ${phrase} asap=`]);
    expect(() => cellExamples(spec.fixed, 1, 'ROUTE', fakeEval)).toThrow(/has the phrase of an eval item: the eval would score a seen phrase in a new wrapper/);
  });
});

describe('bad input is refused before anything runs, in words', () => {
  it('a target whose eval would overlap its training (FACT is not split)', () => {
    const spec: ExperimentSpec = { ...saturationPreset(), target: 'FACT' };
    expect(() => checkExperimentSpec(spec)).toThrow(ExperimentSpecError);
    expect(() => checkExperimentSpec(spec)).toThrow(/FACT training prompts of seed 1 are also eval items/);
  });

  it('a replay share the pool cannot fill without eval items', () => {
    const spec: ExperimentSpec = { ...cliffPreset(), fixed: { ...cliffPreset().fixed, trainSize: 2000, replay: 0.6 } };
    expect(() => checkExperimentSpec(spec)).toThrow(/Replay share 0\.6 of 2000 examples needs 3000 replay examples; the replay pool holds \d+ \(its eval items left out\)\./);
  });

  it('a size beyond the pool and a replay share outside [0, 1)', () => {
    const sat = saturationPreset();
    expect(() => checkExperimentSpec({ ...sat, axes: [{ knob: 'trainSize', values: [50, 5000] }] })).toThrow(/Training-set size 5000 is not a whole number from 0 to 2000/);
    expect(() => checkExperimentSpec({ ...sat, fixed: { ...sat.fixed, replay: 1 } })).toThrow(ExperimentSpecError);
  });

  it('the presets themselves pass', () => {
    expect(() => checkExperimentSpec(saturationPreset())).not.toThrow();
    expect(() => checkExperimentSpec(cliffPreset())).not.toThrow();
    expect(() => checkExperimentSpec(cliffReplayPreset())).not.toThrow();
    expect(() => checkExperimentSpec(cohortsPreset())).not.toThrow();
  });
});
