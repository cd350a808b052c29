// Hostile checkpoints and broken downloads: clear named errors, and nothing half-written in the cache.
import { describe, expect, it } from 'vitest';
import { CheckpointLayoutError, HubDownloadError, JobCancelledError, SafetensorsError, ShapeMismatchError, UnsupportedArchitectureError, GpuMemoryError } from '../errors';
import { MemoryHubFileCache } from './cache';
import { downloadFile, type DownloadProgress } from './download';
import { loadCheckpoint } from './load';
import { assertGpuFit, checkGpuFit } from './memory-fit';
import { HubSource } from './source';
import { TEST_ENDPOINT, fakeHub, fixtureBytes, type FakeHubOptions } from './testing/fixture-server';
import { hubFileUrl } from './url';
import type { LlamaConfig } from '../models/config';

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const configOf = (repo: string) => JSON.parse(new TextDecoder().decode(fixtureBytes(repo, 'config.json')));

function source(repo: string, options: FakeHubOptions = {}, cache = new MemoryHubFileCache()) {
  const hub = fakeHub(options);
  return { hub, cache, source: new HubSource({ repo, endpoint: TEST_ENDPOINT, fetch: hub.fetch, cache, maxRetries: 2 }) };
}

describe('hostile checkpoints', () => {
  it('a truncated shard is refused and never cached', async () => {
    const shard = fixtureBytes('tunelab-test/tiny-llama', 'model-00002-of-00002.safetensors');
    const { source: s, cache } = source('tunelab-test/tiny-llama', { override: { 'model-00002-of-00002.safetensors': shard.subarray(0, shard.length - 100) } });
    await expect(loadCheckpoint(s)).rejects.toThrow(SafetensorsError);
    await expect(loadCheckpoint(s)).rejects.toThrow(/model-00002-of-00002.safetensors: .*/);
    const cached = [...cache.entries.keys()];
    expect(cached).toContain('tunelab-test/tiny-llama@main/model-00001-of-00002.safetensors');
    expect(cached).not.toContain('tunelab-test/tiny-llama@main/model-00002-of-00002.safetensors');
  });

  it('an index that puts tensors in the wrong shard, or names a missing or unsafe shard, is refused', async () => {
    const index = JSON.parse(new TextDecoder().decode(fixtureBytes('tunelab-test/tiny-llama', 'model.safetensors.index.json')));
    const swapped = Object.fromEntries(Object.entries(index.weight_map as Record<string, string>).map(([k, v]) => [k, v.includes('00001') ? v.replace('00001', '00002') : v.replace('00002', '00001')]));
    const cases: [object, RegExp][] = [
      [{ weight_map: swapped }, /index.json puts .* in model-0000[12]-of-00002.safetensors, but that shard does not hold it/],
      [{ weight_map: { ...index.weight_map, 'model.norm.weight': 'model-00003-of-00002.safetensors' } }, /lists model-00003-of-00002.safetensors, but .* has no such file/],
      [{ weight_map: { ...index.weight_map, 'model.norm.weight': '../../etc/passwd.safetensors' } }, /not a .safetensors file in the same folder/],
      [{ metadata: {} }, /no "weight_map"/],
    ];
    for (const [bad, message] of cases) {
      const { source: s } = source('tunelab-test/tiny-llama', { override: { 'model.safetensors.index.json': json(bad) } });
      await expect(loadCheckpoint(s)).rejects.toThrow(CheckpointLayoutError);
      await expect(loadCheckpoint(s)).rejects.toThrow(message);
    }
  });

  it('a config that lies about sizes is named in the error', async () => {
    const config = configOf('tunelab-test/tiny-qwen2');
    const { source: s } = source('tunelab-test/tiny-qwen2', { override: { 'config.json': json({ ...config, hidden_size: 32 }) } });
    await expect(loadCheckpoint(s)).rejects.toThrow(ShapeMismatchError);
    await expect(loadCheckpoint(s)).rejects.toThrow(/config.json says hidden_size 32 but model.embed_tokens.weight is \[267, 16\] \(expected \[267, 32\]\)/);
    const layers = source('tunelab-test/tiny-qwen2', { override: { 'config.json': json({ ...config, num_hidden_layers: 3 }) } });
    await expect(loadCheckpoint(layers.source)).rejects.toThrow(/lack \d+ tensor\(s\) config.json needs: model.layers.2/);
    const vocab = source('tunelab-test/tiny-gpt2', { override: { 'config.json': json({ ...configOf('tunelab-test/tiny-gpt2'), vocab_size: 300 }) } });
    await expect(loadCheckpoint(vocab.source)).rejects.toThrow(/config.json says vocab_size 300 but wte.weight is \[267, 16\]/);
  });

  it('an unsupported architecture is refused before any weight is downloaded', async () => {
    const config = { architectures: ['MistralForCausalLM'], model_type: 'mistral', hidden_size: 16 };
    const { source: s, hub } = source('tunelab-test/tiny-llama', { override: { 'config.json': json(config) } });
    await expect(loadCheckpoint(s)).rejects.toThrow(UnsupportedArchitectureError);
    await expect(loadCheckpoint(s)).rejects.toThrow(/MistralForCausalLM, model_type "mistral"; TuneLab supports GPT2LMHeadModel .*Qwen2ForCausalLM/);
    expect(hub.requests.filter((r) => r.includes('safetensors'))).toEqual([]);
  });

  it('a repository without safetensors weights says so', async () => {
    const hub = fakeHub();
    const s = new HubSource({ repo: 'tunelab-test/nothing-here', endpoint: TEST_ENDPOINT, fetch: hub.fetch });
    await expect(loadCheckpoint(s)).rejects.toThrow(/has no config.json/);
  });
});

