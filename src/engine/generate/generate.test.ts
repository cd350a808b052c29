// KV-cache decoding equals full recomputation; sampling is seeded; scores match the logits; no tensor leaks.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../backend/tf';
import { initBackend } from '../backend/init';
import { createModel, type CausalLM } from '../models/causal-lm';
import type { Gpt2Config, LlamaConfig, ModelConfig } from '../models/config';
import { LoraAdapter } from '../lora/adapter';
import { JobCancelledError } from '../errors';
import { generate } from './generate';
import { scoreTokens } from './score';
import { argmax } from './sample';

const gpt2: Gpt2Config = { model_type: 'gpt2', vocab_size: 19, n_positions: 32, n_embd: 16, n_layer: 2, n_head: 2, layer_norm_epsilon: 1e-5 };
const qwen: LlamaConfig = {
  model_type: 'qwen2', vocab_size: 19, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2,
  num_attention_heads: 4, num_key_value_heads: 2, rms_norm_eps: 1e-6, rope_theta: 10000, max_position_embeddings: 32, tie_word_embeddings: true,
};

/** Greedy decoding by recomputing the whole sequence every step (no cache). */
async function greedyByRecompute(model: CausalLM, prompt: number[], steps: number, lora: LoraAdapter | null): Promise<number[]> {
  const ids = [...prompt];
  for (let i = 0; i < steps; i++) {
    const logits = model.logits(Int32Array.from(ids), 1, ids.length, lora);
    const last = tf.tidy(() => tf.slice(logits, [0, ids.length - 1, 0], [1, 1, -1]));
    ids.push(argmax(await last.data()));
    logits.dispose();
    last.dispose();
  }
  return ids.slice(prompt.length);
}

/** A LoRA adapter with non-zero B so it changes the outputs. */
function liveAdapter(model: CausalLM): LoraAdapter {
  const adapter = LoraAdapter.create(model.linearModules, { r: 2, lora_alpha: 4, lora_dropout: 0, target_modules: ['c_attn', 'q_proj', 'v_proj', 'down_proj'] }, 3);
  for (const m of adapter.modules.values()) m.B.assign(tf.randomNormal(m.B.shape, 0, 0.5, 'float32', 11));
  return adapter;
}

beforeAll(async () => {
  await initBackend('cpu');
});

const qwen3: LlamaConfig = { ...qwen, model_type: 'qwen3', head_dim: 8, rope_theta: 1e6 };

describe.each([['gpt2', gpt2 as ModelConfig], ['qwen2 (GQA + bias)', qwen as ModelConfig], ['qwen3 (q/k norm, head_dim 8)', qwen3 as ModelConfig]])('%s generation', (_, config) => {
  it('greedy decoding with the KV cache gives the tokens of full recomputation', async () => {
    const model = createModel(config, { seed: 5 });
    const adapter = liveAdapter(model);
    const prompt = [1, 4, 2, 7];
    const cached = await generate(model, prompt, { maxNewTokens: 12, lora: adapter });
    expect(cached.ids).toEqual(await greedyByRecompute(model, prompt, 12, adapter));
    expect(cached.finishReason).toBe('length');
    adapter.dispose();
    model.dispose();
  });

  it('reports the log-probabilities that scoreTokens computes, and leaks nothing', async () => {
    const model = createModel(config, { seed: 6 });
    const before = tf.memory().numTensors;
    const streamed: [number, number][] = [];
    const result = await generate(model, [3, 1], { maxNewTokens: 6, temperature: 0.9, topK: 8, topP: 0.95, seed: 42, onToken: (id, lp) => streamed.push([id, lp]) });
    const again = await generate(model, [3, 1], { maxNewTokens: 6, temperature: 0.9, topK: 8, topP: 0.95, seed: 42 });
    expect(again.ids).toEqual(result.ids);
    expect(streamed.map(([id]) => id)).toEqual(result.ids);
    const scores = await scoreTokens(model, [3, 1, ...result.ids]);
    expect(tf.memory().numTensors).toBe(before);
    expect(scores.logprobs[0]).toBe(0);
    result.logprobs.forEach((lp, i) => expect(scores.logprobs[i + 2]).toBeCloseTo(lp, 4));
    const greedy = await generate(model, [3, 1], { maxNewTokens: 1 });
    expect(scores.argmax[2]).toBe(greedy.ids[0]);
    model.dispose();
  });

  it('stops on a stop token, a stop string and an abort', async () => {
    const model = createModel(config, { seed: 7 });
    const free = await generate(model, [2], { maxNewTokens: 8 });
    const stopId = free.ids[3];
    const stopped = await generate(model, [2], { maxNewTokens: 8, stopTokenIds: [stopId] });
    expect(stopped.finishReason).toBe('stop_token');
    expect(stopped.ids).toEqual(free.ids.slice(0, free.ids.indexOf(stopId) + 1));
    const decode = (ids: number[]) => ids.map((i) => String.fromCharCode(97 + i)).join('');
    const needle = decode(free.ids.slice(4, 6));
    const byString = await generate(model, [2], { maxNewTokens: 8, decode, stopStrings: [needle] });
    expect(byString.finishReason).toBe('stop_string');
    expect(byString.text).toBe(decode(free.ids).slice(0, decode(free.ids).indexOf(needle)));
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const aborted = generate(model, [2], { maxNewTokens: 8, signal: controller.signal, onToken: () => controller.abort() });
    await expect(aborted).rejects.toBeInstanceOf(JobCancelledError);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('a vocabulary padded past the tokenizer (Qwen3: 151,936 rows, 151,669 tokens)', () => {
  it('vocabLimit keeps generation to ids the tokenizer has, greedy and sampled, with log-probabilities over those ids', async () => {
    const model = createModel({ ...qwen, model_type: 'qwen3', head_dim: 8 } as ModelConfig, { seed: 8 });
    // Make the last 4 rows (the padding) win every argmax: without the limit they are what comes out.
    const w = model.exportWeights().get('model.embed_tokens.weight')!;
    const rows = w.data.slice();
    for (let v = 15; v < 19; v++) for (let c = 0; c < 16; c++) rows[v * 16 + c] *= 40;
    model.assignWeights(new Map([['model.embed_tokens.weight', { shape: w.shape, data: rows }]]));
    const free = await generate(model, [1, 2, 3], { maxNewTokens: 6 });
    expect(free.ids.some((id) => id >= 15)).toBe(true);
    for (const options of [{}, { temperature: 1.5, seed: 3 }]) {
      const limited = await generate(model, [1, 2, 3], { maxNewTokens: 6, vocabLimit: 15, ...options });
      expect(limited.ids.every((id) => id < 15)).toBe(true);
      const scores = await scoreTokens(model, [1, 2, 3, ...limited.ids]);
      // Renormalised over 15 ids, each log-probability is at least the one over all 19.
      limited.logprobs.forEach((lp, i) => expect(lp).toBeGreaterThanOrEqual(scores.logprobs[i + 3] - 1e-6));
    }
    model.dispose();
  });
});
