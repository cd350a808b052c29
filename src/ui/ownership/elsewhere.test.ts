// Pure parts of run ownership: which runs are orphans, which locks are runs, what another tab's messages change.
import { describe, expect, it } from 'vitest';
import { applyRunMessage, newerPoints } from './elsewhere';
import { runIdsOfLocks, runLockName } from '../../storage/run-lock';
import { isOrphaned } from '../../storage/runs';
import type { TrainProgress } from '../../contract';
import type { MetricPoint } from '../../contract';

const progress = (step: number): TrainProgress => ({ runId: 'a', step, totalSteps: 100, loss: 1, tokensPerSec: 10, etaSec: 5, newMetrics: [], lastCheckpointStep: null });
const point = (step: number) => ({ step, trainLoss: 1 }) as MetricPoint;

describe('isOrphaned', () => {
  it('a running or queued run nobody holds is an orphan; one another tab holds is not', () => {
    expect(isOrphaned({ id: 'a', status: 'running' }, new Set())).toBe(true);
    expect(isOrphaned({ id: 'a', status: 'queued' }, new Set(['b']))).toBe(true);
    expect(isOrphaned({ id: 'a', status: 'running' }, new Set(['a']))).toBe(false);
  });

  it('stopped runs are never orphans', () => {
    for (const status of ['paused', 'interrupted', 'completed', 'cancelled', 'diverged', 'failed'] as const) {
      expect(isOrphaned({ id: 'a', status }, new Set()), status).toBe(false);
    }
  });
});

describe('runIdsOfLocks', () => {
  it('keeps only run locks, as run ids', () => {
    expect(runIdsOfLocks([runLockName('r1'), 'other-lock', undefined, runLockName('r2')])).toEqual(new Set(['r1', 'r2']));
  });
});

describe('applyRunMessage', () => {
  it('started adds the run without progress, progress keeps the latest, stopped removes it', () => {
    let map = applyRunMessage(new Map(), { kind: 'started', purpose: 'finetune', runId: 'a' });
    expect(map.get('a')).toBeNull();
    map = applyRunMessage(map, { kind: 'progress', purpose: 'finetune', runId: 'a', progress: progress(7) });
    expect(map.get('a')?.step).toBe(7);
    // A late 'started' does not wipe the progress already heard.
    map = applyRunMessage(map, { kind: 'started', purpose: 'finetune', runId: 'a' });
    expect(map.get('a')?.step).toBe(7);
    const before = map;
    map = applyRunMessage(map, { kind: 'stopped', purpose: 'finetune', runId: 'a' });
    expect(map.has('a')).toBe(false);
    expect(before.has('a')).toBe(true);
  });
});

describe('newerPoints', () => {
  it('takes only the points after the series’ last step', () => {
    expect(newerPoints([point(1), point(2)], [point(2), point(3), point(4)]).map((p) => p.step)).toEqual([3, 4]);
    expect(newerPoints([], [point(0)]).map((p) => p.step)).toEqual([0]);
  });
});
