// The Judge drift series and reading on hand-made cells: changes worked out by hand, and the headline sentence only when both intervals resolve.
import { describe, expect, it } from 'vitest';
import type { CellEval, CellResult } from '../types';
import { judgeDriftReading, judgeDriftStageReading } from './reading';
import { armGap, driftChange, driftDivergence, driftSeries, judgeModelExact } from './series';
import { DRIFT_ARMS, driftKey, JUDGE_MODEL_EXACT, JUDGE_MODEL_EXACT_CORRUPTED, type JudgeDriftSpec } from './spec';

const spec: JudgeDriftSpec = { skill: 'TICK', corrupt: { from: 'billing', to: 'refund' }, judgeTrainSize: 8, judgeSteps: 2, studentSteps: 2, scoring: 'mean', rounds: 2, prompts: 4, samples: 2, temperature: 1, objective: 'dpo', dpoSteps: 2, beta: 0.1, dpoLr: 1e-3, dpoReference: 'start' };

/** 10 items, 4 of them billing; values given per arm and metric as [exact share, judge share] per round. */
function cell(seed: number, rounds: { judge: [number, number]; gold: [number, number] }[]): CellResult {
  const corrupted = [true, true, true, true, false, false, false, false, false, false];
  const col = (share: number) => Array.from({ length: 10 }, (_, i) => (i < Math.round(share * 10) ? 1 : 0));
  const evals: CellEval[] = rounds.map((r, round) => {
    const items: Record<string, number[]> = round === 0 ? { [JUDGE_MODEL_EXACT]: col(0.6), [JUDGE_MODEL_EXACT_CORRUPTED]: [0, 0, 0, 0] } : {};
    for (const arm of DRIFT_ARMS) {
      const exact = col(r[arm][0]);
      Object.assign(items, {
        [driftKey(arm, 'exact')]: exact,
        [driftKey(arm, 'judge')]: col(r[arm][1]),
        [driftKey(arm, 'exact-corrupted')]: exact.filter((_, i) => corrupted[i]),
        [driftKey(arm, 'exact-other')]: exact.filter((_, i) => !corrupted[i]),
      });
    }
    return { step: round, scores: {}, items };
  });
  return { cellKey: `s${seed}`, experimentId: 'x', settings: {} as CellResult['settings'], seed, evals, losses: [], trainExamples: 0, ms: 0 };
}

describe('judge drift series and reading', () => {
  it('states that the judge score rose while the truth fell only when both changes resolve', () => {
    // Judge arm: exact 0.8 → 0.2, judge's win rate 0.5 → 1.0; gold arm: exact 0.8 → 1.0, judge 0.5 → 0.5.
    const cells = [1, 2, 3].map((s) => cell(s, [{ judge: [0.8, 0.5], gold: [0.8, 0.5] }, { judge: [0.5, 0.8], gold: [0.9, 0.5] }, { judge: [0.2, 1], gold: [1, 0.5] }]));
    const truth = driftChange(cells, 'judge', 'exact', 0, 2);
    expect(truth.mean).toBeCloseTo(-0.6, 12);
    expect(truth.hi).toBeLessThan(0);
    expect(driftChange(cells, 'judge', 'judge', 0, 2).mean).toBeCloseTo(0.5, 12);
    expect(armGap(cells, 'exact', 2).mean).toBeCloseTo(0.2 - 1, 12);
    expect(judgeModelExact(cells).corrupted.mean).toBe(0);
    const series = driftSeries(cells);
    expect(series.find((p) => p.round === 1 && p.arm === 'gold' && p.metric === 'exact')!.estimate.mean).toBeCloseTo(0.9, 12);
    const text = judgeDriftReading(spec, cells).join(' ');
    expect(text).toContain("The judge's score rose while the truth fell");
    expect(text).toContain('exact match fell by -0.60');
    expect(text).toContain('lower than with gold preferences');
    // Divergence by hand: judge score +0.5 minus exact change -0.6 = +1.1, the same on every item pair's seed.
    expect(driftDivergence(cells, 'judge', 0, 2).mean).toBeCloseTo(1.1, 12);
    expect(text).toContain('the two lines part, the judge above the truth');
    // Round 2: the judge rates the judge arm 1.0 against gold's 0.5 while exact match is 0.2 against 1.0.
    expect(text).toContain('the judge prefers the worse student');
    // The stage's short form: the same changes, the headline, and short enough for the presentation view.
    const stage = judgeDriftStageReading(spec, cells, 'overall');
    expect(stage).toContain("the judge's win rate rose +0.50");
    expect(stage).toContain('exact match fell -0.60');
    expect(stage).toContain("The judge's score rose while the truth fell.");
    expect(stage).toContain('3 seeds × 10 items.');
    expect(stage.length).toBeLessThan(400);
    const blind = judgeDriftStageReading(spec, cells, 'blind-spot');
    expect(blind).toContain('exact match on “billing” tickets fell -');
    expect(blind.length).toBeLessThan(400);
  });

  it('says a change is not resolved when its interval includes zero, and makes no headline then', () => {
    // Seeds disagree: the judge arm's exact match goes down in one seed and up in another.
    const cells = [
      cell(1, [{ judge: [0.5, 0.5], gold: [0.5, 0.5] }, { judge: [0.2, 0.5], gold: [0.5, 0.5] }]),
      cell(2, [{ judge: [0.5, 0.5], gold: [0.5, 0.5] }, { judge: [0.8, 0.5], gold: [0.5, 0.5] }]),
    ];
    const text = judgeDriftReading(spec, cells).join(' ');
    expect(text).not.toContain('rose while');
    expect(text).toMatch(/exact match did not change resolvably/);
    expect(text).toContain('2 seeds × 10 held-out eval items');
    expect(text).toContain('the lines do not resolvably part');
    const stage = judgeDriftStageReading(spec, cells, 'overall');
    expect(stage).not.toContain('rose while');
    expect(stage).toMatch(/exact match showed no resolved change \(/);
  });
});
