// A causal LM as an embedder: padding in the batch changes nothing, mean and last pooling pick the right positions.
import { beforeAll, expect, it } from 'vitest';
import { tf } from '../backend/tf';
import { initBackend } from '../backend/init';
import { createModel } from '../models/causal-lm';
import type { Gpt2Config, LlamaConfig, ModelConfig } from '../models/config';
import { buildCharTokenizerJson } from '../tokenizers/char-tokenizer-json';
import { loadTokenizer } from '../tokenizers';
import { CausalLmEmbedder } from './causal-lm-embedder';

const gpt2: Gpt2Config = { model_type: 'gpt2', vocab_size: 40, n_positions: 32, n_embd: 8, n_layer: 1, n_head: 2, layer_norm_epsilon: 1e-5 };
const qwen2: LlamaConfig = {
  model_type: 'qwen2', vocab_size: 40, hidden_size: 8, intermediate_size: 12, num_hidden_layers: 1,
  num_attention_heads: 2, num_key_value_heads: 1, rms_norm_eps: 1e-6, max_position_embeddings: 32,
};

beforeAll(async () => {
  await initBackend('cpu');
});

it.each([
  ['gpt2', 'mean', gpt2],
  ['gpt2', 'last', gpt2],
  ['qwen2 (rotary, right padding)', 'mean', qwen2],
  ['qwen2 (rotary, right padding)', 'last', qwen2],
] as [string, 'mean' | 'last', ModelConfig][])('%s, %s pooling: a text embeds the same alone and beside a longer one, and pools the hidden states it should', (_, pooling, config) => {
  const model = createModel(config, { seed: 1 });
  const tokenizer = loadTokenizer(buildCharTokenizerJson([...'abcdefghijklmnopqrstuvwxyz ']));
  const embedder = new CausalLmEmbedder(model, tokenizer, { pooling, normalize: false });
  const alone = embedder.tokenize(['abc']);
  const both = embedder.tokenize(['abc', 'hello there']);
  expect(both.ids.shape).toEqual([2, 11]);
  expect([...both.mask.dataSync()].slice(0, 11)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const a = embedder.embed(alone).arraySync() as number[][];
  const b = embedder.embed(both).arraySync() as number[][];
  a[0].forEach((x, j) => expect(b[0][j]).toBeCloseTo(x, 5));
  // by hand from the hidden states of "abc" alone: [3, H]
  const h = (model.hidden(alone.ids) as tf.Tensor).arraySync() as number[][];
  const want = pooling === 'mean' ? h[0].map((_, j) => (h[0][j] + h[1][j] + h[2][j]) / 3) : h[2];
  want.forEach((x, j) => expect(a[0][j]).toBeCloseTo(x, 5));
  const normed = new CausalLmEmbedder(model, tokenizer, { pooling }).embed(alone).arraySync() as number[][];
  expect(Math.hypot(...normed[0])).toBeCloseTo(1, 5);
  model.dispose();
});
