// The one converter from a run's settings to the trainer's options: every field lands under its trainer name.
import { describe, expect, it } from 'vitest';
import { loraConfigOf, trainOptionsOf, type TrainHyperparameters } from './settings';
import { validateTrainOptions } from './options';

const hyper: TrainHyperparameters = {
  method: 'lora',
  steps: 200,
  batchSize: 8,
  learningRate: 2e-4,
  warmupSteps: 10,
  schedule: 'cosine',
  weightDecay: 0.01,
  gradClip: 0.5,
  gradAccumulation: 4,
  lora: { r: 4, alpha: 8, dropout: 0.05, targetModules: ['c_attn'] },
  seed: 7,
  checkpointEvery: 50,
  evalEvery: 25,
  baseWeights: 'f16',
};

describe('trainOptionsOf', () => {
  it('renames every field once', () => {
    const options = trainOptionsOf(hyper, 128);
    expect(options).toEqual({
      method: 'lora',
      lora: { r: 4, lora_alpha: 8, lora_dropout: 0.05, target_modules: ['c_attn'] },
      lr: 2e-4,
      weightDecay: 0.01,
      betas: [0.9, 0.999],
      eps: 1e-8,
      warmupSteps: 10,
      schedule: 'cosine',
      maxSteps: 200,
      batchSize: 8,
      gradAccumSteps: 4,
      maxGradNorm: 0.5,
      seed: 7,
      maxSeqLen: 128,
      initialAdapter: undefined,
      baseWeights: 'f16',
      gradientCheckpointing: false,
      objective: 'sft',
      dpoBeta: 0.1,
      dpoLabelSmoothing: 0,
    });
    expect(() => validateTrainOptions(options)).not.toThrow();
  });

  it('full fine-tuning has no LoRA and an f32 base; old runs without the setting train on f32', () => {
    const full = trainOptionsOf({ ...hyper, method: 'full' }, 128);
    expect(full.lora).toBeUndefined();
    expect(full.baseWeights).toBe('f32');
    expect(trainOptionsOf({ ...hyper, baseWeights: undefined }, 128).baseWeights).toBe('f32');
  });

  it('turns gradient checkpointing on only when set (older runs: off)', () => {
    expect(trainOptionsOf({ ...hyper, gradientCheckpointing: true }, 128).gradientCheckpointing).toBe(true);
    expect(trainOptionsOf({ ...hyper, gradientCheckpointing: undefined }, 128).gradientCheckpointing).toBe(false);
  });

  it('DPO: β and label smoothing pass through (TRL defaults when absent); older runs are SFT', () => {
    expect(trainOptionsOf({ ...hyper, objective: 'dpo', dpoBeta: 0.3, dpoLabelSmoothing: 0.1 }, 128)).toMatchObject({ objective: 'dpo', dpoBeta: 0.3, dpoLabelSmoothing: 0.1 });
    expect(trainOptionsOf({ ...hyper, objective: 'dpo' }, 128)).toMatchObject({ objective: 'dpo', dpoBeta: 0.1, dpoLabelSmoothing: 0 });
    expect(trainOptionsOf(hyper, 128).objective).toBe('sft');
  });

  it('passes rsLoRA on only when set', () => {
    expect(loraConfigOf(hyper.lora)).not.toHaveProperty('use_rslora');
    expect(loraConfigOf({ ...hyper.lora, useRslora: true }).use_rslora).toBe(true);
  });
});