describe('downloadFile', () => {
  const url = hubFileUrl(TEST_ENDPOINT, 'tunelab-test/tiny-qwen2', 'main', 'model.safetensors');
  const whole = fixtureBytes('tunelab-test/tiny-qwen2', 'model.safetensors');

  it('resumes an interrupted download with a Range request, reporting progress', async () => {
    const hub = fakeHub({ cutAfter: { 'model.safetensors': 20_000 } });
    const events: DownloadProgress[] = [];
    const result = await downloadFile(url, 'model.safetensors', { fetch: hub.fetch, onProgress: (p) => events.push(p) });
    expect(result!.bytes).toEqual(whole);
    expect(result!.resumes).toBe(1);
    expect(hub.requests).toEqual(['model.safetensors', 'model.safetensors bytes=20000-']);
    expect(events.at(-1)).toMatchObject({ loaded: whole.length, total: whole.length, resumes: 1 });
    expect(events.every((e, i) => i === 0 || e.loaded >= events[i - 1].loaded)).toBe(true);
  });

  it('restarts from byte 0 when the server ignores Range', async () => {
    const hub = fakeHub({ cutAfter: { 'model.safetensors': 20_000 }, ranges: false });
    const result = await downloadFile(url, 'model.safetensors', { fetch: hub.fetch });
    expect(result!.bytes).toEqual(whole);
    expect(result!.restarts).toBe(1);
  });

  it('gives up after maxRetries interruptions, and caches nothing', async () => {
    const cache = new MemoryHubFileCache();
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      return fakeHub({ cutAfter: { 'model.safetensors': 10 } }).fetch(input, init);
    };
    const s = new HubSource({ repo: 'tunelab-test/tiny-qwen2', endpoint: TEST_ENDPOINT, fetch: flaky, cache, maxRetries: 2 });
    await expect(s.read('model.safetensors')).rejects.toThrow(HubDownloadError);
    expect(calls).toBe(3);
    expect(cache.entries.size).toBe(0);
  });

  it('refuses bytes whose sha-256 does not match the etag', async () => {
    const hub = fakeHub();
    const lying: typeof fetch = async (input, init) => {
      const r = await hub.fetch(input, init);
      const bytes = new Uint8Array(await r.arrayBuffer());
      bytes[100] ^= 0xff;
      return new Response(bytes, { status: r.status, headers: r.headers });
    };
    await expect(downloadFile(url, 'model.safetensors', { fetch: lying })).rejects.toThrow(/does not match its sha-256/);
  });

  it('stops on abort with JobCancelledError', async () => {
    const controller = new AbortController();
    const hub = fakeHub();
    const p = downloadFile(url, 'model.safetensors', { fetch: hub.fetch, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(p).rejects.toThrow(JobCancelledError);
  });

  it('names gated repositories', async () => {
    const denied: typeof fetch = async () => new Response('no', { status: 401 });
    await expect(downloadFile(url, 'model.safetensors', { fetch: denied })).rejects.toThrow(/gated or private/);
  });
});

describe('GPU memory fit', () => {
  const smolLm2: LlamaConfig = {
    model_type: 'llama', vocab_size: 49152, hidden_size: 576, intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9,
    num_key_value_heads: 3, rms_norm_eps: 1e-5, rope_theta: 100000, max_position_embeddings: 8192, tie_word_embeddings: true,
  };
  it('SmolLM2-135M: embedding fits a 128 MiB binding; logits at batch 8 × 256 are made in row chunks under it, and a budget is checked', () => {
    const limits = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 };
    const small = checkGpuFit(smolLm2, limits, { batchSize: 1, maxSeqLen: 256 });
    expect(small.largestBuffer.what).toMatch(/logits|embed_tokens/);
    expect(small.fits).toBe(true);
    const big = checkGpuFit(smolLm2, limits, { batchSize: 8, maxSeqLen: 256 });
    // 8 · 256 · 49152 · 4 bytes = 384.0 MiB of logits: 4 chunks of 512 rows (96 MiB each).
    expect(big.reasons).toEqual([]);
    expect(big.largestBuffer).toEqual({ what: 'weight model.embed_tokens.weight [49152, 576] float32', bytes: 4 * 49152 * 576 });
    expect(() => assertGpuFit(smolLm2, { ...limits, memoryBudget: 2 ** 30 }, { batchSize: 8, maxSeqLen: 256 })).toThrow(GpuMemoryError);
    expect(() => assertGpuFit(smolLm2, { ...limits, memoryBudget: 2 ** 30 }, { batchSize: 8, maxSeqLen: 256 })).toThrow(/over the budget of 1\.00 GiB/);
    expect(big.estimate.weights).toBe(4 * 134_515_008);
    // A limit below one row of logits (49152 floats) is refused with the reason.
    const tiny = checkGpuFit(smolLm2, { maxStorageBufferBindingSize: 150_000, maxBufferSize: 2 ** 30 }, { batchSize: 1, maxSeqLen: 8 });
    expect(tiny.reasons).toContain('One row of logits (49152 float32 values, 196608 bytes) is larger than this GPU\'s largest buffer (150000 bytes).');
  });
  it('Qwen2.5-0.5B: its 519 MiB embedding is split into row chunks under a 128 MiB binding; a limit below one row is refused', () => {
    const qwen: LlamaConfig = {
      model_type: 'qwen2', vocab_size: 151936, hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14,
      num_key_value_heads: 2, rms_norm_eps: 1e-6, rope_theta: 1000000, max_position_embeddings: 32768, tie_word_embeddings: true,
    };
    const fit = checkGpuFit(qwen, { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 }, { batchSize: 1, maxSeqLen: 128 });
    expect(fit.reasons).toEqual([]);
    expect(fit.largestBuffer.what).toBe('weight model.embed_tokens.weight [151936, 896] float32, split into row chunks of 37449');
    const tiny = checkGpuFit(qwen, { maxStorageBufferBindingSize: 2048, maxBufferSize: 2048 }, { batchSize: 1, maxSeqLen: 1 });
    expect(tiny.reasons[0]).toMatch(/^One row of model.embed_tokens.weight \(896 float32 values, 3584 bytes\) is larger than this GPU's largest buffer/);
  });
});
