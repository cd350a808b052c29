// The one rule that turns an experiment cell's settings into training settings: rank 0 = full fine-tuning at lr × FULL_FT_LR_FACTOR, LoRA alpha = 2r on GPT-2's linear layers.
import { defaultTrainOptions, type TrainOptions } from '../train/options';
import { trainOptionsOf, type TrainHyperparameters } from '../train/settings';
import { EXPERIMENT_BASE_PRECISION } from './identity';
import { FULL_FT_LR_FACTOR } from './presets';
import type { CellSettings } from './types';

/** GPT-2's linear layers (PEFT short names): the LoRA targets of every experiment cell. */
export const GPT2_LORA_TARGETS = ['c_attn', 'c_proj', 'c_fc'];

/** The run settings of one cell (stored with its run record); everything not swept is the trainer's default. */
export function cellHyperparameters(settings: CellSettings, seed: number): TrainHyperparameters {
  const full = settings.rank === 0;
  return {
    method: full ? 'full' : 'lora',
    steps: settings.steps,
    batchSize: settings.batchSize,
    learningRate: full ? settings.lr * FULL_FT_LR_FACTOR : settings.lr,
    warmupSteps: defaultTrainOptions.warmupSteps,
    schedule: settings.schedule ?? defaultTrainOptions.schedule,
    weightDecay: defaultTrainOptions.weightDecay,
    gradClip: defaultTrainOptions.maxGradNorm,
    gradAccumulation: defaultTrainOptions.gradAccumSteps,
    lora: { r: settings.rank, alpha: 2 * settings.rank, dropout: 0, targetModules: [...GPT2_LORA_TARGETS] },
    seed,
    checkpointEvery: settings.steps,
    evalEvery: settings.steps,
    // Stated, not left to the default: the experiment's identity (identity.ts) names the precision its cells train on.
    baseWeights: EXPERIMENT_BASE_PRECISION,
  };
}

/** The trainer's options for one cell, through the same converter as every other run. */
export function cellTrainOptions(settings: CellSettings, seed: number, maxSeqLen: number): TrainOptions {
  return trainOptionsOf(cellHyperparameters(settings, seed), maxSeqLen);
}
