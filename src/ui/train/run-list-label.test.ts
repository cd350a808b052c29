// Tests: the labels of runs in the Train page run list.
import { describe, expect, it } from 'vitest';
import { runListLabel } from './run-list-label';

const run = { name: 'Tiny World 400k · LoRA r8 · data', status: 'queued' as const, step: 0, hyper: { steps: 40 } as never };

describe('runListLabel', () => {
  it('shows the stored status and step of a run that is not training', () => {
    expect(runListLabel({ ...run, status: 'paused', step: 12 }, null)).toBe('Tiny World 400k · LoRA r8 · data — paused, step 12/40');
  });
  it('shows "running" and the live step of the run being trained, not its stale "queued, step 0"', () => {
    expect(runListLabel(run, 19)).toBe('Tiny World 400k · LoRA r8 · data — running, step 19/40');
  });
  it('a resumed run never shows fewer steps than it had stored before the first live event', () => {
    expect(runListLabel({ ...run, status: 'interrupted', step: 20 }, 0)).toBe('Tiny World 400k · LoRA r8 · data — running, step 20/40');
  });
});
