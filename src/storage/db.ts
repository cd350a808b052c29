// Opens the TuneLab database (UI thread or worker), runs migrations, asks once for persistent storage, and steps aside
// (closing its connection, saying why) when another tab opens a newer schema.
import { openDB, type IDBPDatabase } from 'idb';
import { DatabaseClosedError } from '../engine/errors';
import { DB_NAME, type TuneLabDb } from './schema';
import { LATEST_VERSION, migrate } from './migrations';

let opening: Promise<IDBPDatabase<TuneLabDb>> | null = null;
/** Set once this context has given its connection up for a newer version: it must not reopen with its older schema. */
let closedBecause: DatabaseClosedError | null = null;
const closedListeners = new Set<(reason: string) => void>();

export function openTuneLabDb(): Promise<IDBPDatabase<TuneLabDb>> {
  if (closedBecause) return Promise.reject(closedBecause);
  opening ??= openDB<TuneLabDb>(DB_NAME, LATEST_VERSION, {
    upgrade(db, oldVersion, newVersion, tx) {
      // Awaits only IDB requests of tx; a failure aborts the upgrade, so openDB rejects with it.
      void migrate(db, oldVersion, newVersion ?? LATEST_VERSION, tx).catch((error: unknown) => console.error('TuneLab schema upgrade failed:', error));
    },
    blocking(_currentVersion, blockedVersion) {
      // Another tab opens a newer schema (versionchange): let it upgrade; this tab's code cannot read the new schema.
      closeForNewerVersion(blockedVersion);
    },
    terminated() {
      // The browser closed the connection (storage cleared, disk error): the next use opens a fresh one.
      opening = null;
    },
  });
  return opening;
}

function closeForNewerVersion(newVersion: number | null): void {
  const db = opening;
  opening = null;
  void db?.then((d) => d.close());
  closedBecause =
    newVersion === null
      ? new DatabaseClosedError('Another tab is deleting TuneLab’s database, so this tab closed its connection to it and cannot save or load anything.', 'Reload this tab to start with an empty database.')
      : new DatabaseClosedError(
          `A newer version of TuneLab (database schema ${newVersion}) was opened in another tab, so this tab closed its connection to the database and cannot save or load anything.`,
          'Reload this tab to use the newer version; Resume continues a run from its last checkpoint.',
        );
  for (const listener of closedListeners) listener(`${closedBecause.message} ${closedBecause.hint}`);
}

/** Calls back (with the reason, in words) when this context closes its database for a newer tab; returns the unsubscribe. */
export function onDatabaseClosed(listener: (reason: string) => void): () => void {
  closedListeners.add(listener);
  if (closedBecause) listener(`${closedBecause.message} ${closedBecause.hint}`);
  return () => closedListeners.delete(listener);
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
