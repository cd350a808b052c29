// Trainer behaviour on a tiny GPT-2: loss falls, same seed → same run, accumulation = big batch, NaN guard, resume, no leaks.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../backend/tf';
import { initBackend } from '../backend/init';
import { createModel } from '../models/causal-lm';
import type { Gpt2Config } from '../models/config';
import type { TokenizedExample } from '../data/example';
import { NonFiniteLossError } from '../errors';
import { createTrainer } from './trainer';
import { checkpointFromBytes, checkpointToBytes } from './checkpoint';
import type { TrainOptions } from './options';

const config: Gpt2Config = { model_type: 'gpt2', vocab_size: 17, n_positions: 24, n_embd: 16, n_layer: 2, n_head: 2, layer_norm_epsilon: 1e-5 };

function examples(count: number): TokenizedExample[] {
  const out: TokenizedExample[] = [];
  for (let i = 0; i < count; i++) {
    const len = 5 + (i % 4);
    const ids = Array.from({ length: len }, (_, t) => (i * 3 + t * 5) % 17);
    out.push({ id: `e${i}`, ids, weights: ids.map((_, t) => (t >= 2 ? 1 : 0)) });
  }
  return out;
}

const options: TrainOptions = {
  method: 'lora',
  lora: { r: 4, lora_alpha: 8, lora_dropout: 0.1, target_modules: ['c_attn', 'c_proj', 'c_fc'] },
  lr: 1e-2,
  weightDecay: 0.01,
  betas: [0.9, 0.999],
  eps: 1e-8,
  warmupSteps: 2,
  schedule: 'cosine',
  maxSteps: 20,
  batchSize: 3,
  gradAccumSteps: 1,
  maxGradNorm: 1,
  seed: 7,
  maxSeqLen: 16,
};

async function losses(opts: TrainOptions, steps: number): Promise<number[]> {
  const model = createModel(config, { seed: 1 });
  const trainer = createTrainer(model, examples(10), opts);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push((await trainer.step()).loss);
  trainer.dispose();
  model.dispose();
  return out;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('trainer', () => {
  it('lowers the loss and is reproducible for a seed', async () => {
    const a = await losses(options, 12);
    const b = await losses(options, 12);
    expect(a).toEqual(b);
    expect(a[11]).toBeLessThan(a[0]);
    const c = await losses({ ...options, seed: 8 }, 12);
    expect(c).not.toEqual(a);
  });

  it('full fine-tuning trains every weight', async () => {
    const a = await losses({ ...options, method: 'full', lr: 3e-3 }, 8);
    expect(a[7]).toBeLessThan(a[0]);
  });

  it('gradient accumulation of 2×3 equals one batch of 6', async () => {
    const noDropout = { ...options, lora: { ...options.lora!, lora_dropout: 0 } };
    const big = await losses({ ...noDropout, batchSize: 6 }, 4);
    const accumulated = await losses({ ...noDropout, batchSize: 3, gradAccumSteps: 2 }, 4);
    for (let i = 0; i < 4; i++) expect(accumulated[i]).toBeCloseTo(big[i], 5);
  });

  it('raises NonFiniteLossError before touching weights', async () => {
    const model = createModel(config, { seed: 1 });
    const trainer = createTrainer(model, examples(4), { ...options, lora: { ...options.lora!, lora_dropout: 0 } });
    await trainer.step();
    const before = trainer.adapterWeights();
    const wte = model.namedVariables().find(([n]) => n === 'transformer.wte.weight')![1];
    const saved = wte.clone();
    wte.assign(tf.fill(wte.shape, NaN));
    await expect(trainer.step()).rejects.toBeInstanceOf(NonFiniteLossError);
    const after = trainer.adapterWeights();
    for (const [name, w] of before) expect(Array.from(after.get(name)!.data)).toEqual(Array.from(w.data));
    expect(trainer.stepCount).toBe(1);
    wte.assign(saved);
    saved.dispose();
    trainer.dispose();
    model.dispose();
  });

  it('resumes from checkpoint bytes with the same losses', async () => {
    const straight = await losses(options, 10);
    const model = createModel(config, { seed: 1 });
    const first = createTrainer(model, examples(10), options);
    const resumed: number[] = [];
    for (let i = 0; i < 5; i++) resumed.push((await first.step()).loss);
    const bytes = checkpointToBytes(await first.checkpoint());
    first.dispose();
    const second = createTrainer(model, examples(10), options, checkpointFromBytes(bytes));
    for (let i = 0; i < 5; i++) resumed.push((await second.step()).loss);
    second.dispose();
    model.dispose();
    expect(resumed).toEqual(straight);
  });

  it('leaks no tensors across step, evaluate and checkpoint', async () => {
    const model = createModel(config, { seed: 1 });
    const trainer = createTrainer(model, examples(6), options);
    await trainer.step();
    const before = tf.memory().numTensors;
    await trainer.step();
    await trainer.evaluate(examples(5));
    await trainer.checkpoint();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    model.dispose();
  });

  it('an example stream gets (step, micro) and trains like the same examples given as a dataset', async () => {
    const full = { ...options, method: 'full' as const, lr: 3e-3, maxSteps: 6 };
    // A dataset of exactly one batch: every step sees all of it (in a shuffled order the mean loss ignores).
    const fixed = examples(3);
    const run = async (data: Parameters<typeof createTrainer>[1]) => {
      const model = createModel(config, { seed: 1 });
      const trainer = createTrainer(model, data, { ...full, batchSize: 3 });
      const out: number[] = [];
      for (let i = 0; i < 5; i++) out.push((await trainer.step()).loss);
      trainer.dispose();
      model.dispose();
      return out;
    };
    const calls: string[] = [];
    const streamed = await run({ stream: (step, micro) => (calls.push(`${step}.${micro}`), fixed) });
    const dataset = await run(fixed);
    for (let i = 0; i < 5; i++) expect(streamed[i]).toBeCloseTo(dataset[i], 5);
    expect(calls).toEqual(['0.0', '1.0', '2.0', '3.0', '4.0']);
  });

  it('a stream resumed from a checkpoint continues at the right step with the same losses', async () => {
    const full = { ...options, method: 'full' as const, lr: 3e-3, gradAccumSteps: 2 };
    const pool = examples(40);
    const data = { stream: (step: number, micro: number) => pool.slice((step * 2 + micro) * 3 % 36, ((step * 2 + micro) * 3 % 36) + 3) };
    const straightModel = createModel(config, { seed: 1 });
    const straight = createTrainer(straightModel, data, full);
    const expected: number[] = [];
    for (let i = 0; i < 6; i++) expected.push((await straight.step()).loss);
    straight.dispose();
    straightModel.dispose();
    const model = createModel(config, { seed: 1 });
    const first = createTrainer(model, data, full);
    const resumed: number[] = [];
    for (let i = 0; i < 3; i++) resumed.push((await first.step()).loss);
    const bytes = checkpointToBytes(await first.checkpoint());
    first.dispose();
    model.dispose();
    const fresh = createModel(config, { seed: 99 });
    const second = createTrainer(fresh, data, full, checkpointFromBytes(bytes));
    for (let i = 0; i < 3; i++) resumed.push((await second.step()).loss);
    second.dispose();
    fresh.dispose();
    expect(resumed).toEqual(expected);
  });
});
