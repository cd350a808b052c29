// Schema migrations: each step takes the database from version n-1 to n inside the upgrade transaction.
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { TuneLabDb } from './schema';

type UpgradeTx = IDBPTransaction<TuneLabDb, StoreNames<TuneLabDb>[], 'versionchange'>;
type Step = (db: IDBPDatabase<TuneLabDb>, tx: UpgradeTx) => void;

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
];

export const LATEST_VERSION = steps.length;

/** Runs every step between the stored version and the new one, in order. */
export function migrate(db: IDBPDatabase<TuneLabDb>, oldVersion: number, newVersion: number, tx: UpgradeTx): void {
  for (let version = oldVersion + 1; version <= newVersion; version++) {
    const step = steps[version - 1];
    if (!step) throw new Error(`No migration to schema version ${version}`);
    step(db, tx);
  }
}
