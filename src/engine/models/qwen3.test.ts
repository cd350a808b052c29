// Qwen3 beyond the golden fixtures: Qwen3-0.6B's shapes and parameter count, q/k norms in the KV cache, named refusals.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { tf } from '../backend/tf';
import { UnsupportedArchitectureError } from '../errors';
import { parseModelConfig } from '../hub/architecture';
import { createModel } from './causal-lm';
import type { LlamaConfig } from './config';
import { modelDims } from './dims';
import { KvCache } from './kv-cache';
import { linearModules, paramSpecs } from './params';

/** Qwen/Qwen3-0.6B's config.json as published on the Hub. */
const qwen3_06b = {
  architectures: ['Qwen3ForCausalLM'], attention_bias: false, attention_dropout: 0.0, bos_token_id: 151643, eos_token_id: 151645, head_dim: 128,
  hidden_act: 'silu', hidden_size: 1024, initializer_range: 0.02, intermediate_size: 3072, max_position_embeddings: 40960, max_window_layers: 28,
  model_type: 'qwen3', num_attention_heads: 16, num_hidden_layers: 28, num_key_value_heads: 8, rms_norm_eps: 1e-6, rope_scaling: null,
  rope_theta: 1000000, sliding_window: null, tie_word_embeddings: true, torch_dtype: 'bfloat16', transformers_version: '4.51.0', use_cache: true,
  use_sliding_window: false, vocab_size: 151936,
};

const tiny: LlamaConfig = {
  model_type: 'qwen3', vocab_size: 23, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4,
  num_key_value_heads: 2, head_dim: 8, rms_norm_eps: 1e-6, rope_theta: 1e6, max_position_embeddings: 32, tie_word_embeddings: true,
};

beforeAll(async () => {
  await initBackend('cpu');
});

describe('Qwen3 config and parameters', () => {
  it('Qwen3-0.6B: head_dim 128 (q is 2048 wide on a 1024 stream), q/k norms per layer, 596,049,920 parameters', () => {
    const d = modelDims(parseModelConfig(qwen3_06b));
    expect(d).toMatchObject({ family: 'llama', hidden: 1024, heads: 16, kvHeads: 8, headDim: 128, intermediate: 3072, layers: 28, ropeTheta: 1e6, normEps: 1e-6, tiedEmbeddings: true, qkvBias: false, oBias: false, qkNorm: true });
    const specs = paramSpecs(d);
    const shape = (n: string) => specs.find((s) => s.name === n)?.shape;
    expect(shape('model.layers.0.self_attn.q_proj.weight')).toEqual([2048, 1024]);
    expect(shape('model.layers.0.self_attn.k_proj.weight')).toEqual([1024, 1024]);
    expect(shape('model.layers.0.self_attn.o_proj.weight')).toEqual([1024, 2048]);
    expect(shape('model.layers.27.self_attn.q_norm.weight')).toEqual([128]);
    expect(shape('model.layers.27.self_attn.k_norm.weight')).toEqual([128]);
    expect(shape('lm_head.weight')).toBeUndefined(); // tied
    // By hand: embedding 151936·1024 = 155,582,464; per layer q 2,097,152 + k 1,048,576 + v 1,048,576 + o 2,097,152
    // + q/k norms 256 + MLP 9,437,184 + two norms 2,048 = 15,730,944, × 28 = 440,466,432; final norm 1,024.
    expect(specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0)).toBe(596_049_920);
    // PEFT's target names: the seven projections, not the norms.
    expect([...new Set(linearModules(d).map((m) => m.module.split('.').at(-1)))]).toEqual(['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']);
  });

  it("fills HF Qwen3Config's defaults (head_dim 128, 32 kv heads), reads rope_parameters, and honours attention_bias on q/k/v/o", () => {
    const d = modelDims({ ...tiny, head_dim: undefined, num_key_value_heads: undefined, num_attention_heads: 32, rope_theta: undefined, rope_parameters: { rope_type: 'default', rope_theta: 5e5 } } as unknown as LlamaConfig);
    expect([d.headDim, d.kvHeads, d.ropeTheta]).toEqual([128, 32, 5e5]);
    const biased = modelDims({ ...tiny, attention_bias: true });
    expect([biased.qkvBias, biased.oBias]).toEqual([true, true]);
    const names = paramSpecs(biased).map((s) => s.name);
    expect(names).toContain('model.layers.0.self_attn.o_proj.bias');
    expect(names.slice(1, 12)).toEqual([
      'model.layers.0.input_layernorm.weight', 'model.layers.0.self_attn.q_proj.weight', 'model.layers.0.self_attn.q_proj.bias',
      'model.layers.0.self_attn.k_proj.weight', 'model.layers.0.self_attn.k_proj.bias', 'model.layers.0.self_attn.v_proj.weight',
      'model.layers.0.self_attn.v_proj.bias', 'model.layers.0.self_attn.o_proj.weight', 'model.layers.0.self_attn.o_proj.bias',
      'model.layers.0.self_attn.q_norm.weight', 'model.layers.0.self_attn.k_norm.weight',
    ]);
    expect(modelDims({ ...tiny, tie_word_embeddings: undefined }).tiedEmbeddings).toBe(false); // Qwen3Config's default
  });

  it('refuses, by name, the variants TuneLab does not run', () => {
    const refuse = (patch: object, message: RegExp) => {
      expect(() => parseModelConfig({ ...qwen3_06b, ...patch })).toThrow(UnsupportedArchitectureError);
      expect(() => parseModelConfig({ ...qwen3_06b, ...patch })).toThrow(message);
    };
    refuse({ model_type: 'qwen3_moe', architectures: ['Qwen3MoeForCausalLM'], num_experts: 128 }, /Qwen3MoeForCausalLM .*mixture-of-experts/);
    refuse({ use_sliding_window: true, sliding_window: 4096 }, /use_sliding_window: true/);
    refuse({ rope_scaling: { rope_type: 'yarn', factor: 4, original_max_position_embeddings: 32768 } }, /rope_scaling .*yarn/);
    refuse({ rope_parameters: { rope_type: 'yarn', factor: 4, rope_theta: 1e6 } }, /rope_parameters .*"yarn"/);
    refuse({ quantization_config: { quant_method: 'fp8' } }, /quantized/);
    refuse({ architectures: ['Qwen3ForSequenceClassification'] }, /Qwen3ForSequenceClassification/);
    // Declared but unused (HF sets sliding_window to None unless use_sliding_window): accepted.
    expect(() => parseModelConfig({ ...qwen3_06b, sliding_window: 32768, max_window_layers: 28 })).not.toThrow();
  });
});

