// The loss over row chunks of logits through the fused kernels on WebGPU (Node, Dawn): float64 checks, a LoRA step that binds
// no buffer over a small artificial limit, and a random-weight model with Qwen3's 151,936-token vocabulary whose loss is ≈ ln V.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setBufferLimitOverride } from '../backend/buffer-limit';
import { dawnAvailable, useDawnWebGPU } from '../backend/kernels/dawn-webgpu';
import { useFusedKernels } from '../backend/kernels/webgpu-backend';
import { deviceMemoryMeter } from '../backend/memory-meter';
import { tf } from '../backend/tf';
import { makeBatch } from '../train/batch';
import { fullRows } from '../train/memory-check';
import { defaultTrainOptions, type TrainOptions } from '../train/options';
import { createTrainer } from '../train/trainer';
import { createModel } from './causal-lm';
import type { ModelConfig } from './config';
import { headLossChecks } from './head-loss-check';
import { lossRowChunks } from './head-loss';

const qwen3 = (vocab: number, hidden: number, layers: number): ModelConfig => ({
  model_type: 'qwen3', vocab_size: vocab, hidden_size: hidden, intermediate_size: 2 * hidden, num_hidden_layers: layers, num_attention_heads: 2,
  num_key_value_heads: 1, head_dim: hidden / 2, rms_norm_eps: 1e-6, rope_theta: 1e6, max_position_embeddings: 64, tie_word_embeddings: true,
});

/** LoRA on every linear module, the f16 base and gradient checkpointing: the real-shape bench's Qwen3 setting. */
const options = (batchSize: number, maxSeqLen: number): TrainOptions => ({
  ...defaultTrainOptions,
  method: 'lora',
  lora: { r: 4, lora_alpha: 8, lora_dropout: 0, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] },
  lr: 1e-2,
  batchSize,
  maxSeqLen,
  maxSteps: 10,
  baseWeights: 'f16',
  gradientCheckpointing: true,
});

afterEach(() => setBufferLimitOverride(null));

describe.skipIf(!dawnAvailable)('loss over row chunks of logits on WebGPU (Dawn)', () => {
  beforeAll(useDawnWebGPU, 120_000);

  it('fused kernels: loss, hits and gradients into x and the head equal the float64 reference, in one chunk or several', { timeout: 300_000 }, async () => {
    expect(useFusedKernels()).toBe(true);
    const before = tf.memory().numTensors;
    const checks = await headLossChecks();
    for (const c of checks) console.log(`${c.error.toExponential(2)}  ${c.what}`);
    for (const c of checks) expect(c.error, c.what).toBeLessThan(2e-5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a LoRA step under a 256 KiB buffer limit binds no larger buffer, and trains as the unlimited one', { timeout: 300_000 }, async () => {
    // Vocabulary 6,007 (the cross-entropy's row-per-workgroup path), batch 2 × 23 positions (rows of 24 tokens): logits
    // [46, 6007] are 1.05 MiB, the tied table 0.73 MiB; under 256 KiB they become 5 row chunks of logits and 3 of the table.
    const config = qwen3(6007, 32, 2);
    const limit = 256 * 1024;
    expect(lossRowChunks(46, 6007, limit)).toEqual([10, 9, 9, 9, 9]);
    const meter = deviceMemoryMeter()!;
    const runs: { losses: number[]; norms: number[]; largest: number[]; tables: number }[] = [];
    for (const override of [null, limit]) {
      setBufferLimitOverride(override);
      const model = createModel(config, { seed: 4 });
      const trainer = createTrainer(model, fullRows(4, 24, 6007), options(2, 24));
      const run = { losses: [] as number[], norms: [] as number[], largest: [] as number[], tables: model.splitTables.size };
      try {
        await trainer.ready;
        for (let i = 0; i < 2; i++) {
          const s = await trainer.step(); // the step resets the meter's peak and largest buffer as it starts
          run.losses.push(s.loss);
          run.norms.push(s.gradNorm);
          run.largest.push(meter.read().largestBufferBytes);
        }
      } finally {
        trainer.dispose();
        model.dispose();
      }
      runs.push(run);
    }
    const [whole, chunked] = runs;
    console.log(`largest buffer per step: unlimited ${whole.largest}, limited ${chunked.largest}; losses ${whole.losses} / ${chunked.losses}`);
    expect(whole.tables).toBe(0);
    expect(chunked.tables).toBe(1);
    expect(Math.max(...whole.largest)).toBeGreaterThanOrEqual(4 * 46 * 6007); // the whole logits, so the bound below is not vacuous
    expect(Math.max(...chunked.largest)).toBeLessThanOrEqual(limit);
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(chunked.losses[i] - whole.losses[i]) / whole.losses[i]).toBeLessThan(1e-5);
      expect(Math.abs(chunked.norms[i] - whole.norms[i]) / whole.norms[i]).toBeLessThan(1e-4);
    }
    expect(chunked.losses[1]).toBeLessThan(chunked.losses[0]);
  });

  it("a random-weight model with Qwen3's 151,936-token vocabulary starts at loss ≈ ln V, as float64 from its logits says", { timeout: 300_000 }, async () => {
    // The real-shape bench's Qwen3 step once reported 0.112 here. Tied table in 5 row chunks of 32,768 and logits
    // [16, 151936] (9.3 MiB) in 2 row chunks under an 8 MiB limit, as the real shape on a 128 MiB GPU.
    const V = 151936;
    setBufferLimitOverride(8 * 2 ** 20);
    expect(lossRowChunks(16, V, 8 * 2 ** 20)).toEqual([8, 8]);
    const model = createModel(qwen3(V, 64, 1), { seed: 1 });
    const rows = fullRows(1, 16, V).map((e) => ({ ...e, ids: e.ids.map((_, t) => (t * 104729 + 7) % V) }));
    const trainer = createTrainer(model, rows, options(1, 16));
    try {
      await trainer.ready; // the f16 base is in place; the adapter's B is 0, so the base alone gives the logits
      const batch = makeBatch(rows, 16);
      const logitsT = model.logits(batch.inputs, batch.batch, batch.seq);
      const logits = (await logitsT.data()) as Float32Array;
      logitsT.dispose();
      let nll = 0;
      for (let n = 0; n < batch.seq; n++) {
        let max = -Infinity;
        for (let v = 0; v < V; v++) max = Math.max(max, logits[n * V + v]);
        let sum = 0;
        for (let v = 0; v < V; v++) sum += Math.exp(logits[n * V + v] - max);
        nll += batch.weights[n] * (max + Math.log(sum) - logits[n * V + batch.targets[n]]);
      }
      const reference = nll / batch.weightSum;
      const { loss } = await trainer.step();
      console.log(`V ${V}: step loss ${loss}, float64 from the logits ${reference}, ln V ${Math.log(V)}`);
      expect(Math.abs(loss - Math.log(V))).toBeLessThan(0.05);
      expect(Math.abs(loss - reference) / reference).toBeLessThan(1e-5);
    } finally {
      trainer.dispose();
      model.dispose();
    }
  });
});
