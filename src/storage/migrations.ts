// Schema migrations: each step takes the database from version n-1 to n inside the upgrade transaction.
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { TuneLabDb } from './schema';
import { recordToRow, summariseRowsNow } from './dataset-rows';
import type { DatasetRow } from './types';

type UpgradeTx = IDBPTransaction<TuneLabDb, StoreNames<TuneLabDb>[], 'versionchange'>;
/** A step may await IDB requests of `tx` only (any other await lets the upgrade transaction commit early). */
type Step = (db: IDBPDatabase<TuneLabDb>, tx: UpgradeTx) => void | Promise<void>;

/** A v1 dataset row: the interim parser's flat shape (messages were already rendered into prompt/completion). */
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
    await cursor.update({ ...cursor.value, rows, ...summariseRowsNow(rows, old.stats.badLines) });
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
