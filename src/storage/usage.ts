// What is stored, item by item with its size, for the Storage page; and deleting one item.
import { openTuneLabDb } from './db';
import { approximateBytes } from './size';
import { deleteDataset } from './datasets';
import { deleteRun } from './runs';
import { deleteLocalModel } from './local-models';
import type { StoreName } from './schema';

export interface StoredItem {
  store: StoreName;
  id: string;
  label: string;
  bytes: number;
  createdAt: number;
}

export async function listStoredItems(): Promise<StoredItem[]> {
  const db = await openTuneLabDb();
  const items: StoredItem[] = [];
  // A dataset's size is its metadata record plus all its row chunks (measured at import; the chunks are not read here).
  for (const d of await db.getAll('datasets')) {
    const chunks = d.chunkRows.length;
    items.push({ store: 'datasets', id: d.id, label: `${d.name} (${d.stats.rows} rows in ${chunks} ${chunks === 1 ? 'chunk' : 'chunks'})`, bytes: approximateBytes(d) + d.rowBytes, createdAt: d.createdAt });
  }
  const runNames = new Map<string, string>();
  for (const r of await db.getAll('runs')) {
    runNames.set(r.id, r.name);
    items.push({ store: 'runs', id: r.id, label: `${r.name} — ${r.status}, step ${r.step}`, bytes: approximateBytes(r), createdAt: r.createdAt });
  }
  // Checkpoints by their run's name (ids are `${runId}@${step}`, which tell a person nothing).
  const ofRun = (runId: string) => (runNames.has(runId) ? `“${runNames.get(runId)}”` : `a deleted run (${runId.slice(0, 8)})`);
  for (const c of await db.getAll('checkpoints')) items.push({ store: 'checkpoints', id: c.id, label: `checkpoint step ${c.step} of ${ofRun(c.runId)}`, bytes: c.bytes, createdAt: c.createdAt });
  for (const a of await db.getAll('adapters')) items.push({ store: 'adapters', id: a.id, label: a.name, bytes: a.bytes, createdAt: a.createdAt });
  // A model is its files together: one row, deleted as a whole.
  const models = new Map<string, StoredItem & { files: number }>();
  for (const m of await db.getAll('models')) {
    const item = models.get(m.modelId) ?? { store: 'models', id: m.modelId, label: '', bytes: 0, createdAt: m.createdAt, files: 0 };
    item.bytes += m.bytes;
    item.files++;
    if (m.fileName === 'training.json') item.label = `base model “${(JSON.parse(new TextDecoder().decode(m.data)) as { name?: string }).name ?? m.modelId}”`;
    models.set(m.modelId, item);
  }
  for (const { files, ...item } of models.values()) items.push({ ...item, label: item.label || `model ${item.id} (${files} files)` });
  return items;
}

/**
 * Deleting a dataset removes all its row chunks and keeps its runs (they record its hash); deleting a run takes its
 * checkpoints and adapters with it; deleting a model takes all its files (runs fine-tuned on it stay, but cannot resume).
 */
export async function deleteStoredItem(store: StoreName, id: string): Promise<void> {
  if (store === 'datasets') return deleteDataset(id);
  if (store === 'runs') return deleteRun(id);
  if (store === 'models') return deleteLocalModel(id);
  const db = await openTuneLabDb();
  if (store === 'checkpoints') {
    const tx = db.transaction(['checkpoints', 'runs'], 'readwrite');
    const cp = await tx.objectStore('checkpoints').get(id);
    await tx.objectStore('checkpoints').delete(id);
    if (cp) {
      const remaining = (await tx.objectStore('checkpoints').index('runId').getAll(cp.runId)).sort((a, b) => b.step - a.step);
      const run = await tx.objectStore('runs').get(cp.runId);
      if (run) await tx.objectStore('runs').put({ ...run, lastCheckpointStep: remaining[0]?.step ?? null });
    }
    await tx.done;
    return;
  }
  await db.delete(store, id);
}
