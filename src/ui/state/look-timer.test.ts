// The first look's time left: steps and evaluations timed apart, evaluations still to come counted from the plan.
import { describe, expect, it } from 'vitest';
import { LookTimer } from './look-timer';

describe('LookTimer', () => {
  const plan = { cells: 1, steps: 30, evalEvery: 10 };

  it('knows nothing before two steps were timed', () => {
    const t = new LookTimer(plan, 0);
    t.report(0, 1, 12_000);
    t.report(0, 2, 14_000);
    expect(t.estimate()).toBeNull();
  });

  it('before any evaluation between steps, bounds one by the start-up; then uses the measured one', () => {
    // Start-up 12 s (base load + step-0 evaluation + step 1), then 2 s per step.
    const t = new LookTimer(plan, 0);
    for (let step = 1; step <= 10; step++) t.report(0, step, 10_000 + step * 2000);
    let e = t.estimate()!;
    expect(e.secondsPerStep).toBeCloseTo(2);
    expect(e.evalMeasured).toBe(false);
    expect(e.secondsPerEval).toBeCloseTo(10);
    // 20 steps and 3 evaluations (after steps 10, 20, 30) to go.
    expect(e.secondsLeft).toBeCloseTo(20 * 2 + 3 * 10);
    expect(e.stepsOnlySeconds).toBeCloseTo(20 * 2);
    // The evaluation after step 10 took 5 s: the gap to step 11 is 5 + 2 s.
    t.report(0, 11, 30_000 + 7000);
    e = t.estimate()!;
    expect(e.evalMeasured).toBe(true);
    expect(e.secondsPerEval).toBeCloseTo(5);
    expect(e.secondsLeft).toBeCloseTo(19 * 2 + 2 * 5);
  });

  it('counts the runs still to come, with their step-0 evaluations', () => {
    const t = new LookTimer({ cells: 2, steps: 6, evalEvery: 3 }, 0);
    for (let step = 1; step <= 3; step++) t.report(0, step, 4000 + step * 1000);
    const e = t.estimate()!;
    // Run 1: 3 steps, evaluations after 3 and 6; run 2: 6 steps, evaluations at 0, 3, 6.
    expect(e.secondsLeft).toBeCloseTo((3 + 6) * 1 + 5 * e.secondsPerEval);
  });
});
