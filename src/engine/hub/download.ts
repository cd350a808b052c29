// Downloads one file over an injected fetch: progress (bytes, speed, ETA), AbortSignal cancel, resume by HTTP Range.
import { HubDownloadError, JobCancelledError } from '../errors';
import { sha256OfBytes } from './hash';

export interface DownloadProgress {
  file: string;
  loaded: number;
  /** null while the server has not said (no Content-Length). */
  total: number | null;
  bytesPerSecond: number;
  /** Seconds left at the current speed; null when the total or the speed is unknown. */
  etaSeconds: number | null;
  /** How many times the transfer continued from a byte offset after an interruption. */
  resumes: number;
  fromCache: boolean;
}

export interface DownloadOptions {
  fetch: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Interruptions survived before giving up (each one resumes with Range, or restarts if the server ignores it). */
  maxRetries?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
}

export interface DownloadResult {
  bytes: Uint8Array;
  /** Quotes and the weak prefix removed; X-Linked-Etag (the LFS sha-256 on the Hub) preferred. */
  etag: string | null;
  /** The commit the Hub resolved the revision to (X-Repo-Commit), when it says. */
  commit: string | null;
  resumes: number;
  /** Times the server ignored a Range request and the file started again from byte 0. */
  restarts: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function cleanEtag(value: string | null): string | null {
  if (!value) return null;
  return value.replace(/^W\//, '').replace(/^"|"$/g, '') || null;
}

/** "bytes 100-999/1000" → { start: 100, total: 1000 }. */
function parseContentRange(value: string | null): { start: number; total: number | null } | null {
  const m = value ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value.trim()) : null;
  if (!m) return null;
  return { start: Number(m[1]), total: m[3] === '*' ? null : Number(m[3]) };
}

function throwIfAborted(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted) throw new JobCancelledError(`Download of ${file} was cancelled.`, 'Start the load again; finished files are kept in the cache.');
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function statusError(status: number, url: string, file: string): HubDownloadError {
  if (status === 401 || status === 403) {
    return new HubDownloadError(
      `The server refused ${file} (HTTP ${status}): the repository is gated or private.`,
      'Add your Hugging Face token (read access) under "Hugging Face token" above, and accept the model\'s terms on its huggingface.co page (or ask for access), then load again; or download the files and open them as local files.',
    );
  }
  return new HubDownloadError(`Downloading ${file} failed with HTTP ${status} (${url}).`, 'Check the repository id, the revision and your connection, then try again.');
}

/**
 * Fetches `url`; returns null when the server answers 404 (an optional file that is absent).
 * An interrupted body continues with `Range: bytes=N-` (guarded by If-Range on the etag); a server that answers
 * 200 instead of 206 makes it start again. The size is checked against Content-Length, and the sha-256 against
 * the etag when the etag is one (LFS files on the Hub).
 */
export async function downloadFile(url: string, file: string, options: DownloadOptions): Promise<DownloadResult | null> {
  const now = options.now ?? (() => Date.now());
  const maxRetries = options.maxRetries ?? 5;
  const started = now();
  let chunks: Uint8Array[] = [];
  let loaded = 0;
  let receivedThisSession = 0;
  let total: number | null = null;
  let etag: string | null = null;
  let commit: string | null = null;
  let resumes = 0;
  let restarts = 0;
  let failures = 0;
  const report = () => {
    if (!options.onProgress) return;
    const seconds = Math.max((now() - started) / 1000, 1e-3);
    const bytesPerSecond = receivedThisSession / seconds;
    const etaSeconds = total != null && bytesPerSecond > 0 ? Math.max(total - loaded, 0) / bytesPerSecond : null;
    options.onProgress({ file, loaded, total, bytesPerSecond, etaSeconds, resumes, fromCache: false });
  };

  for (;;) {
    throwIfAborted(options.signal, file);
    const headers: Record<string, string> = {};
    if (loaded > 0) {
      headers.Range = `bytes=${loaded}-`;
      if (etag) headers['If-Range'] = `"${etag}"`;
    }
    let response: Response;
    try {
      // no-store: TuneLab keeps its own verified cache, and the browser's HTTP cache would turn our Range request
      // into its own partial-entry revalidation (seen in Chromium as `bytes=N-N`).
      response = await options.fetch(url, { signal: options.signal, headers, cache: 'no-store' });
    } catch (e) {
      throwIfAborted(options.signal, file);
      if (++failures > maxRetries) throw new HubDownloadError(`Could not reach the server for ${file}: ${(e as Error).message}.`, 'Check your connection (and the endpoint, if you changed it), then try again.');
      continue;
    }
    if (response.status === 404 && loaded === 0) return null;
    if (!response.ok) throw statusError(response.status, url, file);
    if (loaded > 0) {
      const range = response.status === 206 ? parseContentRange(response.headers.get('content-range')) : null;
      if (!range || range.start !== loaded) {
        // The server ignored or could not honour the range: start over from byte 0 with this response.
        chunks = [];
        loaded = 0;
        restarts++;
      } else {
        resumes++;
      }
    }
    const range = parseContentRange(response.headers.get('content-range'));
    const length = response.headers.get('content-length');
    if (range?.total != null) total = range.total;
    else if (length != null && loaded === 0) total = Number(length);
    etag = cleanEtag(response.headers.get('x-linked-etag')) ?? cleanEtag(response.headers.get('etag')) ?? etag;
    commit = response.headers.get('x-repo-commit') ?? commit;
    if (!response.body) throw new HubDownloadError(`The server sent no body for ${file}.`, 'Try again.');
    const reader = response.body.getReader();
    let interrupted = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        throwIfAborted(options.signal, file);
        if (done) break;
        chunks.push(value);
        loaded += value.length;
        receivedThisSession += value.length;
        if (total != null && loaded > total) throw new HubDownloadError(`${file} is larger than the ${total} bytes the server announced.`, 'Try again; if it persists, the server is misbehaving.');
        report();
      }
    } catch (e) {
      if (e instanceof HubDownloadError || e instanceof JobCancelledError) {
        void reader.cancel().catch(() => undefined);
        throw e;
      }
      throwIfAborted(options.signal, file);
      interrupted = true;
    }
    if (!interrupted && (total == null || loaded === total)) break;
    if (++failures > maxRetries) {
      throw new HubDownloadError(`The download of ${file} broke off ${failures} times (at ${loaded} of ${total ?? '?'} bytes).`, 'Check your connection and load again; finished files are kept.');
    }
  }
  const bytes = concat(chunks, loaded);
  if (etag && SHA256_HEX.test(etag)) {
    const digest = await sha256OfBytes(bytes);
    if (digest !== etag) throw new HubDownloadError(`${file} does not match its sha-256 (${etag.slice(0, 12)}…, got ${digest.slice(0, 12)}…).`, 'The download was corrupted; load it again.');
  }
  report();
  return { bytes, etag, commit, resumes, restarts };
}
