// Dataset records: save (one transaction), list without rows, load, delete with the runs trained on them left intact.
import { openTuneLabDb } from './db';
import { guardQuota } from './quota';
import type { DatasetRecord, DatasetSummary } from './types';

export async function saveDataset(record: DatasetRecord): Promise<void> {
  const db = await openTuneLabDb();
  await guardQuota(`dataset “${record.name}”`, async () => {
    const tx = db.transaction('datasets', 'readwrite');
    await Promise.all([tx.store.put(record), tx.done]);
  });
}

export async function listDatasets(): Promise<DatasetSummary[]> {
  const db = await openTuneLabDb();
  const all = await db.getAllFromIndex('datasets', 'createdAt');
  return all.reverse().map(({ rows: _rows, ...summary }) => summary);
}

export async function loadDataset(id: string): Promise<DatasetRecord | undefined> {
  return (await openTuneLabDb()).get('datasets', id);
}

export async function deleteDataset(id: string): Promise<void> {
  await (await openTuneLabDb()).delete('datasets', id);
}
