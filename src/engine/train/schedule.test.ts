// Learning-rate schedules (hand-computed values) and the training memory estimate's arithmetic.
import { describe, expect, it } from 'vitest';
import { learningRateAt } from './schedule';
import { estimateTrainMemory } from './memory';

describe('learning-rate schedules', () => {
  const base = { lr: 1, warmupSteps: 2, maxSteps: 6 };
  it("warms up as Hugging Face's schedulers do: step c of a w-step warmup has rate c/w, so the first is 0", () => {
    expect([0, 1, 2, 5].map((s) => learningRateAt({ ...base, schedule: 'constant' }, s))).toEqual([0, 0.5, 1, 1]);
    expect([0, 1].map((s) => learningRateAt({ ...base, schedule: 'cosine' }, s))).toEqual([0, 0.5]);
  });
  it('decays linearly and by cosine over the steps after warmup', () => {
    expect([2, 3, 4, 5].map((s) => learningRateAt({ ...base, schedule: 'linear' }, s))).toEqual([1, 0.75, 0.5, 0.25]);
    const cosine = [2, 3, 4, 5].map((s) => learningRateAt({ ...base, schedule: 'cosine' }, s));
    [1, 0.5 * (1 + Math.cos(Math.PI / 4)), 0.5, 0.5 * (1 + Math.cos((3 * Math.PI) / 4))].forEach((want, i) => expect(cosine[i]).toBeCloseTo(want, 12));
  });
});

describe('estimateTrainMemory', () => {
  const config = { model_type: 'gpt2' as const, vocab_size: 100, n_positions: 32, n_embd: 16, n_layer: 2, n_head: 2, layer_norm_epsilon: 1e-5 };
  it('counts LoRA parameters as r·(in + out) per targeted module', () => {
    const m = estimateTrainMemory(config, { method: 'lora', lora: { r: 4, lora_alpha: 8, lora_dropout: 0, target_modules: ['c_attn'] } });
    expect(m.trainableParams).toBe(2 * 4 * (16 + 48));
    expect(m.optimizer).toBe(2 * m.trainableParams * 4);
    expect(m.total).toBe(m.weights + m.gradients + m.optimizer + m.activations);
  });
  it('full fine-tuning trains every parameter', () => {
    const params = 100 * 16 + 32 * 16 + 2 * (4 * 16 + 16 * 48 + 48 + 16 * 16 + 16 + 16 * 64 + 64 + 64 * 16 + 16) + 2 * 16;
    const m = estimateTrainMemory(config, { method: 'full' });
    expect(m.trainableParams).toBe(params);
    expect(m.weights).toBe(params * 4);
  });
  it('an f16 base under LoRA holds 2 bytes per linear weight instead of 4 (12·d² per GPT-2 layer)', () => {
    const lora = { r: 4, lora_alpha: 8, lora_dropout: 0, target_modules: ['c_attn'] };
    const f16 = estimateTrainMemory(config, { method: 'lora', lora, baseWeights: 'f16' });
    const f32 = estimateTrainMemory(config, { method: 'lora', lora, baseWeights: 'f32' });
    expect(f32.weights - f16.weights).toBe(2 * 2 * 12 * 16 * 16);
    expect(f32.total - f16.total).toBe(2 * 2 * 12 * 16 * 16);
  });
});
