// A Hub split's cached Parquet files: found from the dataset versions' names, offered as lineage, deleted alone.
import { describe, expect, it } from 'vitest';
import { parquetCacheKey } from '../engine/hub/dataset';
import { deleteHubSplitFiles, hubCacheArtifacts, hubCacheId, hubSplitOf, hubSplitOfId } from './hub-dataset-cache';
import { BrowserModelCache } from './model-cache';

/** The slice of Cache Storage the model cache uses, in memory (Node has no `caches`). */
function memoryStorage(): CacheStorage {
  const entries = new Map<string, Response>();
  const cache = {
    match: async (r: RequestInfo | URL) => entries.get(String(r instanceof Request ? r.url : r))?.clone(),
    put: async (r: RequestInfo | URL, response: Response) => void entries.set(String(r), new Response(await response.arrayBuffer(), { headers: response.headers })),
    keys: async () => [...entries.keys()].map((url) => new Request(url)),
    delete: async (r: RequestInfo | URL) => entries.delete(String(r instanceof Request ? r.url : r)),
  };
  return { open: async () => cache } as unknown as CacheStorage;
}

describe('Hub dataset cache in a forget request', () => {
  it('reads the split off an import name, also a derived version’s', () => {
    expect(hubSplitOf('stanfordnlp/imdb (plain_text/train)')).toEqual({ repo: 'stanfordnlp/imdb', config: 'plain_text', split: 'train' });
    expect(hubSplitOf('stanfordnlp/imdb (plain_text/train) + canaries')).toEqual({ repo: 'stanfordnlp/imdb', config: 'plain_text', split: 'train' });
    expect(hubSplitOf('Example: reverse a word (400 rows, seed 1234)')).toBeNull();
    const id = hubCacheId({ repo: 'a/b', config: 'c', split: 'd' });
    expect(hubSplitOfId(id)).toEqual({ repo: 'a/b', config: 'c', split: 'd' });
    expect(hubSplitOfId('some-run-id')).toBeNull();
  });

  it('offers the split’s cached files (not another split’s) and deletes only them', async () => {
    const cache = new BrowserModelCache(memoryStorage());
    const put = (split: string, file: string, n: number) => cache.put(parquetCacheKey('owner/data', 'default', split, file), { bytes: new Uint8Array(n), etag: null });
    await put('train', '0000.parquet', 3 * 2 ** 20);
    await put('train', '0001.parquet', 2 ** 20);
    await put('test', '0000.parquet', 5);
    await cache.put({ repo: 'owner/model', revision: 'main', file: 'train/0000.parquet' }, { bytes: new Uint8Array(1), etag: null });
    const versions = [
      { name: 'owner/data (default/train)', source: 'hub' as const },
      { name: 'owner/data (default/train) + canaries', source: 'hub' as const }, // the same split: listed once
      { name: 'owner/data (default/test)', source: 'file' as const }, // not a Hub import: its name is not read
    ];
    const found = hubCacheArtifacts(versions, await cache.list());
    expect(found).toEqual([{ kind: 'hub-cache', id: hubCacheId({ repo: 'owner/data', config: 'default', split: 'train' }), name: 'Downloaded Parquet of owner/data (default/train)', detail: '2 files, 4.0 MiB in Cache Storage' }]);
    expect(await deleteHubSplitFiles(cache, hubSplitOfId(found[0].id)!)).toBe(2);
    expect(await deleteHubSplitFiles(cache, hubSplitOfId(found[0].id)!)).toBe(0); // a resumed erasure repeats it harmlessly
    const left = await cache.list();
    expect(left.flatMap((m) => m.files.map((f) => `${m.repo}:${f.file}`)).sort()).toEqual(['datasets/owner/data:default/test/0000.parquet', 'owner/model:train/0000.parquet']);
    expect(hubCacheArtifacts(versions, left)).toEqual([]);
  });
});
