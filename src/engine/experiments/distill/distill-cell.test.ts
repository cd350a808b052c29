// The Distillation preset's teacher and cell: known-share corruption that is deterministic and nested, training rows that carry it, scores recomputed from the stored answers.
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../../../scripts/experiments/backend';
import { generateWorldDataset, ROUTE_TEAMS } from '../../world';
import { loadExperimentBase } from '../base';
import { expandCells, experimentId } from '../cells';
import { runCell } from '../cell-runner';
import { distillPreset, reducedSpec } from '../presets';
import { evalTexts, experimentSuite } from '../suite';
import { distillScores, distillTrainingRows } from './cell';
import { CHANCE_KEY, REPEATS_KEY, TEACHER_KEY } from './keys';
import { teacherAnswer, teacherWrongAnswer } from './teacher';

const items = generateWorldDataset({ mix: { ROUTE: 1 }, size: 2000, split: 'train', seed: 5 }).examples.map((e) => ({ prompt: e.prompt, gold: e.completion.replace(/\n$/, '') }));

describe('distillation teacher', () => {
  it('errs on about the asked share of items, always with the next desk, and a larger share keeps the smaller share’s errors', () => {
    for (const share of [0.2, 0.4]) {
      const wrong = items.filter((i) => teacherAnswer('ROUTE', i.prompt, i.gold, share, 1).wrong).length / items.length;
      // 2,000 independent draws: the binomial standard error at 0.4 is 0.011, so ±0.04 is over 3.5 standard errors.
      expect(Math.abs(wrong - share)).toBeLessThan(0.04);
    }
    for (const i of items) {
      const small = teacherAnswer('ROUTE', i.prompt, i.gold, 0.2, 1);
      const large = teacherAnswer('ROUTE', i.prompt, i.gold, 0.4, 1);
      if (small.wrong) expect(large).toEqual(small);
      if (large.wrong) expect(large.answer).toBe(ROUTE_TEAMS[(ROUTE_TEAMS.indexOf(i.gold as (typeof ROUTE_TEAMS)[number]) + 1) % 4]);
      expect(teacherAnswer('ROUTE', i.prompt, i.gold, 0, 1)).toEqual({ answer: i.gold, wrong: false });
    }
    // Another teacher seed errs on other items.
    const a = items.map((i) => teacherAnswer('ROUTE', i.prompt, i.gold, 0.4, 1).wrong);
    const b = items.map((i) => teacherAnswer('ROUTE', i.prompt, i.gold, 0.4, 2).wrong);
    expect(a).not.toEqual(b);
    expect(teacherWrongAnswer('ADD', 'ADD 2+3=', '5', 1)).not.toBe('5');
  });

  it('scores a point by hand: student exact match, teacher accuracy, repeats on the teacher’s wrong items, the chance level on its right ones', () => {
    const point = {
      references: ['a', 'b', 'c', 'd'],
      teacher: ['a', 'x', 'y', 'd'],
      teacherWrong: ['p', 'x', 'y', 'q'],
      student: ['p', 'x', 'c', 'd'],
    };
    const { scores, items: perItem } = distillScores('ROUTE', point);
    expect(scores.ROUTE).toBe(0.5);
    expect(scores[TEACHER_KEY]).toBe(0.5);
    expect(scores[REPEATS_KEY]).toBe(0.5); // item 2 repeats "x", item 3 answers right
    expect(scores[CHANCE_KEY]).toBe(0.5); // item 1 gives "p", the teacher's error there had it erred
    expect(perItem.ROUTE).toEqual([0, 0, 1, 1]);
  });
});

describe('distillation cell (seed-initialised tiny base)', () => {
  beforeAll(async () => {
    await initNodeBackend('wasm');
  });

  it('trains students on each teacher’s answers and stores every held-out answer', async () => {
    const spec = reducedSpec(distillPreset());
    const base = await loadExperimentBase(spec.base, async () => null);
    const suite = experimentSuite(spec);
    const cells = expandCells(spec);
    expect(cells.map((c) => c.settings.labelNoise)).toEqual([0, 0.5]);
    const rows = distillTrainingRows(cells[1], spec.target, spec.distill!, evalTexts(suite));
    const gold = distillTrainingRows(cells[0], spec.target, spec.distill!, evalTexts(suite));
    expect(rows.map((r) => r.prompt)).toEqual(gold.map((r) => r.prompt));
    expect(rows.filter((r) => r.teacherWrong).length).toBeGreaterThan(0);
    rows.forEach((r, i) => expect(r.completion === gold[i].completion).toBe(!r.teacherWrong));
    for (const cell of cells) {
      const result = await runCell(base, cell, { experimentId: experimentId(spec, base.weightsSha256), suite, target: spec.target, evalEvery: 0, distill: spec.distill });
      const last = result.evals.at(-1)!;
      expect(last.step).toBe(6);
      expect(last.distill!.student).toHaveLength(6);
      expect(last.scores).toEqual(distillScores(spec.target, last.distill!).scores);
      if (cell.settings.labelNoise === 0) expect(last.scores[TEACHER_KEY]).toBe(1);
    }
  }, 120_000);
});