describe('Qwen3 decoding with the KV cache', () => {
  it('prefill + one token at a time gives the logits of the full forward pass (q/k norms cached after rotary)', async () => {
    const model = createModel(tiny, { seed: 5 });
    // Non-trivial q/k norm weights, so that a cache holding un-normalised keys would show.
    const norms = new Map(model.namedVariables().filter(([n]) => /[qk]_norm/.test(n)).map(([n, v], i) => [n, { shape: [...v.shape], data: Float32Array.from({ length: v.size }, (_, j) => 0.5 + ((i * 7 + j * 3) % 11) / 10) }]));
    model.assignWeights(norms);
    const ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    const before = tf.memory().numTensors;
    const fullIds = tf.tensor2d([ids], [1, ids.length], 'int32');
    const full = model.forward(fullIds);
    const want = (await full.data()) as Float32Array;
    tf.dispose([fullIds, full]);
    const cache = new KvCache(model.dims.layers);
    const got: number[] = [];
    for (const chunk of [ids.slice(0, 4), ...ids.slice(4).map((i) => [i])]) {
      const input = tf.tensor2d([chunk], [1, chunk.length], 'int32');
      const out = model.forward(input, { cache });
      got.push(...((await out.data()) as Float32Array));
      tf.dispose([input, out]);
    }
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - want[i]));
      scale = Math.max(scale, Math.abs(want[i]));
    }
    expect(got.length).toBe(want.length);
    expect(scale).toBeGreaterThan(0.1);
    expect(worst / scale).toBeLessThan(1e-5);
    model.dispose();
  });
});

describe('Qwen3 memory estimate', () => {
  it('Qwen3-0.6B: weights count the q/k norms, activations count q at H·head_dim = 2048 wide and the normalised q and k', async () => {
    const { estimateTrainMemory } = await import('../train/memory');
    const { checkGpuFit } = await import('../hub/memory-fit');
    const config = parseModelConfig(qwen3_06b);
    const full = estimateTrainMemory(config, { method: 'full', batchSize: 1, maxSeqLen: 256 });
    expect(full.weights).toBe(4 * 596_049_920);
    // By hand (activation-memory.ts, a Llama-shaped block at its real widths plus the q/k norms), floats per token per
    // layer: 13.5·1024 + 7·3072 (MLP) + 19·2048 (q: 16 heads × 128) + 19·1024 (k, v: 8 heads × 128) + 2·(2048 + 1024)
    // (normalised q and k, and their gradients) = 99,840; 4·1024 around the blocks; logits and their gradient 2·151,936.
    expect(full.activations).toBe(4 * 256 * (28 * 99_840 + 4 * 1024 + 2 * 151_936));
    // The same shapes read as Llama (no q/k norms, head_dim 1024/16 = 64) come out smaller: head_dim is counted.
    const asLlama = estimateTrainMemory({ ...config, model_type: 'llama', head_dim: 64 } as LlamaConfig, { method: 'full', batchSize: 1, maxSeqLen: 256 });
    expect(full.activations - asLlama.activations).toBe(4 * 28 * 256 * (19 * (2048 - 1024) + 19 * (1024 - 512) + 2 * (2048 + 1024)));
    const lora = estimateTrainMemory(config, { method: 'lora', batchSize: 1, maxSeqLen: 256, lora: { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['q_proj', 'v_proj'] } });
    expect(lora.trainableParams).toBe(28 * 8 * (1024 + 2048 + 1024 + 1024));
    // A 128 MiB binding: the 594 MiB tied embedding splits into row chunks; q_proj [2048, 1024] is one 8 MiB buffer.
    const fit = checkGpuFit(config, { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 }, { batchSize: 1, maxSeqLen: 128 });
    expect(fit.reasons).toEqual([]);
    expect(fit.largestBuffer.what).toMatch(/^weight model.embed_tokens.weight \[151936, 1024\] float32, split into row chunks of \d+$/);
  });
});
