// Browser cache of downloaded model files (Cache Storage), keyed by repo, revision and file, with the etag kept.
import type { CachedFile, HubFileCache, HubFileKey } from '../engine/hub/cache';
import { StorageQuotaError } from '../engine/errors';

export const MODEL_CACHE_NAME = 'tunelab-models-v1';
/** A fake origin for cache keys: entries are never fetched from it, only matched. */
const KEY_ORIGIN = 'https://model-cache.tunelab.invalid';

export interface CachedModelFile {
  file: string;
  bytes: number;
  etag: string | null;
  storedAt: string;
}

export interface CachedModel {
  repo: string;
  revision: string;
  files: CachedModelFile[];
  bytes: number;
}

function keyUrl(key: HubFileKey): string {
  const enc = (s: string) => encodeURIComponent(s);
  return `${KEY_ORIGIN}/${enc(key.repo)}/${enc(key.revision)}/${key.file.split('/').map(enc).join('/')}`;
}

function parseKeyUrl(url: string): HubFileKey | null {
  if (!url.startsWith(`${KEY_ORIGIN}/`)) return null;
  const [repo, revision, ...file] = url.slice(KEY_ORIGIN.length + 1).split('/').map(decodeURIComponent);
  return repo && revision && file.length ? { repo, revision, file: file.join('/') } : null;
}

/**
 * HubFileCache over Cache Storage. `cache.put` stores an entry only once its whole body is written, so a tab
 * closed mid-write leaves no partial file; entries whose stored size disagrees with their header are dropped on read.
 */
export class BrowserModelCache implements HubFileCache {
  constructor(private readonly storage: CacheStorage = caches) {}

  private open(): Promise<Cache> {
    return this.storage.open(MODEL_CACHE_NAME);
  }

  async get(key: HubFileKey): Promise<CachedFile | null> {
    const cache = await this.open();
    const response = await cache.match(keyUrl(key));
    if (!response) return null;
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length !== Number(response.headers.get('x-tunelab-size'))) {
      await cache.delete(keyUrl(key));
      return null;
    }
    return { bytes, etag: response.headers.get('x-tunelab-etag') || null };
  }

  async put(key: HubFileKey, file: CachedFile): Promise<void> {
    const cache = await this.open();
    const headers = { 'content-type': 'application/octet-stream', 'x-tunelab-size': String(file.bytes.length), 'x-tunelab-etag': file.etag ?? '', 'x-tunelab-stored-at': new Date().toISOString() };
    try {
      await cache.put(keyUrl(key), new Response(file.bytes as Uint8Array<ArrayBuffer>, { headers }));
    } catch (e) {
      if ((e as Error).name === 'QuotaExceededError') {
        throw new StorageQuotaError(`The browser refused to cache ${key.file} (${file.bytes.length} bytes): storage is full.`, 'Delete cached models or runs on the Storage page; the model still loads, but will download again next time.');
      }
      throw e;
    }
  }

  /** Every cached model with its files and total size, largest first. */
  async list(): Promise<CachedModel[]> {
    const cache = await this.open();
    const models = new Map<string, CachedModel>();
    for (const request of await cache.keys()) {
      const key = parseKeyUrl(request.url);
      if (!key) continue;
      const response = await cache.match(request);
      const bytes = Number(response?.headers.get('x-tunelab-size') ?? 0);
      const id = `${key.repo}@${key.revision}`;
      const model = models.get(id) ?? { repo: key.repo, revision: key.revision, files: [], bytes: 0 };
      model.files.push({ file: key.file, bytes, etag: response?.headers.get('x-tunelab-etag') || null, storedAt: response?.headers.get('x-tunelab-stored-at') ?? '' });
      model.bytes += bytes;
      models.set(id, model);
    }
    return [...models.values()].sort((a, b) => b.bytes - a.bytes);
  }

  /** Deletes the files of repo@revision whose name starts with `prefix`; returns how many were removed. */
  async deleteFiles(repo: string, revision: string, prefix: string): Promise<number> {
    const cache = await this.open();
    let removed = 0;
    for (const request of await cache.keys()) {
      const key = parseKeyUrl(request.url);
      if (key && key.repo === repo && key.revision === revision && key.file.startsWith(prefix) && (await cache.delete(request))) removed++;
    }
    return removed;
  }

  /** Deletes every file of repo@revision; returns how many were removed. */
  async delete(repo: string, revision: string): Promise<number> {
    const cache = await this.open();
    let removed = 0;
    for (const request of await cache.keys()) {
      const key = parseKeyUrl(request.url);
      if (key && key.repo === repo && key.revision === revision && (await cache.delete(request))) removed++;
    }
    return removed;
  }
}

/** Null where Cache Storage is missing (insecure context, some private modes): loading still works, uncached. */
export function browserModelCache(): BrowserModelCache | null {
  return typeof caches === 'undefined' ? null : new BrowserModelCache();
}
