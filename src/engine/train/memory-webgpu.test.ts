// The memory estimate against the peak GPU bytes measured by tfjs's buffer manager in real steps (Node, Dawn): within ±25%.
import { beforeAll, describe, expect, it } from 'vitest';
import { dawnAvailable, useDawnWebGPU } from '../backend/kernels/dawn-webgpu';
import { deviceMemoryMeter } from '../backend/memory-meter';
import type { ModelConfig } from '../models/config';
import type { GoldenFixture } from './golden-check';
import { runCheckpointingChecks } from './checkpointing-check';
import { measureTraining } from './memory-check';
import type { TrainOptions } from './options';
import llamaFixture from '../models/fixtures/llama.json';
import gpt2Fixture from '../models/fixtures/gpt2.json';

const llama = (layers: number): ModelConfig => ({
  model_type: 'llama', vocab_size: 512, hidden_size: 64, intermediate_size: 176, num_hidden_layers: layers, num_attention_heads: 4,
  num_key_value_heads: 2, rms_norm_eps: 1e-5, max_position_embeddings: 256, tie_word_embeddings: false,
});
const gpt2: ModelConfig = { model_type: 'gpt2', vocab_size: 384, n_positions: 256, n_embd: 96, n_layer: 3, n_head: 4, layer_norm_epsilon: 1e-5 };

const base: TrainOptions = {
  method: 'lora', lora: { r: 8, lora_alpha: 16, lora_dropout: 0.1, target_modules: ['q_proj', 'v_proj', 'c_attn', 'c_fc'] },
  lr: 1e-3, weightDecay: 0, betas: [0.9, 0.999], eps: 1e-8, warmupSteps: 0, schedule: 'constant', maxSteps: 10,
  batchSize: 4, gradAccumSteps: 1, maxGradNorm: 1, seed: 1, maxSeqLen: 96,
};

describe.skipIf(!dawnAvailable)('GPU memory on WebGPU (Dawn): measured peak vs the estimate', () => {
  beforeAll(async () => {
    await useDawnWebGPU();
  });

  it('every buffer goes through tfjs\'s buffer manager, which the meter reads', () => {
    const meter = deviceMemoryMeter();
    expect(meter).not.toBeNull();
    expect(meter!.read().unmanagedBytes).toBe(0);
  });

  it('releases tfjs\'s pool of free buffers on request, and tracks the largest buffer', async () => {
    const { tf } = await import('../backend/tf');
    const meter = deviceMemoryMeter()!;
    meter.resetPeak();
    const t = tf.add(tf.ones([1000, 257]), 1); // 1,028,000 bytes, and its input's
    await t.data();
    expect(meter.read().largestBufferBytes).toBeGreaterThanOrEqual(4 * 1000 * 257);
    t.dispose();
    const pooled = meter.read().allocatedBytes - meter.read().liveBytes;
    expect(pooled).toBeGreaterThanOrEqual(4 * 1000 * 257);
    const released = meter.releaseFreeBuffers();
    expect(released).toBe(pooled);
    expect(meter.read().allocatedBytes).toBe(meter.read().liveBytes);
    const again = tf.add(tf.ones([1000, 257]), 2); // buffers of the released sizes are made anew
    expect((await again.data())[0]).toBe(3);
    again.dispose();
  });

  it.each([
    ['Llama, LoRA, f32 base', llama(4), {}],
    ['Llama, LoRA, f16 base', llama(4), { baseWeights: 'f16' }],
    ['Llama, full fine-tuning', llama(4), { method: 'full' }],
    ['Llama, LoRA, checkpointing, no dropout', llama(4), { gradientCheckpointing: true, lora: { ...base.lora!, lora_dropout: 0 } }],
    ['GPT-2, LoRA, batch 2 × 256', gpt2, { batchSize: 2, maxSeqLen: 256 }],
    ['GPT-2, full fine-tuning, checkpointing', gpt2, { method: 'full', gradientCheckpointing: true, batchSize: 2 }],
  ] as [string, ModelConfig, Partial<TrainOptions>][])('%s: estimate within 25 percent of the measured peak', { timeout: 300_000 }, async (name, config, opts) => {
    const run = await measureTraining(config, { ...base, ...opts });
    console.log(`${name}: estimate ${(run.estimate.total / 2 ** 20).toFixed(2)} MiB, measured peak ${(run.peakBytes / 2 ** 20).toFixed(2)} MiB, ratio ${run.ratio.toFixed(3)}`);
    expect(run.ratio).toBeGreaterThanOrEqual(0.75);
    expect(run.ratio).toBeLessThanOrEqual(1.25);
    expect(run.stepPeakBytes).toBeGreaterThanOrEqual(run.peakBytes); // the step's own figure counts all that is alive
    expect(deviceMemoryMeter()!.read().unmanagedBytes).toBe(0);
  });

  it('checkpointing lowers the measured peak of a deeper model, as the estimate says', { timeout: 300_000 }, async () => {
    const plain = await measureTraining(llama(6), base, 1);
    const ckpt = await measureTraining(llama(6), { ...base, gradientCheckpointing: true }, 1);
    console.log(`6 layers: peak ${(plain.peakBytes / 2 ** 20).toFixed(2)} MiB plain, ${(ckpt.peakBytes / 2 ** 20).toFixed(2)} MiB checkpointed (estimates ${(plain.estimate.total / 2 ** 20).toFixed(2)} / ${(ckpt.estimate.total / 2 ** 20).toFixed(2)})`);
    expect(ckpt.peakBytes).toBeLessThan(0.6 * plain.peakBytes);
    expect(ckpt.estimate.total).toBeLessThan(0.6 * plain.estimate.total);
  });

  it.each([llamaFixture, gpt2Fixture] as unknown as GoldenFixture[])('$name: checkpointed gradients through the fused kernels equal PyTorch and the plain pass', { timeout: 300_000 }, async (fixture) => {
    const r = await runCheckpointingChecks(fixture);
    expect(r.loraVsFixture).toBeLessThanOrEqual(1e-4);
    expect(r.loraDropoutVsPlain).toBeLessThanOrEqual(1e-5);
    expect(r.fullVsReference).toBeLessThanOrEqual(1e-4);
    expect(r.leakedTensors).toBe(0);
  });
});
