// The page's memory estimate is the engine's: an f16 base under LoRA holds 2 bytes per linear weight instead of 4, full fine-tuning always 4.
import { describe, expect, it } from 'vitest';
import type { TinyModelSpec } from '../../contract';
import { estimateTraining } from './estimate';
import { defaultHyperparameters } from './hyperparameters';
import type { Gpt2Config, LlamaConfig } from '../../engine/models/config';
import { estimateTrainMemory } from '../../engine/train/memory';
import { trainOptionsOf } from '../../engine/train/settings';

const spec: TinyModelSpec = { kind: 'tiny-gpt2', name: 'test', n_embd: 32, n_layer: 2, n_head: 2, n_positions: 32, initSeed: 0 };

describe('estimateTraining', () => {
  it('holds 2 bytes per linear weight instead of 4 (12·d² per GPT-2 layer) for an f16 base, only under LoRA', () => {
    const hyper = defaultHyperparameters();
    const f16 = estimateTraining(spec, 40, { ...hyper, baseWeights: 'f16' }, null).memoryBytes;
    const f32 = estimateTraining(spec, 40, { ...hyper, baseWeights: 'f32' }, null).memoryBytes;
    expect(f32 - f16).toBe(2 * 2 * 12 * 32 * 32);
    const fullF16 = estimateTraining(spec, 40, { ...hyper, method: 'full', baseWeights: 'f16' }, null).memoryBytes;
    const fullF32 = estimateTraining(spec, 40, { ...hyper, method: 'full', baseWeights: 'f32' }, null).memoryBytes;
    expect(fullF16).toBe(fullF32);
  });
});

describe('estimateTraining agrees with the engine (train/memory.ts, checked against measured peaks)', () => {
  const lora = { r: 8, alpha: 16, dropout: 0.1, targetModules: ['q_proj', 'v_proj', 'c_attn', 'c_proj'] };
  const llamaConfig: LlamaConfig = {
    model_type: 'llama', vocab_size: 500, hidden_size: 64, intermediate_size: 176, num_hidden_layers: 3, num_attention_heads: 4,
    num_key_value_heads: 2, rms_norm_eps: 1e-5, max_position_embeddings: 128, tie_word_embeddings: false,
  };
  const llamaSpec: TinyModelSpec = {
    kind: 'loaded', name: 'llama', modelType: 'llama', n_embd: 64, n_layer: 3, n_head: 4, n_positions: 128, initSeed: 0, vocabSize: 500,
    numParams: 500 * 64 * 2 + 3 * (64 * 64 + 2 * 64 * 32 + 64 * 64 + 3 * 64 * 176 + 2 * 64) + 64,
    linearModules: [
      { name: 'q_proj', inFeatures: 64, outFeatures: 64 }, { name: 'k_proj', inFeatures: 64, outFeatures: 32 }, { name: 'v_proj', inFeatures: 64, outFeatures: 32 },
      { name: 'o_proj', inFeatures: 64, outFeatures: 64 }, { name: 'gate_proj', inFeatures: 64, outFeatures: 176 }, { name: 'up_proj', inFeatures: 64, outFeatures: 176 },
      { name: 'down_proj', inFeatures: 176, outFeatures: 64 },
    ],
  };
  const gpt2Config: Gpt2Config = { model_type: 'gpt2', vocab_size: 40, n_positions: 32, n_embd: 32, n_layer: 2, n_head: 2, layer_norm_epsilon: 1e-5 };
  it.each([
    ['a loaded Llama', llamaSpec, 500, llamaConfig, 128],
    ['a tiny GPT-2', spec, 40, gpt2Config, 32],
  ] as const)('%s: same bytes for LoRA f16/f32, full, with and without checkpointing', (_, s, vocab, config, seq) => {
    const hyper = { ...defaultHyperparameters(), lora, batchSize: 3 };
    for (const h of [hyper, { ...hyper, baseWeights: 'f32' as const }, { ...hyper, method: 'full' as const }, { ...hyper, gradientCheckpointing: true }]) {
      const page = estimateTraining(s, vocab, h, null);
      const engine = estimateTrainMemory(config, { ...trainOptionsOf(h, seq) });
      expect(page.memoryBytes).toBe(engine.total);
    }
    expect(estimateTraining(s, vocab, { ...hyper, gradientCheckpointing: true }, null).memoryBytes).toBe(estimateTraining(s, vocab, hyper, null).memoryBytesOtherCheckpointing);
  });
});
