// Run records and their checkpoints: a checkpoint and the run's progress are written in one transaction.
import { RunLockedError } from '../engine/errors';
import { openTuneLabDb } from './db';
import { heldRunIds } from './run-lock';
import { guardQuota } from './quota';
import { approximateBytes } from './size';
import type { CheckpointRecord, MetricPoint, RunRecord, RunStatus } from '../contract';
import type { RunRegression } from '../contract/regression-suite';

/** Checkpoints kept per run (older ones are deleted in the same transaction that writes a new one). */
export const CHECKPOINTS_KEPT = 2;

export async function saveRun(run: RunRecord): Promise<void> {
  const db = await openTuneLabDb();
  await guardQuota(`run “${run.name}”`, async () => {
    const tx = db.transaction('runs', 'readwrite');
    await Promise.all([tx.store.put({ ...run, updatedAt: Date.now() }), tx.done]);
  });
}

export async function loadRun(id: string): Promise<RunRecord | undefined> {
  return (await openTuneLabDb()).get('runs', id);
}

export async function listRuns(): Promise<RunRecord[]> {
  return (await (await openTuneLabDb()).getAllFromIndex('runs', 'createdAt')).reverse();
}

/** Updates status/step/metrics of a stored run (read-modify-write in one transaction). */
export async function updateRun(
  id: string,
  change: { status?: RunStatus; step?: number; appendMetrics?: MetricPoint[]; message?: string | undefined; regression?: RunRegression },
): Promise<RunRecord> {
  const db = await openTuneLabDb();
  return guardQuota('run progress', async () => {
    const tx = db.transaction('runs', 'readwrite');
    const run = await tx.store.get(id);
    if (!run) throw new Error(`Run ${id} no longer exists (was it deleted?)`);
    const next = applyChange(run, change);
    await tx.store.put(next);
    await tx.done;
    return next;
  });
}

function applyChange(run: RunRecord, change: Parameters<typeof updateRun>[1]): RunRecord {
  const next: RunRecord = { ...run, updatedAt: Date.now() };
  if (change.status) next.status = change.status;
  if (change.step !== undefined) next.step = change.step;
  if ('message' in change) next.message = change.message;
  if (change.regression) next.regression = change.regression;
  if (change.appendMetrics?.length) {
    const last = run.metrics.at(-1)?.step ?? -1;
    next.metrics = [...run.metrics, ...change.appendMetrics.filter((m) => m.step > last)];
  }
  return next;
}

/**
 * Writes a checkpoint, the run's step/metrics up to it, and drops older checkpoints — all or nothing.
 * On a quota error the transaction rolls back: the previous checkpoint and run record stay as they were.
 */
export async function saveCheckpoint(runId: string, step: number, state: unknown, metrics: MetricPoint[]): Promise<CheckpointRecord> {
  const db = await openTuneLabDb();
  const record: CheckpointRecord = { id: `${runId}@${step}`, runId, step, createdAt: Date.now(), bytes: approximateBytes(state), state };
  return guardQuota(`the checkpoint at step ${step}`, async () => {
    const tx = db.transaction(['runs', 'checkpoints'], 'readwrite');
    const runs = tx.objectStore('runs');
    const checkpoints = tx.objectStore('checkpoints');
    const run = await runs.get(runId);
    if (!run) throw new Error(`Run ${runId} no longer exists (was it deleted?)`);
    await checkpoints.put(record);
    const older = (await checkpoints.index('runId').getAll(runId)).filter((c) => c.step < step).sort((a, b) => b.step - a.step);
    for (const stale of older.slice(CHECKPOINTS_KEPT - 1)) await checkpoints.delete(stale.id);
    await runs.put({ ...applyChange(run, { step, appendMetrics: metrics }), lastCheckpointStep: step });
    await tx.done;
    return record;
  });
}

export async function latestCheckpoint(runId: string): Promise<CheckpointRecord | undefined> {
  const all = await (await openTuneLabDb()).getAllFromIndex('checkpoints', 'runId', runId);
  return all.sort((a, b) => b.step - a.step)[0];
}

/** Deletes a run with its checkpoints and adapters in one transaction; a run a job is training (in any tab) is refused. */
export async function deleteRun(runId: string): Promise<void> {
  if ((await heldRunIds()).has(runId)) {
    throw new RunLockedError('This run is training (in this tab or another), so it cannot be deleted now.', 'Pause or cancel it on the Train page of the tab that trains it, then delete it.');
  }
  const db = await openTuneLabDb();
  const tx = db.transaction(['runs', 'checkpoints', 'adapters'], 'readwrite');
  for (const name of ['checkpoints', 'adapters'] as const) {
    const keys = await tx.objectStore(name).index('runId').getAllKeys(runId);
    for (const key of keys) await tx.objectStore(name).delete(key);
  }
  await tx.objectStore('runs').delete(runId);
  await tx.done;
}

/** A run left "running"/"queued" by a tab that no longer trains it (no tab holds its lock): it can be resumed. */
export function isOrphaned(run: Pick<RunRecord, 'id' | 'status'>, heldRunIds: ReadonlySet<string>): boolean {
  return (run.status === 'running' || run.status === 'queued') && !heldRunIds.has(run.id);
}

/**
 * Runs that were training when their tab went away become "interrupted" (resumable); runs another tab is training
 * now (it holds their lock, see run-lock.ts) are left as they are.
 */
export async function markOrphanedRunsInterrupted(heldRunIds: ReadonlySet<string>): Promise<void> {
  const db = await openTuneLabDb();
  const tx = db.transaction('runs', 'readwrite');
  for (const run of await tx.store.getAll()) {
    if (isOrphaned(run, heldRunIds)) {
      await tx.store.put({ ...run, status: 'interrupted', message: 'The page was closed or reloaded during training.' });
    }
  }
  await tx.done;
}
