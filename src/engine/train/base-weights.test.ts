// The f16 base option: on the CPU backend (rounded f32 weights) a LoRA run equals the run on a hand-rounded base, exactly.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { ModelConfigError } from '../errors';
import { createModel } from '../models/causal-lm';
import { BASE_CHECK_CONFIG, BASE_CHECK_OPTIONS, runOnBase, tensorDelta } from './base-weights-check';
import { createTrainer } from './trainer';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('f16 base weights (CPU backend)', () => {
  it('train and evaluate exactly like f32 training on weights rounded to f16 by hand, and differ from the f32 base', async () => {
    const half = await runOnBase('f16', false);
    const byHand = await runOnBase('f32', true);
    const exact = await runOnBase('f32', false);
    expect(half.losses).toEqual(byHand.losses);
    expect(half.evalLoss).toBe(byHand.evalLoss);
    expect(half.losses[0]).not.toBe(exact.losses[0]);
    expect(Math.abs(half.losses[0] - exact.losses[0])).toBeLessThan(1e-3);
    // Disposing the trainer gives the model its f32 weights back.
    expect(Array.from(half.logitsAfter)).toEqual(Array.from(exact.logitsAfter));
  });

  it('frees its f16 copies', async () => {
    expect(await tensorDelta(() => runOnBase('f16', false, 2))).toBe(0);
  });

  it('is refused for full fine-tuning, which trains the base in f32', () => {
    const model = createModel(BASE_CHECK_CONFIG, { seed: 1 });
    const examples = [{ id: 'a', ids: [1, 2, 3, 4], weights: [0, 1, 1, 1] }];
    expect(() => createTrainer(model, examples, { ...BASE_CHECK_OPTIONS, method: 'full', baseWeights: 'f16' })).toThrow(ModelConfigError);
    model.dispose();
  });
});
