// The one experiment → training rule gives the trainer exactly what the cell runner and the stored run record used to spell out apart.
import { describe, expect, it } from 'vitest';
import { defaultTrainOptions } from '../train/options';
import { cellHyperparameters, cellTrainOptions, GPT2_LORA_TARGETS } from './cell-training';
import { EXPERIMENT_BASE_PRECISION } from './identity';
import { FULL_FT_LR_FACTOR, saturationPreset } from './presets';
import type { CellSettings } from './types';

const settings: CellSettings = { ...saturationPreset().fixed, rank: 8, lr: 1e-3, steps: 120, batchSize: 16 };

describe('cell training settings', () => {
  it('LoRA cell: alpha 2r on the GPT-2 targets, the lr as set, every other option the trainer default', () => {
    expect(cellTrainOptions(settings, 3, 64)).toEqual({
      ...defaultTrainOptions,
      method: 'lora',
      lora: { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['c_attn', 'c_proj', 'c_fc'] },
      lr: 1e-3,
      maxSteps: 120,
      batchSize: 16,
      seed: 3,
      maxSeqLen: 64,
    });
  });

  it('rank 0 is full fine-tuning at lr × FULL_FT_LR_FACTOR, on the f32 base, without LoRA', () => {
    const options = cellTrainOptions({ ...settings, rank: 0 }, 5, 64);
    expect(options).toEqual({ ...defaultTrainOptions, method: 'full', lr: 1e-3 * FULL_FT_LR_FACTOR, maxSteps: 120, batchSize: 16, seed: 5, maxSeqLen: 64 });
    expect(options.lora).toBeUndefined();
  });

  it('the stored run settings are the ones the trainer got', () => {
    const hyper = cellHyperparameters({ ...settings, rank: 0 }, 5);
    expect(hyper).toEqual({
      method: 'full',
      steps: 120,
      batchSize: 16,
      learningRate: 1e-3 * FULL_FT_LR_FACTOR,
      warmupSteps: 0,
      schedule: 'constant',
      weightDecay: 0,
      gradClip: 1,
      gradAccumulation: 1,
      lora: { r: 0, alpha: 0, dropout: 0, targetModules: GPT2_LORA_TARGETS },
      seed: 5,
      checkpointEvery: 120,
      evalEvery: 120,
      // Stated with the run: the experiment's identity names the precision its cells train on.
      baseWeights: EXPERIMENT_BASE_PRECISION,
    });
  });
});
