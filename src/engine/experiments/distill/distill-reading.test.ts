// Distillation series and reading from hand-built cells: a student that copies every teacher error vs one that never does, stated only when the interval resolves it.
import { describe, expect, it } from 'vitest';
import { distillPreset } from '../presets';
import type { DistillEval, StoredCell } from '../types';
import { accuracyByShare, excessAt, REPEATS_SERIES, CHANCE_SERIES, repeatsByShare, studentDropAt } from './series';
import { distillReading } from './reading';

const spec = distillPreset();
const N = 60;
const refs = Array.from({ length: N }, (_, i) => ['cashdesk', 'techdesk', 'warehouse', 'manager'][i % 4]);
const next = (r: string) => ({ cashdesk: 'techdesk', techdesk: 'warehouse', warehouse: 'manager', manager: 'cashdesk' })[r]!;

function cell(share: number, seed: number, student: (i: number, teacher: string) => string): StoredCell {
  const teacher = refs.map((r, i) => (i < share * N ? next(r) : r));
  const point: DistillEval = { references: refs, teacher, teacherWrong: refs.map(next), student: refs.map((_, i) => student(i, teacher[i])) };
  return {
    runId: `run-${share}-${seed}`, cellKey: `k-${share}-${seed}`, experimentId: 'x', seed, losses: [], trainExamples: 200, ms: 1,
    settings: { ...spec.fixed, labelNoise: share },
    evals: [{ step: 100, scores: {}, distill: point }],
  };
}

describe('distillation reading', () => {
  it('a student that copies every teacher error: repeats resolved above chance, and below the gold student', () => {
    const cells = [1, 2, 3].flatMap((seed) => [cell(0, seed, (_, t) => t), cell(0.4, seed, (_, t) => t)]);
    const acc = accuracyByShare(spec, cells);
    expect(acc.find((p) => p.series === 'student' && p.x === 0)!.mean).toBe(1);
    expect(acc.find((p) => p.series === 'teacher' && p.x === 0.4)!.mean).toBeCloseTo(0.6, 12);
    const rep = repeatsByShare(spec, cells);
    expect(rep.find((p) => p.series === REPEATS_SERIES)!.mean).toBe(1);
    expect(rep.find((p) => p.series === CHANCE_SERIES)!.mean).toBe(0);
    expect(excessAt(spec, cells, 0.4).lo).toBeGreaterThan(0.9);
    expect(studentDropAt(spec, cells, 0.4).hi).toBeLessThan(0);
    const text = distillReading(spec, cells);
    expect(text).toContain('resolved, more often where the teacher erred');
    expect(text).toContain('against the gold teacher’s student lower');
    expect(text).toContain('3 seeds');
    // Each chart's own part: accuracy without the repeats, repeats without the accuracy.
    expect(distillReading(spec, cells, 'accuracy')).not.toContain('exact wrong answer');
    expect(distillReading(spec, cells, 'repeats')).toContain('With the teacher 40% wrong, on the items it got wrong, the student gave the teacher’s exact wrong answer in 1.00');
    expect(distillReading(spec, cells, 'repeats')).not.toContain('gold teacher');
  });

  it('a student that always answers right: no repeats, and nothing stated that the numbers do not resolve', () => {
    const cells = [1, 2, 3].flatMap((seed) => [cell(0, seed, (i) => refs[i]), cell(0.2, seed, (i) => refs[i])]);
    expect(repeatsByShare(spec, cells).find((p) => p.series === REPEATS_SERIES)!.mean).toBe(0);
    const text = distillReading(spec, cells);
    expect(text).toContain('against the gold teacher’s student not resolved');
    expect(text).toContain('repeats beyond chance not resolved');
    expect(text).toContain('against its own teacher higher');
  });
});
