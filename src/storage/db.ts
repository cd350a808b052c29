// Opens the TuneLab database (UI thread or worker), runs migrations, and asks once for persistent storage.
import { openDB, type IDBPDatabase } from 'idb';
import { DB_NAME, type TuneLabDb } from './schema';
import { LATEST_VERSION, migrate } from './migrations';

let opening: Promise<IDBPDatabase<TuneLabDb>> | null = null;

export function openTuneLabDb(): Promise<IDBPDatabase<TuneLabDb>> {
  opening ??= openDB<TuneLabDb>(DB_NAME, LATEST_VERSION, {
    upgrade(db, oldVersion, newVersion, tx) {
      // Awaits only IDB requests of tx; a failure aborts the upgrade, so openDB rejects with it.
      void migrate(db, oldVersion, newVersion ?? LATEST_VERSION, tx).catch((error: unknown) => console.error('TuneLab schema upgrade failed:', error));
    },
    blocking() {
      // Another tab wants a newer schema: let it, this tab reopens on next use.
      void opening?.then((db) => db.close());
      opening = null;
    },
  });
  return opening;
}

/** Asks the browser not to evict our data under storage pressure; resolves whether it agreed. */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = (globalThis.navigator as Navigator | undefined)?.storage;
  if (!storage?.persist) return false;
  if (await storage.persisted()) return true;
  return storage.persist();
}

/** Origin-wide usage and quota as the browser reports them. */
export async function storageEstimate(): Promise<{ usage: number; quota: number }> {
  const estimate = await globalThis.navigator?.storage?.estimate?.();
  return { usage: estimate?.usage ?? 0, quota: estimate?.quota ?? 0 };
}
