// Schema migrations: each step takes the database from version n-1 to n inside the upgrade transaction.
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { TuneLabDb } from './schema';
import { recordToRow, summariseRowsNow } from './dataset-rows';
import { chunkRows } from './dataset-chunks';
import { rowChars } from './dataset-summary';
import type { DatasetChunk, DatasetRecord, DatasetRow } from '../contract';

type UpgradeTx = IDBPTransaction<TuneLabDb, StoreNames<TuneLabDb>[], 'versionchange'>;
/** A step may await IDB requests of `tx` only (any other await lets the upgrade transaction commit early). */
type Step = (db: IDBPDatabase<TuneLabDb>, tx: UpgradeTx) => void | Promise<void>;

/** A v1 dataset row: the first (v1) parser's flat shape (messages were already rendered into prompt/completion). */
interface RowV1 {
  id: string;
  prompt: string;
  completion: string;
  cohort?: string;
  tags?: string[];
}

/** v1 rows → v2 rows: data-layer record kind, line, record id and seeded split; stats and sha-256 recomputed. */
async function datasetsToV2(tx: UpgradeTx): Promise<void> {
  let cursor = await tx.objectStore('datasets').openCursor();
  while (cursor) {
    const old = cursor.value as unknown as { rows: RowV1[]; splitSeed: number; stats: { badLines: number } };
    const rows: DatasetRow[] = old.rows.map((row, i) => {
      const line = Number(/^[A-Z](\d+)$/.exec(row.id)?.[1] ?? i + 1);
      const meta = { line, ...(row.cohort !== undefined && { cohort: row.cohort }), ...(row.tags !== undefined && { tags: row.tags }) };
      return recordToRow(
        row.prompt === '' ? { kind: 'text', ...meta, text: row.completion } : { kind: 'prompt-completion', ...meta, prompt: row.prompt, completion: row.completion },
        old.splitSeed,
      );
    });
    // A v2 record (rows inside); the v3 step moves them out. The cast only follows the store's type to v3.
    await cursor.update({ ...cursor.value, rows, ...summariseRowsNow(rows, old.stats.badLines) } as unknown as DatasetRecord);
    cursor = await cursor.continue();
  }
}

/** A v2 dataset record: every row inside it. */
export type DatasetRecordV2 = Omit<DatasetRecord, 'chunkRows' | 'rowBytes' | 'chars'> & { rows: DatasetRow[] };

/** A v2 dataset as v3 stores it: the record without rows (with chunk sizes and chars) and its row chunks. */
export function datasetV2ToV3(old: DatasetRecordV2): { record: DatasetRecord; chunks: DatasetChunk[] } {
  const { rows, ...meta } = old;
  const chunks = chunkRows(rows).map((chunk, index): DatasetChunk => ({ datasetId: old.id, index, rows: chunk.rows, bytes: chunk.bytes }));
  const record: DatasetRecord = {
    ...meta,
    chunkRows: chunks.map((chunk) => chunk.rows.length),
    rowBytes: chunks.reduce((sum, chunk) => sum + chunk.bytes, 0),
    chars: rowChars(rows),
  };
  return { record, chunks };
}

/** v2 datasets (one record with every row) → v3: the rows move into the new datasetChunks store. */
async function datasetsToV3(db: IDBPDatabase<TuneLabDb>, tx: UpgradeTx): Promise<void> {
  db.createObjectStore('datasetChunks', { keyPath: ['datasetId', 'index'] });
  const chunkStore = tx.objectStore('datasetChunks');
  let cursor = await tx.objectStore('datasets').openCursor();
  while (cursor) {
    const { record, chunks } = datasetV2ToV3(cursor.value as unknown as DatasetRecordV2);
    await Promise.all(chunks.map((chunk) => chunkStore.put(chunk)));
    await cursor.update(record);
    cursor = await cursor.continue();
  }
}

/** steps[n - 1] upgrades from version n - 1 to n. Never edit a shipped step; append a new one. */
const steps: Step[] = [
  // v1: the first schema.
  (db) => {
    db.createObjectStore('datasets', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
    const runs = db.createObjectStore('runs', { keyPath: 'id' });
    runs.createIndex('createdAt', 'createdAt');
    runs.createIndex('datasetId', 'datasetId');
    db.createObjectStore('checkpoints', { keyPath: 'id' }).createIndex('runId', 'runId');
    db.createObjectStore('adapters', { keyPath: 'id' }).createIndex('runId', 'runId');
    db.createObjectStore('models', { keyPath: 'id' }).createIndex('modelId', 'modelId');
  },
  // v2: dataset rows carry the data layer's record (kind, line, messages with weights), id and split; stats redone.
  (_db, tx) => datasetsToV2(tx),
  // v3: dataset rows leave the dataset record for the datasetChunks store (chunks of ≤ 2,000 rows / ~2 MB).
  (db, tx) => datasetsToV3(db, tx),
  // v4: regression suites (what a fine-tune must keep), a store of their own.
  (db) => {
    db.createObjectStore('regressionSuites', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
  },
  // v5: erasures (Forget): the journal of an erasure in progress, which a reload resumes, then its report.
  (db) => {
    db.createObjectStore('erasures', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
  },
  // v6: distillation drafts: a cancelled or failed generation's rows, kept across reloads until saved or deleted.
  (db) => {
    db.createObjectStore('distillDrafts', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
  },
];

export const LATEST_VERSION = steps.length;

/** Runs every step between the stored version and the new one, in order; a failing step aborts the upgrade. */
export async function migrate(db: IDBPDatabase<TuneLabDb>, oldVersion: number, newVersion: number, tx: UpgradeTx): Promise<void> {
  try {
    for (let version = oldVersion + 1; version <= newVersion; version++) {
      const step = steps[version - 1];
      if (!step) throw new Error(`No migration to schema version ${version}`);
      await step(db, tx);
    }
  } catch (error) {
    tx.abort();
    throw error;
  }
}
