// The Hub token goes to huggingface.co hosts (and this machine's loopback) only, as a bearer header, through every Hub fetch.
import { describe, expect, it } from 'vitest';
import { fetchWithHubToken, isHubTokenHost } from './auth';
import { listParquetSplits, readParquetFile } from './dataset';
import { HubSource } from './source';
import { DEFAULT_HUB_ENDPOINT } from './url';

const TOKEN = 'hf_testToken0123456789';

/** A fetch that records each request's URL and Authorization header and answers 200 with a tiny JSON body. */
function recorder() {
  const seen: { url: string; auth: string | null; range: string | null }[] = [];
  const fetch: typeof globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    seen.push({ url: String(input), auth: headers.get('authorization'), range: headers.get('range') });
    const body = new TextEncoder().encode('{"default":{"train":["https://huggingface.co/api/datasets/o/d/parquet/default/train/0.parquet"]}}');
    return new Response(body, { status: 200, headers: { 'content-length': String(body.length) } });
  };
  return { seen, fetch };
}

describe('the Hugging Face token', () => {
  it('is meant for https huggingface.co and its subdomains, and loopback, nothing else', () => {
    for (const url of ['https://huggingface.co/Qwen/Qwen3-0.6B/resolve/main/config.json', 'https://cdn-lfs.huggingface.co/x', 'https://HuggingFace.co/api/datasets/o/d/parquet', 'http://127.0.0.1:4315/hub/o/m/resolve/main/config.json', 'http://localhost:8080/x']) {
      expect(isHubTokenHost(url), url).toBe(true);
    }
    for (const url of ['http://huggingface.co/x', 'https://huggingface.co.evil.example/x', 'https://evilhuggingface.co/x', 'https://hf-mirror.com/x', 'https://example.com/huggingface.co/x', 'https://huggingface.co@evil.example/x', 'ftp://huggingface.co/x', 'not a url', 'https://127.0.0.2/x']) {
      expect(isHubTokenHost(url), url).toBe(false);
    }
  });

  it('is added as a bearer header to Hub requests only, keeping their other headers; no token, no header', async () => {
    const r = recorder();
    const f = fetchWithHubToken(r.fetch, `  ${TOKEN} `);
    await f('https://huggingface.co/o/m/resolve/main/model.safetensors', { headers: { Range: 'bytes=5-' } });
    await f('https://hf-mirror.com/o/m/resolve/main/model.safetensors', { headers: { Range: 'bytes=5-' } });
    await f(new URL('https://huggingface.co/api/datasets/o/d/parquet'));
    await fetchWithHubToken(r.fetch, null)('https://huggingface.co/x');
    await fetchWithHubToken(r.fetch, '  ')('https://huggingface.co/x');
    expect(r.seen).toEqual([
      { url: 'https://huggingface.co/o/m/resolve/main/model.safetensors', auth: `Bearer ${TOKEN}`, range: 'bytes=5-' },
      { url: 'https://hf-mirror.com/o/m/resolve/main/model.safetensors', auth: null, range: 'bytes=5-' },
      { url: 'https://huggingface.co/api/datasets/o/d/parquet', auth: `Bearer ${TOKEN}`, range: null },
      { url: 'https://huggingface.co/x', auth: null, range: null },
      { url: 'https://huggingface.co/x', auth: null, range: null },
    ]);
  });

  it('reaches model files and the datasets Parquet API and files from huggingface.co, and never a mirror on another host', async () => {
    for (const [endpoint, auth] of [[DEFAULT_HUB_ENDPOINT, `Bearer ${TOKEN}`], ['https://hf-mirror.com', null]] as const) {
      const r = recorder();
      await new HubSource({ repo: 'o/m', endpoint, fetch: r.fetch, token: TOKEN }).read('config.json');
      await listParquetSplits('o/d', { endpoint, fetch: r.fetch, token: TOKEN });
      await readParquetFile('o/d', 'default', 'train', '0000.parquet', 1, 1, { endpoint, fetch: r.fetch, token: TOKEN, cache: null });
      expect(r.seen.map((s) => s.url)).toEqual([`${endpoint}/o/m/resolve/main/config.json`, `${endpoint}/api/datasets/o/d/parquet`, `${endpoint}/datasets/o/d/resolve/refs%2Fconvert%2Fparquet/default/train/0000.parquet`]);
      expect(r.seen.map((s) => s.auth)).toEqual([auth, auth, auth]);
      expect(r.seen.some((s) => s.url.includes(TOKEN))).toBe(false);
    }
  });
});
