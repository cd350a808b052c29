// One tab trains a run: a Web Lock per run, held for as long as its job runs; every tab can ask which runs are held.
import { RunHeldElsewhereError } from '../../engine/errors';

const PREFIX = 'tunelab-run:';

export function runLockName(runId: string): string {
  return PREFIX + runId;
}

/** The run ids among lock names (other locks of the origin are ignored). */
export function runIdsOfLocks(names: readonly (string | undefined)[]): Set<string> {
  return new Set(names.filter((n): n is string => n?.startsWith(PREFIX) === true).map((n) => n.slice(PREFIX.length)));
}

/** Runs held now by any tab of this origin (this one included). */
export async function heldRunIds(): Promise<Set<string>> {
  const snapshot = await navigator.locks.query();
  return runIdsOfLocks((snapshot.held ?? []).map((l) => l.name));
}

/**
 * Runs `job` while holding the run's lock, released when it settles (or when the tab goes away).
 * Throws RunHeldElsewhereError at once if another tab holds it.
 */
export async function withRunLock<T>(runId: string, job: () => Promise<T>): Promise<T> {
  return navigator.locks.request(runLockName(runId), { ifAvailable: true }, async (lock) => {
    if (!lock) {
      throw new RunHeldElsewhereError(
        'This run is training in another TuneLab tab; one tab at a time trains a run.',
        'Watch it or stop it in that tab. When it stops there (or that tab closes), Resume appears here.',
      );
    }
    return job();
  });
}

/** Resolves once no tab holds the run's lock (waits in shared mode, then lets go at once); an abort stops the wait. */
export async function whenRunReleased(runId: string, signal?: AbortSignal): Promise<void> {
  await navigator.locks.request(runLockName(runId), signal ? { mode: 'shared', signal } : { mode: 'shared' }, async () => {});
}
