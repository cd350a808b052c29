// Gradient-ascent unlearning: one step moves every weight exactly opposite to the descent step and raises the loss on its examples.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { createModel } from '../models/causal-lm';
import type { Gpt2Config } from '../models/config';
import type { TokenizedExample } from '../data/example';
import { createTrainer } from './trainer';
import type { TrainOptions } from './options';
import { trainOptionsOf, type TrainHyperparameters } from './settings';

const config: Gpt2Config = { model_type: 'gpt2', vocab_size: 17, n_positions: 24, n_embd: 16, n_layer: 2, n_head: 2, layer_norm_epsilon: 1e-5 };

const forgotten: TokenizedExample[] = Array.from({ length: 4 }, (_, i) => {
  const ids = Array.from({ length: 7 }, (_, t) => (i * 5 + t * 3) % 17);
  return { id: `f${i}`, ids, weights: ids.map((_, t) => (t >= 2 ? 1 : 0)) };
});

// Full fine-tuning (every weight moves at step 1), no clipping, no decay, constant lr, one batch = all four records.
const options: TrainOptions = {
  method: 'full',
  lr: 1e-3,
  weightDecay: 0,
  betas: [0.9, 0.999],
  eps: 1e-8,
  warmupSteps: 0,
  schedule: 'constant',
  maxSteps: 3,
  batchSize: 4,
  gradAccumSteps: 1,
  maxGradNorm: 0,
  seed: 3,
  maxSeqLen: 16,
};

/** One step from the same seeded base: the loss it reported, the loss on the records before/after, and each weight's change. */
async function oneStep(gradientAscent: boolean) {
  const model = createModel(config, { seed: 1 });
  const trainer = createTrainer(model, forgotten, { ...options, gradientAscent });
  const before = (await trainer.evaluate(forgotten)).loss;
  const w0 = trainer.adapterWeights();
  const reported = (await trainer.step()).loss;
  const after = (await trainer.evaluate(forgotten)).loss;
  const w1 = trainer.adapterWeights();
  const delta = new Map([...w0].map(([name, w]) => [name, Float64Array.from(w.data, (x, i) => w1.get(name)!.data[i] - x)]));
  trainer.dispose();
  model.dispose();
  return { before, after, reported, delta };
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('gradient-ascent unlearning', () => {
  it('the settings turn it on only when asked', () => {
    const hyper = { method: 'full', steps: 3, batchSize: 4, learningRate: 1e-3, warmupSteps: 0, schedule: 'constant', weightDecay: 0, gradClip: 0, gradAccumulation: 1, lora: { r: 4, alpha: 8, dropout: 0, targetModules: [] }, seed: 1, checkpointEvery: 3, evalEvery: 3 } satisfies TrainHyperparameters;
    expect(trainOptionsOf(hyper, 16).gradientAscent).toBeUndefined();
    expect(trainOptionsOf({ ...hyper, gradientAscent: true }, 16).gradientAscent).toBe(true);
  });

  it('moves each weight opposite to descent and raises the loss on the forgotten records', async () => {
    const descent = await oneStep(false);
    const ascent = await oneStep(true);
    // Both report the cross-entropy of the batch before the update (the same records, the same weights).
    expect(ascent.reported).toBeCloseTo(descent.reported, 6);
    expect(ascent.before).toBeCloseTo(descent.before, 6);
    // AdamW's first step is −lr·g/(|g|+ε) per weight: negating the loss negates the step exactly.
    let moved = 0;
    for (const [name, d] of descent.delta) {
      const a = ascent.delta.get(name)!;
      for (let i = 0; i < d.length; i++) {
        expect(a[i]).toBeCloseTo(-d[i], 6);
        if (Math.abs(d[i]) > 1e-5) moved++;
      }
    }
    expect(moved).toBeGreaterThan(100);
    // A small step along the ascent direction raises the loss (finite difference), descent lowers it.
    expect(ascent.after).toBeGreaterThan(ascent.before + 1e-4);
    expect(descent.after).toBeLessThan(descent.before - 1e-4);
  });
});
