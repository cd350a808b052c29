// Loads the Hub-layout fixtures through the real loader and checks logits against the float64 PyTorch reference.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { tf } from '../backend/tf';
import { createModel } from '../models/causal-lm';
import { MemoryHubFileCache } from './cache';
import { loadCheckpoint } from './load';
import { HubSource, LocalFilesSource } from './source';
import { FIXTURES_DIR, TEST_ENDPOINT, fakeHub, fixtureFiles } from './testing/fixture-server';
import { loadTokenizer } from '../tokenizers';

const golden = JSON.parse(readFileSync(join(FIXTURES_DIR, 'golden.json'), 'utf8')) as { ids: number[]; checkpoints: Record<string, number[][]> };

/** max |a − b| / max |b| over all logits. */
export function relativeError(actual: Float32Array, expected: number[][]): number {
  const flat = expected.flat();
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < flat.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - flat[i]));
    maxRef = Math.max(maxRef, Math.abs(flat[i]));
  }
  return maxDiff / maxRef;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('loadCheckpoint from the (fake) Hub', () => {
  for (const repo of Object.keys(golden.checkpoints)) {
    it(`${repo}: logits match the float64 reference (rel ≤ 1e-4)`, async () => {
      const hub = fakeHub();
      const source = new HubSource({ repo, revision: 'main', endpoint: TEST_ENDPOINT, fetch: hub.fetch });
      const loaded = await loadCheckpoint(source);
      const model = createModel(loaded.config, loaded.weights);
      const T = golden.ids.length;
      const before = tf.memory().numTensors;
      const logits = model.logits(Int32Array.from(golden.ids), 1, T);
      const data = logits.dataSync() as Float32Array;
      logits.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(data.length).toBe(T * loaded.config.vocab_size);
      expect(relativeError(data, golden.checkpoints[repo])).toBeLessThan(1e-4);
      expect(loaded.identity.commit).toBe('0123456789abcdef0123456789abcdef01234567');
      expect(loaded.identity.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
      model.dispose();
    });
  }

  it('reads the tokenizer and chat template that ship with the checkpoint', async () => {
    const hub = fakeHub();
    const loaded = await loadCheckpoint(new HubSource({ repo: 'tunelab-test/tiny-qwen2', endpoint: TEST_ENDPOINT, fetch: hub.fetch }));
    const tokenizer = loadTokenizer(loaded.tokenizerJson, loaded.tokenizerConfig ?? undefined);
    const ids = tokenizer.encode(' the', { addSpecialTokens: false });
    expect(ids).toEqual([258]); // Ġ t → Ġt, h e → he, Ġt he → Ġthe = id 258
    expect((loaded.tokenizerConfig as { chat_template?: string }).chat_template).toContain('<|im_start|>');
  });

  it('a second load through the cache makes no request', async () => {
    const cache = new MemoryHubFileCache();
    const first = fakeHub();
    await loadCheckpoint(new HubSource({ repo: 'tunelab-test/tiny-llama', endpoint: TEST_ENDPOINT, fetch: first.fetch, cache }));
    expect(first.requests.length).toBeGreaterThan(4);
    const second = fakeHub();
    const source = new HubSource({ repo: 'tunelab-test/tiny-llama', endpoint: TEST_ENDPOINT, fetch: second.fetch, cache });
    const loaded = await loadCheckpoint(source);
    expect(loaded.weights.size).toBeGreaterThan(0);
    // model.safetensors is absent (sharded checkpoint); its 404 is not cached, so that is the only request.
    expect(second.requests).toEqual(['model.safetensors']);
  });

  it('local files go through the same loader', async () => {
    const repo = 'tunelab-test/tiny-gpt2-f16';
    const files = fixtureFiles(repo, ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors']);
    const loaded = await loadCheckpoint(new LocalFilesSource(files));
    expect(loaded.generationConfig).toBeNull();
    expect(loaded.dtypes).toEqual(['F16']);
    const model = createModel(loaded.config, loaded.weights);
    const logits = model.logits(Int32Array.from(golden.ids), 1, golden.ids.length);
    expect(relativeError(logits.dataSync() as Float32Array, golden.checkpoints[repo])).toBeLessThan(1e-4);
    logits.dispose();
    model.dispose();
  });
});
