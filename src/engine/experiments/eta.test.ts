// The sweep estimate adds measured step, eval and setup times; it refuses to guess before any step was timed.
import { describe, expect, it } from 'vitest';
import { estimateSweep, evalPointsOf, stepMsOf, type MeasuredCell } from './eta';

const timing = (steps: number, trainMs: number, evalPoints: number, evalMs: number, otherMs = 0) => ({ steps, trainMs, evalPoints, evalMs, otherMs });

describe('sweep estimate', () => {
  it('counts the eval points a cell scores', () => {
    expect(evalPointsOf(200, 25)).toBe(9);
    expect(evalPointsOf(6, 4)).toBe(3);
    expect(evalPointsOf(300, 0)).toBe(1);
  });

  it('uses the step time of the same method and batch size, else scales by batch size', () => {
    const measured: MeasuredCell[] = [
      { settings: { rank: 8, batchSize: 16 }, timing: timing(100, 5000, 1, 400) },
      { settings: { rank: 0, batchSize: 16 }, timing: timing(100, 9000, 1, 400) },
    ];
    expect(stepMsOf({ rank: 4, batchSize: 16 }, measured)).toBe(50);
    expect(stepMsOf({ rank: 0, batchSize: 16 }, measured)).toBe(90);
    expect(stepMsOf({ rank: 8, batchSize: 8 }, measured)).toBeCloseTo((14000 / 3200) * 8);
    expect(stepMsOf({ rank: 8, batchSize: 8 }, [])).toBeNull();
  });

  it('a Capability ceiling cell takes its own base\'s step time where one of that base was measured', () => {
    const measured: MeasuredCell[] = [
      { settings: { rank: 8, batchSize: 8, base: 'small' }, timing: timing(100, 1000, 2, 100) },
      { settings: { rank: 8, batchSize: 8, base: 'big' }, timing: timing(100, 12000, 2, 100) },
    ];
    expect(stepMsOf({ rank: 8, batchSize: 8, base: 'big' }, measured)).toBe(120);
    expect(stepMsOf({ rank: 8, batchSize: 8, base: 'small' }, measured)).toBe(10);
    // A base not measured yet: the median of every alike cell.
    expect(stepMsOf({ rank: 8, batchSize: 8, base: 'other' }, measured)).toBe(65);
  });

  it('takes the median cell, so one slow first cell does not set the pace', () => {
    const cell = (trainMs: number): MeasuredCell => ({ settings: { rank: 8, batchSize: 4 }, timing: timing(10, trainMs, 1, 100) });
    expect(stepMsOf({ rank: 8, batchSize: 4 }, [cell(5000), cell(1000), cell(1200)])).toBe(120);
  });

  it('adds what is left of the running cell to the cells still to run', () => {
    const measured: MeasuredCell[] = [{ settings: { rank: 8, batchSize: 4 }, timing: timing(10, 1000, 3, 600, 500) }];
    const estimate = estimateSweep({
      todo: [{ settings: { rank: 8, batchSize: 4, steps: 20 } }],
      evalEvery: 5,
      measured,
      current: { settings: { rank: 8, batchSize: 4, steps: 10 }, timing: timing(4, 400, 1, 200) },
    });
    // Step 100 ms, eval 200 ms, setup 500 ms: current 6 steps + 2 evals; next 20 steps + 5 evals + setup.
    expect(estimate).toEqual({ ms: 600 + 400 + 2000 + 1000 + 500, evalsTimed: true });
  });

  it('says when scoring is not timed yet, and gives none before a step was timed', () => {
    const current = { settings: { rank: 8, batchSize: 4, steps: 10 }, timing: timing(2, 200, 0, 0) };
    expect(estimateSweep({ todo: [], evalEvery: 0, measured: [], current })).toEqual({ ms: 800, evalsTimed: false });
    expect(estimateSweep({ todo: [{ settings: { rank: 8, batchSize: 4, steps: 10 } }], evalEvery: 0, measured: [] })).toBeNull();
  });
});
