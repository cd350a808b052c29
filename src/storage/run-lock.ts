// One tab trains a run (or runs a sweep) at a time: a Web Lock per run or experiment, held for as long as its job runs,
// released when the job ends or the tab goes away; any tab can ask which are held.
import { RunLockedError } from '../engine/errors';

const RUN = 'tunelab-run:';
const EXPERIMENT = 'tunelab-experiment:';

export function runLockName(runId: string): string {
  return RUN + runId;
}

export function experimentLockName(experimentId: string): string {
  return EXPERIMENT + experimentId;
}

/** The run ids among lock names (other locks of the origin are ignored). */
export function runIdsOfLocks(names: readonly (string | undefined)[]): Set<string> {
  return new Set(names.filter((n): n is string => n?.startsWith(RUN) === true).map((n) => n.slice(RUN.length)));
}

/** Web Locks, where there are any: none on a page served over plain http from another machine (not a secure context). */
function webLocks(): LockManager | undefined {
  return (globalThis.navigator as Navigator | undefined)?.locks;
}

/** Runs held now by any tab of this origin (this one included); none where the browser has no Web Locks. */
export async function heldRunIds(): Promise<Set<string>> {
  const locks = webLocks();
  if (!locks) return new Set();
  const snapshot = await locks.query();
  return runIdsOfLocks((snapshot.held ?? []).map((l) => l.name));
}

/**
 * Runs `job` holding lock `name` until it settles; throws `heldElsewhere()` at once if another holder has it.
 * Without Web Locks (insecure context) the job runs unguarded, as before there were locks.
 */
async function withLock<T>(name: string, job: () => Promise<T>, heldElsewhere: () => Error): Promise<T> {
  const locks = webLocks();
  if (!locks) return job();
  return locks.request(name, { ifAvailable: true }, async (lock) => {
    if (!lock) throw heldElsewhere();
    return job();
  });
}

/** Runs a training job holding the run's lock; RunLockedError if another tab trains it. */
export function withRunLock<T>(runId: string, job: () => Promise<T>): Promise<T> {
  return withLock(runLockName(runId), job, () => new RunLockedError(
    'This run is training in another TuneLab tab; one tab at a time trains a run.',
    'Watch it or stop it in that tab. When it stops there (or that tab closes), Resume appears here.',
  ));
}

/** Runs a sweep holding the experiment's lock; RunLockedError if another tab runs this sweep. */
export function withExperimentLock<T>(experimentId: string, job: () => Promise<T>): Promise<T> {
  return withLock(experimentLockName(experimentId), job, () => new RunLockedError(
    'This sweep is running in another TuneLab tab; one tab at a time runs a sweep.',
    'Follow or cancel it in that tab. The runs it finishes are stored and show here when you reload or change the setup.',
  ));
}

/** Resolves once no tab holds the run's lock (waits in shared mode, then lets go at once); an abort stops the wait. */
export async function whenRunReleased(runId: string, signal?: AbortSignal): Promise<void> {
  const locks = webLocks();
  if (!locks) return;
  await locks.request(runLockName(runId), signal ? { mode: 'shared', signal } : { mode: 'shared' }, async () => {});
}
