// Schema steps that only create stores: v4 → v5 adds the erasures store (keyed by id, indexed by createdAt) and touches nothing else.
import { describe, expect, it } from 'vitest';
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { LATEST_VERSION, migrate } from './migrations';
import { DB_VERSION, type TuneLabDb } from './schema';

/** A versionchange that records the stores a step creates, and fails if the step aborts or reads a store. */
function storeCreatingUpgrade() {
    const created: { name: string; keyPath: unknown; indexes: string[] }[] = [];
    const db = {
      createObjectStore(name: string, options: { keyPath: unknown }) {
        const store = { name, keyPath: options.keyPath, indexes: [] as string[] };
        created.push(store);
        return { createIndex: (index: string) => store.indexes.push(index) };
      },
    } as unknown as IDBPDatabase<TuneLabDb>;
    const tx = { abort: () => { throw new Error('aborted'); }, objectStore: () => { throw new Error('the step read a store'); } } as unknown as IDBPTransaction<TuneLabDb, StoreNames<TuneLabDb>[], 'versionchange'>;
  return { created, db, tx };
}

describe('schema migrations', () => {
  it('the schema version is the number of steps', () => {
    expect(LATEST_VERSION).toBe(DB_VERSION);
  });

  it('v4 → v5 creates the erasures store with its createdAt index', async () => {
    const { created, db, tx } = storeCreatingUpgrade();
    await migrate(db, 4, 5, tx);
    expect(created).toEqual([{ name: 'erasures', keyPath: 'id', indexes: ['createdAt'] }]);
  });

  it('v5 → v6 creates the distillDrafts store with its createdAt index, and reads nothing', async () => {
    const { created, db, tx } = storeCreatingUpgrade();
    await migrate(db, 5, 6, tx);
    expect(created).toEqual([{ name: 'distillDrafts', keyPath: 'id', indexes: ['createdAt'] }]);
  });
});
