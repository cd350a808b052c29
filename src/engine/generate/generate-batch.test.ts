// Batched sampling equals one-by-one generate(): same tokens, log-probabilities and finish reasons, greedy and seeded.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../backend/tf';
import { initBackend } from '../backend/init';
import { createModel } from '../models/causal-lm';
import type { Gpt2Config, LlamaConfig, ModelConfig } from '../models/config';
import { LoraAdapter } from '../lora/adapter';
import { JobCancelledError, ShapeMismatchError } from '../errors';
import { generate, type GenerateResult } from './generate';
import { batchPlan, generateBatch, rowSeed } from './generate-batch';

const gpt2: Gpt2Config = { model_type: 'gpt2', vocab_size: 19, n_positions: 32, n_embd: 16, n_layer: 2, n_head: 2, layer_norm_epsilon: 1e-5 };
const qwen3: LlamaConfig = {
  model_type: 'qwen3', vocab_size: 19, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, head_dim: 8,
  num_attention_heads: 4, num_key_value_heads: 2, rms_norm_eps: 1e-6, rope_theta: 1e6, max_position_embeddings: 32, tie_word_embeddings: true,
};

/** Prompts of three lengths, two of them repeated so a row finishing early leaves the batch while others go on. */
const PROMPTS = [[1, 4, 2, 7], [3, 3], [5, 6, 7, 8], [2, 9, 4, 1], [11], [4, 4], [1, 4, 2, 7], [12, 1, 0, 3]];

beforeAll(async () => {
  await initBackend('cpu');
});

function same(batched: GenerateResult[], single: GenerateResult[]): void {
  expect(batched.map((r) => r.ids)).toEqual(single.map((r) => r.ids));
  expect(batched.map((r) => r.finishReason)).toEqual(single.map((r) => r.finishReason));
  batched.forEach((r, i) => r.logprobs.forEach((lp, t) => expect(lp).toBeCloseTo(single[i].logprobs[t], 4)));
}

describe.each([['gpt2', gpt2 as ModelConfig], ['qwen3', qwen3 as ModelConfig]])('%s batched generation', (_, config) => {
  it('greedy: every row equals generate() on its own, with stop ids ending rows at different steps', async () => {
    const model = createModel(config, { seed: 5 });
    const adapter = LoraAdapter.create(model.linearModules, { r: 2, lora_alpha: 4, lora_dropout: 0, target_modules: ['c_attn', 'q_proj', 'v_proj'] }, 3);
    for (const m of adapter.modules.values()) m.B.assign(tf.randomNormal(m.B.shape, 0, 0.5, 'float32', 11));
    // A stop id that some greedy rows emit and others do not (found from the one-by-one runs, so the test cannot pass vacuously).
    const free = await Promise.all(PROMPTS.map((p) => generate(model, p, { maxNewTokens: 10, lora: adapter })));
    const stop = free[0].ids[3];
    const options = { maxNewTokens: 10, lora: adapter, stopTokenIds: [stop] };
    const single = await Promise.all(PROMPTS.map((p) => generate(model, p, options)));
    expect(new Set(single.map((r) => r.ids.length)).size).toBeGreaterThan(1);
    const before = tf.memory().numTensors;
    const batched = await generateBatch(model, PROMPTS, { ...options, seeds: PROMPTS.map(() => 0), maxBatch: 3 });
    expect(tf.memory().numTensors).toBe(before);
    same(batched, single);
    adapter.dispose();
    model.dispose();
  });

  it('temperature/top-p sampling: row i with seed rowSeed(s, i) equals generate() with that seed, whatever the batch size', async () => {
    const model = createModel(config, { seed: 8 });
    const sampling = { temperature: 1.3, topP: 0.9, maxNewTokens: 9 };
    const seeds = PROMPTS.map((_, i) => rowSeed(42, i));
    const single = await Promise.all(PROMPTS.map((p, i) => generate(model, p, { ...sampling, seed: seeds[i] })));
    for (const maxBatch of [1, 2, 8]) same(await generateBatch(model, PROMPTS, { ...sampling, seeds, maxBatch }), single);
    // Sampling really samples: two seeds give different rows somewhere.
    const other = await generateBatch(model, PROMPTS, { ...sampling, seeds: PROMPTS.map((_, i) => rowSeed(43, i)) });
    expect(other.map((r) => r.ids)).not.toEqual(single.map((r) => r.ids));
    model.dispose();
  });
});

describe('generateBatch', () => {
  it('stop strings cut each row like generate(), and onRowDone reports every row once', async () => {
    const model = createModel(gpt2, { seed: 5 });
    const decode = (ids: number[]) => ids.map((id) => String.fromCharCode(97 + id)).join('');
    const free = await generate(model, PROMPTS[2], { maxNewTokens: 8, decode });
    const stopStrings = [free.text!.slice(2, 4)];
    const options = { maxNewTokens: 8, decode, stopStrings }; // greedy: PROMPTS[2] meets its own stop string
    const seeds = PROMPTS.map((_, i) => rowSeed(1, i));
    const single = await Promise.all(PROMPTS.map((p, i) => generate(model, p, { ...options, seed: seeds[i] })));
    const done: number[] = [];
    const batched = await generateBatch(model, PROMPTS, { ...options, seeds, onRowDone: (i) => done.push(i) });
    same(batched, single);
    expect(batched.map((r) => r.text)).toEqual(single.map((r) => r.text));
    expect(single.some((r) => r.finishReason === 'stop_string')).toBe(true);
    expect(done.sort((a, b) => a - b)).toEqual(PROMPTS.map((_, i) => i));
    model.dispose();
  });

  it('names the empty prompt, honours the context and cancellation', async () => {
    const model = createModel(gpt2, { seed: 5 });
    await expect(generateBatch(model, [[1], []], { maxNewTokens: 2, seeds: [0, 0] })).rejects.toThrow(/Prompt 2 has no tokens/);
    await expect(generateBatch(model, [[1], []], { maxNewTokens: 2, seeds: [0, 0] })).rejects.toBeInstanceOf(ShapeMismatchError);
    const long = Array.from({ length: 30 }, (_, i) => i % 19);
    const [r] = await generateBatch(model, [long], { maxNewTokens: 10, seeds: [0] });
    expect(r.finishReason).toBe('context');
    expect(r.ids).toEqual((await generate(model, long, { maxNewTokens: 10 })).ids);
    expect(r.ids).toHaveLength(3); // positions 30, 31, 32 of a 32-position context: the third fills it
    const controller = new AbortController();
    controller.abort();
    await expect(generateBatch(model, PROMPTS, { maxNewTokens: 4, seeds: PROMPTS.map(() => 0), signal: controller.signal })).rejects.toBeInstanceOf(JobCancelledError);
    model.dispose();
  });

  it('plans batches by prompt length, at most maxBatch rows each', () => {
    expect(batchPlan([4, 2, 4, 4, 1, 2], 2)).toEqual([[4], [1, 5], [0, 2], [3]]);
  });
});
