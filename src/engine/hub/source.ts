// Where checkpoint files come from: the Hub (through the cache and the downloader) or local files, behind one interface.
import { CheckpointLayoutError } from '../errors';
import type { HubFileCache } from './cache';
import { fetchWithHubToken } from './auth';
import { downloadFile, type DownloadProgress } from './download';
import { DEFAULT_HUB_ENDPOINT, hubFileUrl, validateRepoId } from './url';
import { LOCAL_REVISION } from './local-identity';

export interface CheckpointSource {
  /** For messages and lineage: "owner/name@revision" or "local files". */
  readonly label: string;
  readonly repo: string;
  readonly revision: string;
  /** Local files only: the name the user gave them (null: none), so the loader can name them from config or hash. */
  readonly local?: { givenName: string | null };
  /** The commit the revision resolved to, once a file was downloaded (Hub only). */
  commit(): string | null;
  /**
   * The bytes of `file`, or null when it does not exist. `validate` runs before the file is cached, so only
   * complete files that parse are ever stored.
   */
  read(file: string, validate?: (bytes: Uint8Array) => void): Promise<Uint8Array | null>;
}

export interface HubSourceOptions {
  repo: string;
  revision?: string;
  endpoint?: string;
  fetch?: typeof fetch;
  /** The user's Hugging Face token: sent only to huggingface.co (auth.ts), for gated and private repositories. */
  token?: string | null;
  cache?: HubFileCache | null;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  maxRetries?: number;
}

export class HubSource implements CheckpointSource {
  readonly repo: string;
  readonly revision: string;
  readonly label: string;
  private resolvedCommit: string | null = null;
  /** Files fetched from the network (not the cache) by this source, in order: tests assert cache hits with it. */
  readonly downloaded: string[] = [];

  constructor(private readonly options: HubSourceOptions) {
    this.repo = validateRepoId(options.repo);
    this.revision = options.revision?.trim() || 'main';
    this.label = `${this.repo}@${this.revision}`;
  }

  commit(): string | null {
    return this.resolvedCommit;
  }

  async read(file: string, validate?: (bytes: Uint8Array) => void): Promise<Uint8Array | null> {
    const key = { repo: this.repo, revision: this.revision, file };
    const cache = this.options.cache ?? null;
    const hit = cache ? await cache.get(key) : null;
    if (hit) {
      this.options.onProgress?.({ file, loaded: hit.bytes.length, total: hit.bytes.length, bytesPerSecond: 0, etaSeconds: 0, resumes: 0, fromCache: true });
      return hit.bytes;
    }
    const url = hubFileUrl(this.options.endpoint ?? DEFAULT_HUB_ENDPOINT, this.repo, this.revision, file);
    const result = await downloadFile(url, file, {
      fetch: fetchWithHubToken(this.options.fetch ?? globalThis.fetch.bind(globalThis), this.options.token),
      signal: this.options.signal,
      onProgress: this.options.onProgress,
      maxRetries: this.options.maxRetries,
    });
    if (!result) return null;
    this.downloaded.push(file);
    this.resolvedCommit ??= result.commit;
    validate?.(result.bytes);
    await cache?.put(key, { bytes: result.bytes, etag: result.etag });
    return result.bytes;
  }
}

/** Something with a name and bytes: a browser File, or a plain object in tests. */
export interface LocalFileLike {
  name: string;
  /** A folder pick's path of the file ("all-MiniLM-L6-v2/1_Pooling/config.json"), when the browser gives one. */
  webkitRelativePath?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * A local file's name for `read`: its base name, or "<module folder>/<base name>" inside a sentence-transformers
 * module folder ("1_Pooling/config.json", named by the file's path or webkitRelativePath), which would clash with config.json.
 */
function localFileKey(f: LocalFileLike): string {
  const parts = (f.webkitRelativePath || f.name).split(/[\\/]/);
  const base = parts[parts.length - 1];
  const folder = parts.length >= 2 ? parts[parts.length - 2] : '';
  return /^\d+_[A-Za-z]/.test(folder) ? `${folder}/${base}` : base;
}

/** Files picked or dropped by the user, matched by base name (a dropped folder's path is ignored, but for sentence-transformers module folders). */
export class LocalFilesSource implements CheckpointSource {
  readonly label: string;
  readonly repo: string;
  readonly revision = LOCAL_REVISION;
  readonly local: { givenName: string | null };
  private readonly byName = new Map<string, LocalFileLike>();

  /** `name`: what the user calls the model (a Hub repo id or folder); the loaded identity falls back to config.json or the weights' hash. */
  constructor(files: Iterable<LocalFileLike>, name?: string) {
    for (const f of files) {
      const base = localFileKey(f);
      if (this.byName.has(base)) throw new CheckpointLayoutError(`Two files are named ${base}.`, 'Pick the files of one model only (for a sentence-transformers model, pick its folder, so 1_Pooling/config.json keeps its folder).');
      this.byName.set(base, f);
    }
    const given = name?.trim() || null;
    this.local = { givenName: given };
    this.repo = given ?? 'local files';
    this.label = given ? `${given} (local files)` : 'local files';
  }

  commit(): string | null {
    return null;
  }

  async read(file: string, validate?: (bytes: Uint8Array) => void): Promise<Uint8Array | null> {
    const f = this.byName.get(file);
    if (!f) return null;
    const bytes = new Uint8Array(await f.arrayBuffer());
    validate?.(bytes);
    return bytes;
  }
}
