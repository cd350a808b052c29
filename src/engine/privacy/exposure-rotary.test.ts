// Exposure through the shared-prefix tree on rotary models (tiny random Qwen2 with grouped-query attention, Qwen3, and
// Gemma 3 with a sliding window shorter than the canary) against brute force: every candidate scored alone.
import { beforeAll, expect, test, vi } from 'vitest';
import { initNodeBackend } from '../../../scripts/experiments/backend';
import { tf } from '../backend/tf';
import { evalModelOf } from '../eval/eval-model';
import { createModel } from '../models/causal-lm';
import type { ModelConfig } from '../models/config';
import { KvCache } from '../models/kv-cache';
import { candidateChoices, candidateCount, parseCanaryTemplate, renderCanary } from './canary-template';
import { measureExposure } from './exposure';
import { privacyModelOf } from './privacy-model';

const CHARS = [...' abcdefghijklmnopqrstuvwxyz0123456789.:'];
const encode = (text: string) => [...text].map((c) => CHARS.indexOf(c));
const V = CHARS.length;

const configs: [string, ModelConfig, string][] = [
  ['qwen2 (grouped-query)', { model_type: 'qwen2', vocab_size: V, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, rms_norm_eps: 1e-6, rope_theta: 10000, max_position_embeddings: 32, tie_word_embeddings: true } as ModelConfig, 'model.embed_tokens.weight'],
  ['qwen3 (q/k norms)', { model_type: 'qwen3', vocab_size: V, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 8, rms_norm_eps: 1e-6, rope_theta: 1e6, max_position_embeddings: 32, tie_word_embeddings: true } as ModelConfig, 'model.embed_tokens.weight'],
  ['gemma3 (sliding window 3)', { model_type: 'gemma3_text', vocab_size: V, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 8, rms_norm_eps: 1e-6, rope_theta: 1e6, rope_local_base_freq: 10000, query_pre_attn_scalar: 12, sliding_window: 3, layer_types: ['sliding_attention', 'full_attention', 'sliding_attention'], max_position_embeddings: 32, hidden_activation: 'gelu_pytorch_tanh', tie_word_embeddings: true } as ModelConfig, 'model.embed_tokens.weight'],
];

beforeAll(async () => {
  await initNodeBackend('wasm');
});

test.each(configs)('%s: the shared-prefix tree ranks every probed secret as brute force does', async (_name, config, embedding) => {
  const model = createModel(config, { seed: 7 });
  // Peaked distributions, so candidates are far apart and the pruning floor skips nodes: the tied table scaled.
  const table = model.variable(embedding);
  table.assign(tf.mul(table, 40));
  const single = evalModelOf(model);
  const pm = privacyModelOf(model, null);
  const shared = vi.spyOn(KvCache.prototype, 'sharePrefix');
  for (const template of ['pin is {dd}.', 'id {d}.{d}']) {
    const t = parseCanaryTemplate(template);
    const from = encode(typeof t.parts[0] === 'string' ? t.parts[0] : '').length;
    const n = candidateCount(t);
    const brute = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const lp = (await single.scoreTokens(encode(renderCanary(t, candidateChoices(t, i))))).logprobs;
      for (let p = from; p < lp.length; p++) brute[i] += lp[p];
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => brute[b] - brute[a]);
    for (const position of [0, 3, 40, 99]) {
      const i = order[position];
      const result = await measureExposure(pm, { encode }, template, candidateChoices(t, i));
      expect(result.path).toBe('prefix-tree');
      expect(result.rank, `${template} secret #${i}`).toBe(1 + brute.filter((x) => x > brute[i]).length);
      expect(result.secretLogLikelihood).toBeCloseTo(brute[i], 4);
    }
  }
  expect(shared).toHaveBeenCalled(); // the rows held only their own positions, the prefix once
  shared.mockRestore();
  model.dispose();
});
