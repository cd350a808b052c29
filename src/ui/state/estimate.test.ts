// The memory estimate counts the f16 copy of a LoRA run's frozen base: 2 bytes per linear weight, none for f32 or full fine-tuning.
import { describe, expect, it } from 'vitest';
import type { TinyModelSpec } from '../../storage/types';
import { estimateTraining } from './estimate';
import { defaultHyperparameters } from './hyperparameters';

const spec: TinyModelSpec = { kind: 'tiny-gpt2', name: 'test', n_embd: 32, n_layer: 2, n_head: 2, n_positions: 32, initSeed: 0 };

describe('estimateTraining', () => {
  it('adds 2 bytes per linear weight (12·d² per GPT-2 layer) for an f16 base, only under LoRA', () => {
    const hyper = defaultHyperparameters();
    const f16 = estimateTraining(spec, 40, { ...hyper, baseWeights: 'f16' }, null).memoryBytes;
    const f32 = estimateTraining(spec, 40, { ...hyper, baseWeights: 'f32' }, null).memoryBytes;
    expect(f16 - f32).toBe(2 * 2 * 12 * 32 * 32);
    const fullF16 = estimateTraining(spec, 40, { ...hyper, method: 'full', baseWeights: 'f16' }, null).memoryBytes;
    const fullF32 = estimateTraining(spec, 40, { ...hyper, method: 'full', baseWeights: 'f32' }, null).memoryBytes;
    expect(fullF16).toBe(fullF32);
  });
});
