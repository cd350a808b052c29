// Imported PEFT adapters: a run record (so generate/evaluate/export treat it like a trained run) plus its weights, saved together.
import { openTuneLabDb } from './db';
import { guardQuota } from './quota';
import { approximateBytes } from './size';
import type { AdapterRecord, RunRecord } from '../contract';

/** Saves the run and its adapter weights in one transaction: both or neither. */
export async function saveImportedAdapter(run: RunRecord, weights: AdapterRecord['weights']): Promise<AdapterRecord> {
  const db = await openTuneLabDb();
  const record: AdapterRecord = { id: `${run.id}/adapter`, runId: run.id, name: run.name, createdAt: Date.now(), bytes: approximateBytes(weights), weights };
  return guardQuota(`the adapter “${run.name}”`, async () => {
    const tx = db.transaction(['runs', 'adapters'], 'readwrite');
    await tx.objectStore('runs').put(run);
    await tx.objectStore('adapters').put(record);
    await tx.done;
    return record;
  });
}

export async function adapterOfRun(runId: string): Promise<AdapterRecord | undefined> {
  return (await (await openTuneLabDb()).getAllFromIndex('adapters', 'runId', runId))[0];
}
