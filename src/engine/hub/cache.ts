// The cache contract the loader calls; the browser implements it (src/storage/model-cache.ts), tests with a Map.

/** Identifies one downloaded file. The etag is the server's (a sha-256 for LFS files on the Hub). */
export interface HubFileKey {
  repo: string;
  revision: string;
  file: string;
}

export interface CachedFile {
  bytes: Uint8Array;
  etag: string | null;
}

/** Implementations store only complete, verified files: `put` is called after the size (and hash, when known) checked out. */
export interface HubFileCache {
  get(key: HubFileKey): Promise<CachedFile | null>;
  put(key: HubFileKey, file: CachedFile): Promise<void>;
}

/** An in-memory cache (tests, and a session without persistent storage). */
export class MemoryHubFileCache implements HubFileCache {
  readonly entries = new Map<string, CachedFile>();
  static keyOf(key: HubFileKey): string {
    return `${key.repo}@${key.revision}/${key.file}`;
  }
  async get(key: HubFileKey): Promise<CachedFile | null> {
    return this.entries.get(MemoryHubFileCache.keyOf(key)) ?? null;
  }
  async put(key: HubFileKey, file: CachedFile): Promise<void> {
    this.entries.set(MemoryHubFileCache.keyOf(key), file);
  }
}
