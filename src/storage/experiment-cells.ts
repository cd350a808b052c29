// Experiment cells in the runs store (datasetId "experiment:<id>"): save one finished cell, list an experiment's cells.
import { openTuneLabDb } from './db';
import { experimentDatasetId, storedCellOf } from './experiment-cell-record';
import { guardQuota } from './quota';
import type { StoredCell } from '../engine/experiments/types';
import type { RunRecord } from '../contract';

export async function saveCellRun(run: RunRecord): Promise<void> {
  const db = await openTuneLabDb();
  await guardQuota(`experiment cell “${run.name}”`, async () => {
    const tx = db.transaction('runs', 'readwrite');
    await Promise.all([tx.store.put(run), tx.done]);
  });
}

/** Every finished cell stored for an experiment id. */
export async function listExperimentCells(experimentId: string): Promise<StoredCell[]> {
  const runs = await (await openTuneLabDb()).getAllFromIndex('runs', 'datasetId', experimentDatasetId(experimentId));
  return runs.map(storedCellOf).filter((c): c is StoredCell => c !== null);
}

/** Deletes an experiment's cells (its runs) so the next run measures them again. */
export async function deleteExperimentCells(experimentId: string): Promise<number> {
  const db = await openTuneLabDb();
  const tx = db.transaction('runs', 'readwrite');
  const keys = await tx.store.index('datasetId').getAllKeys(experimentDatasetId(experimentId));
  for (const key of keys) await tx.store.delete(key);
  await tx.done;
  return keys.length;
}
