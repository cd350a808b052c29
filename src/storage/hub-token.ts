// The user's Hugging Face token, kept only in this browser: its own small IndexedDB database, which the workers that fetch from the Hub read.
import { openDB, type IDBPDatabase } from 'idb';

/**
 * Apart from TuneLab's main database on purpose: nothing that lists, exports or backs up runs, datasets or models
 * reads this one, so the token cannot travel in an export. IndexedDB rather than localStorage because the Hub
 * downloads run in workers, which can read IndexedDB but not localStorage: the token then never travels in a job's
 * input, which run records and logs keep.
 */
const DB_NAME = 'tunelab-hub-token';
const STORE = 'token';
const KEY = 'huggingface';

let opening: Promise<IDBPDatabase> | null = null;

function open(): Promise<IDBPDatabase> | null {
  if (typeof indexedDB === 'undefined') return null;
  opening ??= openDB(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore(STORE);
    },
    terminated() {
      opening = null;
    },
  });
  return opening;
}

/** The saved token, or null (none saved, or no IndexedDB here). */
export async function readHubToken(): Promise<string | null> {
  const db = await open();
  if (!db) return null;
  const value: unknown = await db.get(STORE, KEY);
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** What a token may look like: one word of printable characters (Hub tokens read "hf_…"). */
export function hubTokenProblem(token: string): string | null {
  if (token.length === 0) return 'Paste a token first.';
  if (!/^[\x21-\x7e]+$/.test(token)) return 'A Hugging Face token is one word without spaces (it starts with hf_).';
  if (token.length > 512) return 'That is longer than any Hugging Face token.';
  return null;
}

export async function saveHubToken(token: string): Promise<void> {
  const db = await open();
  if (!db) throw new Error('This browser has no IndexedDB, so the token cannot be kept.');
  await db.put(STORE, token, KEY);
}

export async function clearHubToken(): Promise<void> {
  const db = await open();
  await db?.delete(STORE, KEY);
}
