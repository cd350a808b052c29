// A scan of everything TuneLab keeps (every IndexedDB store of its database, every Cache Storage cache) for given strings:
// text values, byte buffers (read as UTF-8) and cached response bodies; float arrays (weights) are numbers and are counted apart.
import { DB_NAME } from './schema';
import { openTuneLabDb } from './db';
import type { StorageScanHit, StorageScanResult } from '../contract';

export interface ScanCounters {
  values: number;
  bytes: number;
  floatArrays: number;
}

/** One hit inside a value: where, and which needle. */
export interface ValueHit {
  path: string;
  string: number;
}

const FLOAT_ARRAYS = [Float32Array, Float64Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, BigInt64Array, BigUint64Array] as const;

/** Needles found in `text` (each index once). */
export function needlesIn(text: string, needles: readonly string[]): number[] {
  const out: number[] = [];
  needles.forEach((needle, i) => {
    if (needle.length > 0 && text.includes(needle)) out.push(i);
  });
  return out;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Walks a stored value (objects, arrays, Maps, Sets, strings, byte buffers) and calls `hit` for each needle found, with
 * the path to it. Keys of objects and maps are searched too. Byte buffers are decoded as UTF-8; typed arrays of numbers
 * (weights, moments) are counted in `counters.floatArrays`, not decoded: they hold no text.
 */
export function scanValue(value: unknown, needles: readonly string[], hit: (h: ValueHit) => void, counters: ScanCounters, path = ''): void {
  const text = (s: string, at: string) => {
    counters.values++;
    counters.bytes += s.length;
    for (const i of needlesIn(s, needles)) hit({ path: at, string: i });
  };
  if (typeof value === 'string') return text(value, path);
  if (value === null || typeof value !== 'object') return;
  if (value instanceof ArrayBuffer || value instanceof Uint8Array || value instanceof Uint8ClampedArray || value instanceof DataView) {
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return text(decoder.decode(bytes), path);
  }
  if (FLOAT_ARRAYS.some((T) => value instanceof T)) {
    counters.floatArrays++;
    return;
  }
  if (value instanceof Blob) return; // not stored by TuneLab; a Blob cannot be read synchronously
  const join = (key: string) => (path ? `${path}.${key}` : key);
  if (Array.isArray(value)) {
    value.forEach((item, i) => scanValue(item, needles, hit, counters, `${path}[${i}]`));
    return;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) {
      const key = String(k);
      text(key, join(`(key ${key.slice(0, 40)})`));
      scanValue(v, needles, hit, counters, join(key));
    }
    return;
  }
  if (value instanceof Set) {
    let i = 0;
    for (const v of value) scanValue(v, needles, hit, counters, `${path}{${i++}}`);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    text(key, join(`(key ${key.slice(0, 40)})`));
    scanValue(v, needles, hit, counters, join(key));
  }
}

/** A record to leave out of the scan: one field of one key of one store (the erasure's own list of the strings). */
export interface ScanExclusion {
  store: string;
  key: string;
  field: string;
  why: string;
}

/** Searches a response body as UTF-8 in pieces, carrying the last (longest needle − 1) characters across pieces. */
async function scanBody(body: ReadableStream<Uint8Array>, needles: readonly string[], counters: ScanCounters): Promise<Set<number>> {
  const found = new Set<number>();
  const keep = Math.max(0, ...needles.map((n) => n.length)) - 1;
  const stream = new TextDecoder('utf-8', { fatal: false });
  const reader = body.getReader();
  let tail = '';
  for (;;) {
    const { done, value } = await reader.read();
    const piece = tail + (done ? stream.decode() : stream.decode(value, { stream: true }));
    counters.bytes += value?.byteLength ?? 0;
    for (const i of needlesIn(piece, needles)) found.add(i);
    if (done) break;
    tail = keep > 0 ? piece.slice(-keep) : '';
  }
  counters.values++;
  return found;
}

/** Scans TuneLab's IndexedDB (every store, every record, cursor by cursor) and every Cache Storage cache of the origin. */
export async function scanTuneLabStorage(needles: readonly string[], exclusions: readonly ScanExclusion[] = []): Promise<StorageScanResult> {
  const started = performance.now();
  const counters: ScanCounters = { values: 0, bytes: 0, floatArrays: 0 };
  const hits: StorageScanHit[] = [];
  const stores: StorageScanResult['stores'] = [];
  const db = await openTuneLabDb();
  for (const name of [...db.objectStoreNames].sort()) {
    let items = 0;
    // One read transaction per store, walked with a cursor: a record at a time, never the whole store in memory.
    let cursor = await db.transaction(name).store.openCursor();
    while (cursor) {
      items++;
      const key = JSON.stringify(cursor.key);
      const excluded = exclusions.filter((e) => e.store === name && e.key === String(cursor!.key));
      let value = cursor.value as unknown;
      if (excluded.length && value && typeof value === 'object') {
        value = { ...value };
        for (const e of excluded) delete (value as Record<string, unknown>)[e.field];
      }
      scanValue(cursor.key, needles, (h) => hits.push({ where: 'IndexedDB', store: name, key, path: `(key)${h.path}`, string: h.string }), counters);
      scanValue(value, needles, (h) => hits.push({ where: 'IndexedDB', store: name, key, path: h.path, string: h.string }), counters);
      cursor = await cursor.continue();
    }
    stores.push({ name, items });
  }
  const caches: StorageScanResult['caches'] = [];
  const storage = typeof globalThis.caches === 'undefined' ? null : globalThis.caches;
  if (storage) {
    for (const name of await storage.keys()) {
      const cache = await storage.open(name);
      const requests = await cache.keys();
      for (const request of requests) {
        for (const i of needlesIn(request.url, needles)) hits.push({ where: 'Cache Storage', store: name, key: request.url, path: '(url)', string: i });
        const response = await cache.match(request);
        if (!response?.body) continue;
        for (const i of await scanBody(response.body, needles, counters)) hits.push({ where: 'Cache Storage', store: name, key: request.url, path: '(body)', string: i });
      }
      caches.push({ name, entries: requests.length });
    }
  }
  return {
    strings: needles.length,
    stores,
    caches,
    valuesScanned: counters.values,
    bytesScanned: counters.bytes,
    floatArraysSkipped: counters.floatArrays,
    excluded: [`IndexedDB database “${DB_NAME}”: ${exclusions.map((e) => `${e.store}/${e.key} field “${e.field}” (${e.why})`).join('; ') || 'nothing'}`],
    hits,
    ms: performance.now() - started,
  };
}
