// The erasure journal: an "erasure in progress" record written before anything is deleted; each artifact is then deleted
// in one transaction that also marks it done in the journal, so a crash, a reload or a quota error mid-way resumes where it
// stopped. The final scan runs while the journal still holds the strings; the write that records it drops them.
import { ErasureError, RunLockedError, TuneLabError } from '../engine/errors';
import { datasetChunkRange } from './datasets';
import { openTuneLabDb } from './db';
import { guardQuota } from './quota';
import { deleteHubSplitFiles, hubSplitOfId } from './hub-dataset-cache';
import { browserModelCache } from './model-cache';
import { heldRunIds } from './run-lock';
import { scanTuneLabStorage, type ScanExclusion } from './storage-scan';
import type { ErasureRecord, ErasureTarget, StorageScanResult } from '../contract';

/** What driving an erasure needs of storage: the IndexedDB implementation below, or a fake in tests. */
export interface ErasureStore {
  get(id: string): Promise<ErasureRecord | undefined>;
  /** Deletes the target and marks it done in the journal, atomically. */
  deleteTarget(journalId: string, target: ErasureTarget): Promise<void>;
  put(record: ErasureRecord): Promise<void>;
}

export type ErasureScan = (strings: readonly string[], exclusions: ScanExclusion[]) => Promise<StorageScanResult>;

/** The journal's own list of strings is left out of the scan: it is what the scan reads from, and it goes in the final write. */
export function journalExclusion(id: string): ScanExclusion {
  return { store: 'erasures', key: id, field: 'forgotten', why: 'this erasure’s own list of the strings scanned for, removed by the write that records the scan' };
}

/**
 * Carries an erasure from wherever its journal says to the end: deletes each target not yet done, scans, and writes the
 * report without the strings. Idempotent: a second call (a resume) skips what is done. A failure becomes ErasureError
 * (the journal stays, with the reason) so the user can resume it.
 */
export async function driveErasure(id: string, store: ErasureStore, scan: ErasureScan, onStep?: (record: ErasureRecord) => void): Promise<ErasureRecord> {
  let record = await store.get(id);
  if (!record) throw new ErasureError('This erasure’s journal was not found.', 'Start the forget request again on the Data page.');
  if (record.state === 'done') return record;
  const done = () => record!.targets.filter((t) => t.done).length;
  try {
    for (const target of record.targets) {
      if (target.done) continue;
      await store.deleteTarget(id, target);
      record = (await store.get(id))!;
      onStep?.(record);
    }
    if (record.state === 'deleting') {
      record = { ...record, state: 'scanning' };
      delete record.error;
      await store.put(record);
      onStep?.(record);
    }
    const result = await scan(record.forgotten ?? [], [journalExclusion(id)]);
    const finished: ErasureRecord = { ...record, state: 'done', report: { ...record.report, scan: result, finishedAt: Date.now(), deleted: record.targets } };
    delete finished.forgotten;
    delete finished.error;
    await store.put(finished);
    onStep?.(finished);
    return finished;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint = error instanceof TuneLabError && error.hint ? ` ${error.hint}` : '';
    const stopped = new ErasureError(
      `The erasure stopped after deleting ${done()} of ${record.targets.length} artifacts: ${reason}${hint}`,
      'Nothing is half-deleted: each artifact went in one transaction. Its journal is kept, and it resumes when you press Resume erasure or reload TuneLab.',
    );
    try {
      const latest = (await store.get(id)) ?? record;
      await store.put({ ...latest, error: stopped.message });
    } catch {
      // The journal itself could not be written (e.g. no quota left): it still holds the last committed state.
    }
    throw stopped;
  }
}

/** IndexedDB: each deletion and its journal mark share one readwrite transaction. */
export const idbErasureStore: ErasureStore = {
  async get(id) {
    return (await openTuneLabDb()).get('erasures', id);
  },
  async deleteTarget(journalId, target) {
    if (target.kind === 'run' && (await heldRunIds()).has(target.id)) {
      throw new RunLockedError(`“${target.name}” is training (in this tab or another), so it cannot be deleted now.`, 'Stop it on the Train page first.');
    }
    const db = await openTuneLabDb();
    await guardQuota('the erasure journal', async () => {
      if (target.kind === 'hub-cache') {
        // Cache Storage has no transaction with IndexedDB: delete first, then mark; a resume deletes again (a no-op).
        const split = hubSplitOfId(target.id);
        const cache = browserModelCache();
        if (split && cache) await deleteHubSplitFiles(cache, split);
        const tx = db.transaction('erasures', 'readwrite');
        await markDone(tx.objectStore('erasures'), journalId, target);
        await tx.done;
      } else if (target.kind === 'distill-draft') {
        const tx = db.transaction(['erasures', 'distillDrafts'], 'readwrite');
        await tx.objectStore('distillDrafts').delete(target.id);
        await markDone(tx.objectStore('erasures'), journalId, target);
        await tx.done;
      } else if (target.kind === 'dataset') {
        const tx = db.transaction(['erasures', 'datasets', 'datasetChunks'], 'readwrite');
        await tx.objectStore('datasetChunks').delete(datasetChunkRange(target.id));
        await tx.objectStore('datasets').delete(target.id);
        await markDone(tx.objectStore('erasures'), journalId, target);
        await tx.done;
      } else {
        const tx = db.transaction(['erasures', 'runs', 'checkpoints', 'adapters'], 'readwrite');
        for (const name of ['checkpoints', 'adapters'] as const) {
          for (const key of await tx.objectStore(name).index('runId').getAllKeys(target.id)) await tx.objectStore(name).delete(key);
        }
        await tx.objectStore('runs').delete(target.id);
        await markDone(tx.objectStore('erasures'), journalId, target);
        await tx.done;
      }
    });
  },
  async put(record) {
    const db = await openTuneLabDb();
    await guardQuota('the erasure journal', async () => {
      const tx = db.transaction('erasures', 'readwrite');
      await Promise.all([tx.store.put(record), tx.done]);
    });
  },
};

async function markDone(store: { get(k: string): Promise<ErasureRecord | undefined>; put(v: ErasureRecord): Promise<unknown> }, journalId: string, target: ErasureTarget): Promise<void> {
  const journal = await store.get(journalId);
  if (!journal) throw new ErasureError('The erasure journal disappeared while deleting.', 'Reload TuneLab and start the forget request again.');
  await store.put({ ...journal, targets: journal.targets.map((t) => (t.kind === target.kind && t.id === target.id ? { ...t, done: true } : t)) });
}

/** Writes the journal of a new erasure: from here on it resumes until it is done. */
export async function beginErasure(record: ErasureRecord): Promise<void> {
  await idbErasureStore.put(record);
}

export function runErasure(id: string, onStep?: (record: ErasureRecord) => void): Promise<ErasureRecord> {
  return driveErasure(id, idbErasureStore, scanTuneLabStorage, onStep);
}

/** Erasures whose journal is not done (a reload or crash interrupted them), oldest first. */
export async function unfinishedErasures(): Promise<ErasureRecord[]> {
  return (await (await openTuneLabDb()).getAllFromIndex('erasures', 'createdAt')).filter((e) => e.state !== 'done');
}

/** Every erasure (reports and journals), newest first. */
export async function listErasures(): Promise<ErasureRecord[]> {
  return (await (await openTuneLabDb()).getAllFromIndex('erasures', 'createdAt')).reverse();
}
