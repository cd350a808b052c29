// withRunLock: runs the job under the lock, refuses with RunLockedError when the lock is taken, runs unguarded without Web
// Locks; a run a job holds cannot be deleted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunLockedError } from '../engine/errors';
import { heldRunIds, runLockName, withExperimentLock, withRunLock } from './run-lock';
import { deleteRun } from './runs';

/** A LockManager whose locks in `taken` are held by someone else; records what was asked. */
function fakeLocks(taken: string[]) {
  const asked: { name: string; options: LockOptions }[] = [];
  return {
    asked,
    request: (name: string, options: LockOptions, callback: (lock: Lock | null) => Promise<unknown>) => {
      asked.push({ name, options });
      return callback(taken.includes(name) ? null : ({ name, mode: 'exclusive' } as Lock));
    },
    query: async () => ({ held: taken.map((name) => ({ name, mode: 'exclusive', clientId: 'other' })), pending: [] }),
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('withRunLock', () => {
  it('asks for the run’s lock without waiting, and runs the job under it', async () => {
    const locks = fakeLocks([]);
    vi.stubGlobal('navigator', { locks });
    await expect(withRunLock('r1', async () => 42)).resolves.toBe(42);
    expect(locks.asked).toEqual([{ name: runLockName('r1'), options: { ifAvailable: true } }]);
  });

  it('refuses a run another tab holds, saying so, without running the job', async () => {
    vi.stubGlobal('navigator', { locks: fakeLocks([runLockName('r1')]) });
    const job = vi.fn(async () => 1);
    await expect(withRunLock('r1', job)).rejects.toThrow(RunLockedError);
    await expect(withRunLock('r1', job)).rejects.toThrow(/training in another TuneLab tab/);
    await expect(withExperimentLock('e1', job)).resolves.toBe(1);
    expect(job).toHaveBeenCalledTimes(1);
  });

  it('without Web Locks (an insecure context) the job runs unguarded and nothing is held', async () => {
    vi.stubGlobal('navigator', {});
    await expect(withRunLock('r1', async () => 'ran')).resolves.toBe('ran');
    expect(await heldRunIds()).toEqual(new Set());
  });

  it('heldRunIds lists the runs whose locks are held', async () => {
    vi.stubGlobal('navigator', { locks: fakeLocks([runLockName('r1'), 'tunelab-experiment:e1']) });
    expect(await heldRunIds()).toEqual(new Set(['r1']));
  });
});

describe('deleteRun', () => {
  it('refuses a run that a job is training (its lock is held), before touching the database', async () => {
    vi.stubGlobal('navigator', { locks: fakeLocks([runLockName('r1')]) });
    await expect(deleteRun('r1')).rejects.toThrow(/training \(in this tab or another\), so it cannot be deleted/);
  });
});
