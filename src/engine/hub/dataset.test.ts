// Hub dataset listing and downloads against a fake fetch in the Hub's URL layout: splits, errors by status, cache, cancel.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { HubDatasetError, JobCancelledError } from '../errors';
import { MemoryHubFileCache } from './cache';
import { listParquetSplits, parquetFileUrl, readParquetFile, type SplitDownloadOptions } from './dataset';

const ENDPOINT = 'https://hub.test';
const FILE = new Uint8Array(5000).map((_, i) => i % 251);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A fake Hub: a listing per repo (or a status), and files by URL with the LFS etag. */
function fakeHub(listings: Record<string, unknown>, files: Record<string, Uint8Array | number> = {}) {
  const requests: string[] = [];
  const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    requests.push(url);
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const listing = /\/api\/datasets\/(.+)\/parquet$/.exec(url);
    if (listing) {
      const body = listings[listing[1]];
      if (typeof body === 'number') return new Response('{"error":"no"}', { status: body });
      if (body === undefined) return new Response('{"error":"Not found"}', { status: 404 });
      return Response.json(body);
    }
    const file = files[url];
    if (typeof file === 'number') return new Response('denied', { status: file });
    if (!file) return new Response('Entry not found', { status: 404 });
    return new Response(file as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(file.length), 'x-linked-etag': `"${sha(file)}"` } });
  }) as typeof globalThis.fetch;
  return { fetch: fakeFetch, requests };
}

describe('Hub datasets', () => {
  it('lists configs and splits, turning the API URLs into the conversion branch file names', async () => {
    const hub = fakeHub({
      'owner/chat': {
        default: { train: [`${ENDPOINT}/api/datasets/owner/chat/parquet/default/train/0.parquet`, `${ENDPOINT}/api/datasets/owner/chat/parquet/default/train/1.parquet`], test: [`${ENDPOINT}/api/datasets/owner/chat/parquet/default/test/0.parquet`] },
        extra: { train: [`${ENDPOINT}/datasets/owner/chat/resolve/refs%2Fconvert%2Fparquet/extra/train/0000.parquet`] },
      },
    });
    const listing = await listParquetSplits(' owner/chat ', { endpoint: `${ENDPOINT}/`, fetch: hub.fetch });
    expect(hub.requests).toEqual([`${ENDPOINT}/api/datasets/owner/chat/parquet`]);
    expect(listing).toEqual({
      repo: 'owner/chat',
      configs: [
        { name: 'default', splits: [{ name: 'train', files: ['0000.parquet', '0001.parquet'] }, { name: 'test', files: ['0000.parquet'] }] },
        { name: 'extra', splits: [{ name: 'train', files: ['0000.parquet'] }] },
      ],
    });
    expect(parquetFileUrl(ENDPOINT, 'owner/chat', 'default', 'train', '0001.parquet')).toBe(`${ENDPOINT}/datasets/owner/chat/resolve/refs%2Fconvert%2Fparquet/default/train/0001.parquet`);
    expect(() => parquetFileUrl(ENDPOINT, 'owner/chat', '..', 'train', '0000.parquet')).toThrow(HubDatasetError);
  });

  it('explains no conversion (404 or an empty listing), a gated repo (401/403) and a network failure', async () => {
    const hub = fakeHub({ 'owner/gated': 401, 'owner/private': 403, 'owner/empty': {} });
    const error = (repo: string, fetch = hub.fetch) =>
      listParquetSplits(repo, { endpoint: ENDPOINT, fetch }).then(
        () => new HubDatasetError('listed', ''),
        (e: unknown) => e as HubDatasetError,
      );
    const missing = await error('owner/missing');
    expect(missing).toBeInstanceOf(HubDatasetError);
    expect(missing.message).toMatch(/^The Hub has no Parquet version of the dataset owner\/missing \(HTTP 404\)/);
    expect((await error('owner/empty')).message).toBe('The dataset owner/empty has no Parquet conversion yet (the Hub listed no Parquet files).');
    for (const [repo, status] of [['owner/gated', 401], ['owner/private', 403]] as const) {
      const e = await error(repo);
      expect(e.message).toBe(`The Hub refused the dataset ${repo} (HTTP ${status}): it is gated or private.`);
      expect(e.hint).toContain('accept its terms');
    }
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect((await error('owner/chat', offline)).message).toBe('Could not reach the Hub for owner/chat: Failed to fetch.');
    await expect(listParquetSplits('not a repo', { endpoint: ENDPOINT, fetch: hub.fetch })).rejects.toThrow('is not a Hugging Face repository id');
  });

  it('downloads a file with progress, caches it verified, and reads it from the cache the second time', async () => {
    const url = parquetFileUrl(ENDPOINT, 'owner/chat', 'default', 'train', '0000.parquet');
    const hub = fakeHub({}, { [url]: FILE });
    const cache = new MemoryHubFileCache();
    const seen: { loaded: number; fromCache: boolean; index: number; count: number }[] = [];
    const options: SplitDownloadOptions = { endpoint: ENDPOINT, fetch: hub.fetch, cache, onProgress: (p) => seen.push(p) };
    expect(await readParquetFile('owner/chat', 'default', 'train', '0000.parquet', 1, 2, options)).toEqual(FILE);
    expect([...cache.entries.keys()]).toEqual(['datasets/owner/chat@refs/convert/parquet/default/train/0000.parquet']);
    expect(seen.at(-1)).toMatchObject({ loaded: FILE.length, fromCache: false, index: 1, count: 2 });
    expect(await readParquetFile('owner/chat', 'default', 'train', '0000.parquet', 1, 2, options)).toEqual(FILE);
    expect(hub.requests).toEqual([url]);
    expect(seen.at(-1)).toMatchObject({ fromCache: true });
  });

  it('caches nothing when a file is refused, missing or cancelled', async () => {
    const url = (f: string) => parquetFileUrl(ENDPOINT, 'owner/chat', 'default', 'train', f);
    const hub = fakeHub({}, { [url('0000.parquet')]: 401, [url('0001.parquet')]: FILE });
    const cache = new MemoryHubFileCache();
    const read = (f: string, signal?: AbortSignal) => readParquetFile('owner/chat', 'default', 'train', f, 1, 1, { endpoint: ENDPOINT, fetch: hub.fetch, cache, signal });
    await expect(read('0000.parquet')).rejects.toThrow('The Hub refused the dataset owner/chat (HTTP 401): it is gated or private.');
    await expect(read('0002.parquet')).rejects.toThrow(/but does not have it \(HTTP 404\)/);
    const controller = new AbortController();
    controller.abort();
    await expect(read('0001.parquet', controller.signal)).rejects.toBeInstanceOf(JobCancelledError);
    expect(cache.entries.size).toBe(0);
  });
});
