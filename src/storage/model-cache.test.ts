// BrowserModelCache over an in-memory CacheStorage: round trip, listing with sizes, delete, damaged entries dropped.
import { describe, expect, it } from 'vitest';
import { BrowserModelCache, MODEL_CACHE_NAME } from './model-cache';

/** The slice of Cache Storage the model cache uses, in memory (Node has no `caches`). */
class MemoryCache {
  readonly entries = new Map<string, Response>();
  async match(request: RequestInfo | URL) {
    return this.entries.get(String(request instanceof Request ? request.url : request))?.clone();
  }
  async put(request: RequestInfo | URL, response: Response) {
    const body = await response.arrayBuffer(); // like the real one: stored only once fully read
    this.entries.set(String(request), new Response(body, { headers: response.headers }));
  }
  async keys() {
    return [...this.entries.keys()].map((url) => new Request(url));
  }
  async delete(request: RequestInfo | URL) {
    return this.entries.delete(String(request instanceof Request ? request.url : request));
  }
}

function memoryStorage() {
  const caches = new Map<string, MemoryCache>();
  return {
    caches,
    storage: { open: async (name: string) => caches.get(name) ?? caches.set(name, new MemoryCache()).get(name)! } as unknown as CacheStorage,
  };
}

describe('BrowserModelCache', () => {
  it('stores, lists by model with sizes, and deletes', async () => {
    const { storage } = memoryStorage();
    const cache = new BrowserModelCache(storage);
    const key = { repo: 'HuggingFaceTB/SmolLM2-135M', revision: 'main', file: 'model.safetensors' };
    expect(await cache.get(key)).toBeNull();
    await cache.put(key, { bytes: new Uint8Array([1, 2, 3, 4]), etag: 'abc' });
    await cache.put({ ...key, file: 'config.json' }, { bytes: new Uint8Array([5]), etag: null });
    await cache.put({ ...key, repo: 'openai-community/gpt2' }, { bytes: new Uint8Array(10), etag: null });
    expect(await cache.get(key)).toEqual({ bytes: new Uint8Array([1, 2, 3, 4]), etag: 'abc' });
    const list = await cache.list();
    expect(list.map((m) => [m.repo, m.bytes, m.files.length])).toEqual([
      ['openai-community/gpt2', 10, 1],
      ['HuggingFaceTB/SmolLM2-135M', 5, 2],
    ]);
    expect(await cache.delete('HuggingFaceTB/SmolLM2-135M', 'main')).toBe(2);
    expect(await cache.get(key)).toBeNull();
    expect((await cache.list()).map((m) => m.repo)).toEqual(['openai-community/gpt2']);
  });

  it('drops an entry whose body does not match its recorded size', async () => {
    const { storage, caches } = memoryStorage();
    const cache = new BrowserModelCache(storage);
    const key = { repo: 'a/b', revision: 'main', file: 'model.safetensors' };
    await cache.put(key, { bytes: new Uint8Array(8), etag: null });
    const inner = caches.get(MODEL_CACHE_NAME)!;
    const [url] = inner.entries.keys();
    inner.entries.set(url, new Response(new Uint8Array(3), { headers: { 'x-tunelab-size': '8' } }));
    expect(await cache.get(key)).toBeNull();
    expect(inner.entries.size).toBe(0);
  });
});
